"""The `rag` command (also `python -m rag`): a thin shell over the library.

User errors (`RagError`) print one line with the fix and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import RagError
from .models import DEFAULT_LLM, LLM_KEYS
from .settings import Settings, set_offline_environment

MODEL_HELP = f"LLM: {', '.join(k + (' (default)' if k == DEFAULT_LLM else '') for k in LLM_KEYS)}, or a .gguf path"


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(llm=getattr(args, "model", None), top_k=getattr(args, "top_k", None),
                             index_dir=getattr(args, "index", None))


def _index(args: argparse.Namespace, settings: Settings):
    from .index import default_index, open_index

    if getattr(args, "index", None):
        return open_index(args.index, settings)
    return default_index(settings, on_build=lambda msg: print(msg, file=sys.stderr))


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    print(answer.text)
    for c in answer.citations:
        print(f"  [{c.number}] {c.source} [{c.start}:{c.end}] \"{c.quote}\"")


def _print_piece(piece: str) -> None:
    print(piece, end="", flush=True)


def cmd_ask(args: argparse.Namespace) -> int:
    from .pipeline import answer, collect, stream_answer
    from .question import validate_question

    settings = _settings(args)
    validate_question(args.question, settings)  # before the index is opened or built: a bad question costs nothing
    index = _index(args, settings)
    if args.json or not sys.stdout.isatty():  # stream only to a terminal; pipes get the final answer once
        _print_answer(answer(args.question, index=index, settings=settings), args.json)
        return 0
    final = collect(stream_answer(args.question, index=index, settings=settings), _print_piece)
    print("\r\033[K", end="")  # replace the streamed draft with the verified answer
    _print_answer(final, False)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .pipeline import collect, stream_answer

    settings = _settings(args)
    index = _index(args, settings)
    history: list[tuple[str, str]] = []
    print("Ask about the documents (empty line or Ctrl-D to quit).")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            final = collect(stream_answer(question, index=index, history=history, settings=settings), _print_piece)
            print()
            _print_answer(final, False)
            history.append((question, final.text))
        except RagError as exc:
            print(f"error: {exc}", file=sys.stderr)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from .build import add_documents, build_index, remove_documents
    from .index import open_index
    from .paths import bundled_sources_dir

    settings = _settings(args)
    target = Path(args.index) if args.index else settings.retrieval.index_dir
    if args.action == "list":
        kb = open_index(target, settings)
        print(f"{target}  (embedder {kb.embedder_name}, {len(kb.chunks)} chunks)")
        for s in kb.sources():
            print(f"  {s['name']}  {s['chars']:,} chars  {s['chunks']} chunks  sha256 {s['sha256'][:12]}")
        return 0
    if args.action == "remove":
        kb = remove_documents(args.files, target, settings)
        print(f"removed {', '.join(args.files)}; {len(kb.sources())} document(s) left")
        return 0
    files = args.files or ([str(bundled_sources_dir())] if args.action == "build" else [])
    if not files:
        raise SystemExit("rag index add: give at least one file")
    fn = build_index if args.action == "build" else add_documents
    kb = fn(files, target, settings, progress=True)
    r = kb.report
    print(f"index at {target}: {len(kb.sources())} document(s), {len(kb.chunks)} chunks "
          f"(added {len(r.added)}, updated {len(r.updated)}, unchanged {len(r.unchanged)}, removed {len(r.removed)}, "
          f"embedded {r.embedded_chunks} chunks and {r.embedded_sentences} sentences)" + ("" if r.written else "; nothing changed, the index was left as it was"))
    for name, err in r.skipped.items():
        print(f"skipped: {err}", file=sys.stderr)
    return 2 if r.skipped else 0


def cmd_models(args: argparse.Namespace) -> int:
    from . import models

    settings = Settings.from_env()
    if args.action == "list":
        for row in models.status(settings.models.models_dir):
            mark = "ready  " if row["ready"] else "missing"
            print(f"{mark} {row['key']:<20} {row['size'] / 1e9:5.2f} GB  {row['licence']:<18} {row['description']}")
        print(f"folder: {settings.models.models_dir}")
        return 0
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(label: str, done: int, total: int) -> None:
        bar = bars.get(label)
        if bar is None:
            bar = bars[label] = tqdm(total=total, desc=label, unit="B" if total > 1000 else "it",
                                     unit_scale=total > 1000, leave=False)
        bar.update(done - bar.n)

    paths = models.fetch(args.keys or None, settings.models.models_dir, progress)
    for bar in bars.values():
        bar.close()
    for p in paths:
        print(f"ready: {p}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from . import evaluate, report

    settings = _settings(args)
    index = _index(args, settings)
    bar = tqdm(desc="eval", unit="q", leave=False)

    def progress(done: int, total: int, qid: str) -> None:
        bar.total = total
        bar.set_postfix_str(qid)
        bar.update(done - bar.n)

    splits = evaluate.SPLITS if args.split == "all" else (args.split,)
    result = evaluate.run(args.questions, index, settings, progress, splits=splits, fraction=args.sample)
    bar.close()
    print(report.table(result))
    paths = report.write(result, Path(args.out))
    print("wrote " + ", ".join(str(p) for p in paths))
    if args.compare:
        diff = evaluate.compare(json.loads(Path(args.compare).read_text(encoding="utf-8")), result)
        print(f"improved: {', '.join(diff['improved']) or 'none'}")
        print(f"regressed: {', '.join(diff['regressed']) or 'none'}")
        print(f"sign test: p = {diff['sign_test_p']:.2f} that {len(diff['improved'])} better against "
              f"{len(diff['regressed'])} worse is chance (a change that moves answers either way alike)")
        for k, (a, b) in diff["changed_metrics"].items():
            print(f"  {k}: {a} -> {b}")
    if args.floor:
        failures = evaluate.check_floor(result, json.loads(Path(args.floor).read_text(encoding="utf-8")))
        for f in failures:
            print(f"below floor: {f}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from ui.api import knowledge_bases, serve
        from ui.guard import check_bind
    except ImportError as exc:
        raise RagError("rag serve needs the `ui` extra; run `pip install -e '.[ui]'` or the README's setup command") from exc
    settings = Settings.from_env(llm=args.model, ui_host=args.host, ui_port=args.port)
    check_bind(settings.server.ui_host, settings.server.keys())  # before any model loads
    kbs = knowledge_bases(args.index or [], settings)
    print(f"serving the API on http://{settings.server.ui_host}:{settings.server.ui_port}/v1 and the chat on "
          f"http://{settings.server.ui_host}:{settings.server.ui_port}/ (knowledge bases: {', '.join(kbs)}; Ctrl-C to stop)",
          file=sys.stderr)
    serve(settings, kbs)
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from .setting_fields import markdown_table, text_listing

    if args.markdown:  # the README's table: defaults, with this machine's paths shortened
        print(markdown_table(Settings().describe(), {str(Path.home()): "~", str(Path.cwd()): "."}))
    elif args.json:
        print(json.dumps(Settings.from_env().describe(), default=str, ensure_ascii=False, indent=2))
    else:
        print(text_listing(Settings.from_env().describe()))
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    try:
        from ui.app import launch
    except ImportError as exc:
        raise RagError("the browser chat needs the `ui` extra; run `pip install -e '.[ui]'` or the README's setup command") from exc
    settings = Settings.from_env(llm=args.model, ui_host=args.host, ui_port=args.port)
    print(f"starting the chat on http://{settings.server.ui_host}:{settings.server.ui_port} (Ctrl-C to stop)", file=sys.stderr)
    launch(settings)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Offline question answering over documents, with verified citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", help="index folder (default: the bundled article's index)")
        p.add_argument("--model", help=MODEL_HELP)
        p.add_argument("--top-k", type=int, dest="top_k", help="passages given to the LLM")

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the full answer as JSON")
    common(ask)
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal, with streaming")
    common(chat)
    chat.set_defaults(func=cmd_chat)

    idx = sub.add_parser("index", help="build, add to, remove from or list an index")
    idx.add_argument("action", choices=["build", "add", "remove", "list"])
    idx.add_argument("files", nargs="*", help="files or folders (names, for remove)")
    idx.add_argument("--index", help="index folder (default: the bundled article's index)")
    idx.set_defaults(func=cmd_index)

    ev = sub.add_parser("eval", help="evaluate answers against a question set")
    ev.add_argument("--questions", help="JSON Lines question file (default: the bundled set)")
    ev.add_argument("--out", default="eval-out", help="folder for report.json, report.md and plots")
    ev.add_argument("--split", choices=["all", "dev", "heldout"], default="all",
                    help="which part of the question set: dev (while changing the system), heldout (to report), all")
    ev.add_argument("--sample", type=float, default=1.0, metavar="FRACTION",
                    help="run a fixed share of the questions, every part, language and category kept "
                         "(the CI gate runs 0.33 of the dev part); default 1, every question")
    ev.add_argument("--compare", help="an earlier report.json: list improvements and regressions")
    ev.add_argument("--floor", help="a floor.json: exit 1 when a quality metric is below it")
    common(ev)
    ev.set_defaults(func=cmd_eval)

    ui = sub.add_parser("ui", help="the browser chat (Gradio) on http://127.0.0.1:7860")
    ui.add_argument("--host", help="address to bind (default 127.0.0.1; RAG_UI_HOST)")
    ui.add_argument("--port", type=int, help="port (default 7860; RAG_UI_PORT)")
    ui.add_argument("--model", help=MODEL_HELP)
    ui.set_defaults(func=cmd_ui)

    srv = sub.add_parser("serve", help="the HTTP API (OpenAI-compatible) and the browser chat, in one server")
    srv.add_argument("--host", help="address to bind (default 127.0.0.1; RAG_UI_HOST; any other needs RAG_API_KEYS)")
    srv.add_argument("--port", type=int, help="port (default 7860; RAG_UI_PORT)")
    srv.add_argument("--index", action="append", metavar="[NAME=]DIR",
                     help="a knowledge base to serve, repeatable (default: the bundled article, as \"default\")")
    srv.add_argument("--model", help=MODEL_HELP)
    srv.set_defaults(func=cmd_serve)

    st = sub.add_parser("settings", help="every setting: its RAG_* variable, current value and what it does")
    st.add_argument("--json", action="store_true", help="print the settings as JSON")
    st.add_argument("--markdown", action="store_true", help="print the defaults as the README's table")
    st.set_defaults(func=cmd_settings)

    mod = sub.add_parser("models", help="assemble and verify the bundled models, or list them")
    mod.add_argument("action", choices=["fetch", "list"])
    mod.add_argument("keys", nargs="*", help="model keys (default: all)")
    mod.set_defaults(func=cmd_models)
    return parser


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `rag … | head`: the reader has gone, nothing left to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
