"""The browser chat (Gradio): streaming answers, clickable highlighted sources, a knowledge-base panel.

All retrieval and prompting lives in `rag`; this module only wires it to widgets.

    from ui.app import create_app, launch
    demo = create_app()          # builds the page, does not start a server
    launch()                     # http://127.0.0.1:7860 (settings: RAG_UI_HOST, RAG_UI_PORT, RAG_UI_AUTH)
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any

for _name, _value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1")):
    os.environ.setdefault(_name, _value)

import gradio as gr  # noqa: E402

import rag  # noqa: E402
from rag.errors import DocumentError, RagError  # noqa: E402
from rag.loaders import SUPPORTED  # noqa: E402
from rag.settings import Settings  # noqa: E402

from . import render  # noqa: E402

log = logging.getLogger(__name__)

EXAMPLES = [
    "What did Kerry say about Assad?",
    "Who is the Pentagon spokesman?",
    "Qui est Maria Zakharova ?",
    "Pourquoi la Russie a-t-elle proposé un dialogue entre militaires ?",
]
LLM_CHOICES = ["qwen2.5-1.5b", "qwen2.5-0.5b"]


class KnowledgeBase:
    """The shared index behind the page; uploads and removals swap it atomically."""

    def __init__(self, settings: Settings, index: rag.Index | None = None) -> None:
        self.settings = settings
        self.index = index or rag.default_index(settings)
        self.folder = Path(self.index.path) / "uploads"
        self._lock = threading.Lock()

    def safe_name(self, name: str) -> str:
        """A plain file name inside the knowledge-base folder (no directories, no tricks)."""
        base = Path(name.replace("\\", "/")).name
        base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
        if not base or Path(base).suffix.lower() not in SUPPORTED:
            raise DocumentError(f"{name!r}: unsupported file name; upload a .txt, .md, .html or .pdf file")
        return base

    def add(self, uploads: list[str], progress=None) -> tuple[list[str], list[str]]:
        """Copy uploads into the folder and index them; returns (added, refused messages)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        staged, refused = [], []
        for path in uploads:
            try:
                name = self.safe_name(Path(path).name)
                size = Path(path).stat().st_size
                if size > self.settings.max_upload_bytes:
                    raise DocumentError(f"{name}: {size:,} bytes is over the {self.settings.max_upload_bytes:,}-byte upload limit")
                target = (self.folder / name).resolve()
                if target.parent != self.folder.resolve():
                    raise DocumentError(f"{name}: refused, the name leaves the knowledge-base folder")
                rag.loaders.load_text(path, self.settings.max_upload_bytes)  # refuse bad files before copying
                shutil.copyfile(path, target)
                staged.append(target)
            except DocumentError as exc:
                refused.append(str(exc))
        if not staged:
            return [], refused
        with self._lock:
            if progress:
                progress(0.1, desc="indexing…")
            index = rag.add_documents(staged, self.index.path, self.settings)
            refused += list(index.report.skipped.values())
            self.index = index
        return [p.name for p in staged if p.name not in index.report.skipped], refused

    def remove(self, names: list[str]) -> None:
        with self._lock:
            self.index = rag.remove_documents(names, self.index.path, self.settings)
            for n in names:
                if Path(n).suffix.lower() in SUPPORTED:
                    (self.folder / self.safe_name(n)).unlink(missing_ok=True)


def _settings_for(base: Settings, llm: str, llm_path: str, top_k: float, temperature: float) -> Settings:
    model = llm_path.strip() or llm or base.llm
    return base.replace(llm=model, top_k=int(top_k), candidates=max(base.candidates, int(top_k)),
                        temperature=float(temperature))


def create_app(settings: Settings | None = None, index: rag.Index | None = None) -> gr.Blocks:
    """Build the page (no server is started)."""
    base = settings or Settings.from_env()
    kb = KnowledgeBase(base, index)

    def respond(message: str, chat: list[dict[str, Any]], pairs: list, turn: int, sources: str,
                llm: str, llm_path: str, top_k: float, temperature: float):
        chat = list(chat or [])
        message = (message or "").strip()
        if not message:
            gr.Warning("Type a question first.")
            yield chat, pairs, turn, sources, ""
            return
        turn += 1
        chat += [{"role": "user", "content": message}, {"role": "assistant", "content": ""}]
        yield chat, pairs, turn, sources, ""
        try:
            s = _settings_for(base, llm, llm_path, top_k, temperature)
            streamed = ""
            for event in rag.stream_answer(message, index=kb.index, history=[tuple(p) for p in pairs] or None, settings=s):
                if isinstance(event, rag.Answer):
                    chat[-1] = {"role": "assistant", "content": render.answer_markdown(event, turn)}
                    panel = render.sources_html(event, turn, kb.index.source_text)
                    yield chat, pairs + [[message, event.text]], turn, panel + sources, ""
                    return
                streamed += event
                chat[-1] = {"role": "assistant", "content": streamed}
                yield chat, pairs, turn, sources, ""
        except RagError as exc:
            chat[-1] = {"role": "assistant", "content": f'<div class="abstain">⚠️ {exc}</div>'}
            yield chat, pairs, turn, sources, ""

    def ask_api(question: str, history: list[list[str]] | None = None) -> dict:
        """Answer one question; returns the answer with its citations (see rag.Answer.to_dict)."""
        pairs = [tuple(h) for h in (history or []) if len(h) == 2]
        return rag.answer(question, index=kb.index, history=pairs or None, settings=base).to_dict()

    def upload(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else f.name for f in (files or [])]
        if not paths:
            return render.documents_html(kb.index.sources()), gr.update(), "Choose files to add first."
        try:
            added, refused = kb.add(paths, progress)
        except RagError as exc:
            added, refused = [], [str(exc)]
        msg = (f"Added: {', '.join(added)}. " if added else "") + (" ".join(f"Refused: {r}" for r in refused))
        names = [s["name"] for s in kb.index.sources()]
        return render.documents_html(kb.index.sources()), gr.update(choices=names, value=[]), msg

    def remove(names):
        if not names:
            return render.documents_html(kb.index.sources()), gr.update(), "Choose documents to remove first."
        try:
            kb.remove(list(names))
            msg = f"Removed: {', '.join(names)}."
        except RagError as exc:
            msg = str(exc)
        current = [s["name"] for s in kb.index.sources()]
        return render.documents_html(kb.index.sources()), gr.update(choices=current, value=[]), msg

    with gr.Blocks(title="Ask the documents") as demo:
        pairs = gr.State([])
        turn = gr.State(0)
        gr.Markdown("## Ask the documents\nAnswers come only from the indexed documents, with their sources. "
                    "Ask in English or French.")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(elem_id="chat", height=520, label="Conversation")
                question = gr.Textbox(elem_id="question", placeholder="Ask a question about the documents…",
                                      show_label=False, lines=1, max_lines=4)
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask")
                    new = gr.Button("New conversation", elem_id="new-conversation")
                gr.Examples(EXAMPLES, inputs=question, label="Examples")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML("<p>Citations appear here.</p>", elem_id="sources-panel")
        with gr.Accordion("Knowledge base", open=False, elem_id="kb-panel"):
            docs = gr.HTML(render.documents_html(kb.index.sources()), elem_id="kb-docs")
            with gr.Row():
                files = gr.File(file_count="multiple", file_types=list(SUPPORTED), label="Add documents",
                                elem_id="kb-upload")
                with gr.Column():
                    add_btn = gr.Button("Add to the knowledge base", elem_id="kb-add")
                    chosen = gr.Dropdown([s["name"] for s in kb.index.sources()], multiselect=True,
                                         label="Documents to remove", elem_id="kb-choose")
                    remove_btn = gr.Button("Remove", elem_id="kb-remove")
            kb_status = gr.Markdown(elem_id="kb-status")
        with gr.Accordion("Settings", open=False):
            llm = gr.Dropdown(LLM_CHOICES, value=base.llm if base.llm in LLM_CHOICES else LLM_CHOICES[0], label="LLM")
            llm_path = gr.Textbox(label="…or a GGUF file path", value="" if base.llm in LLM_CHOICES else base.llm)
            top_k = gr.Slider(1, 6, value=base.top_k, step=1, label="Passages")
            temperature = gr.Slider(0.0, 1.0, value=base.temperature, step=0.1, label="Temperature")

        inputs = [question, chatbot, pairs, turn, sources, llm, llm_path, top_k, temperature]
        outputs = [chatbot, pairs, turn, sources, question]
        send.click(respond, inputs, outputs, api_name="chat", api_visibility="undocumented")
        question.submit(respond, inputs, outputs, api_visibility="private")
        new.click(lambda: ([], [], 0, "<p>Citations appear here.</p>"), None, [chatbot, pairs, turn, sources],
                  api_visibility="private")
        add_btn.click(upload, files, [docs, chosen, kb_status], api_visibility="private")
        remove_btn.click(remove, chosen, [docs, chosen, kb_status], api_visibility="private")
        gr.api(ask_api, api_name="ask")
    demo.queue(default_concurrency_limit=1)  # one LLM, not re-entrant: requests are answered in turn
    demo.knowledge_base = kb  # type: ignore[attr-defined]  # launch() warms the models up on it
    return demo


def _warm_up(index: rag.Index | None, settings: Settings) -> None:
    """Load the models while the page opens; a failure here shows again, clearly, on the first question."""
    try:
        rag.warm_up(index, settings)
    except rag.RagError as exc:
        log.warning("warm-up failed: %s", exc)


def launch(settings: Settings | None = None, demo: gr.Blocks | None = None, **kwargs: Any):
    """Start the server on the configured loopback address (never share=True).

    Extra keyword arguments go to `Blocks.launch` (tests pass `prevent_thread_lock=True`)."""
    s = settings or Settings.from_env()
    auth = tuple(s.ui_auth.split(":", 1)) if ":" in s.ui_auth else None
    demo = demo or create_app(s)
    kb = getattr(demo, "knowledge_base", None)
    threading.Thread(target=_warm_up, args=(kb.index if kb else None, s), daemon=True, name="warm-up").start()
    options = dict(server_name=s.ui_host, server_port=s.ui_port, auth=auth, share=False, css=render.CSS,
                   head=render.HEAD, show_error=True)
    options.update(kwargs)
    return demo.launch(**options)
