"""Speed benchmark (`python -m benchmarks`, from a checkout): start-up, indexing, retrieval at scale, answering.

Writes `bench.json` and `bench.png`. Every figure comes from this file; timings depend on the
machine, which is recorded with them.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from rag.paths import bundled_sources_dir
from rag.settings import Settings

COLD_START = """
import json, time, sys
t0 = time.perf_counter()
import rag
from rag.embedder import get_embedder
from rag.llm import get_llm
s = rag.Settings.from_env(index_dir=sys.argv[1], llm=sys.argv[2])
t1 = time.perf_counter(); kb = rag.open_index(s.retrieval.index_dir, s); t2 = time.perf_counter()
kb.embedder(s); t3 = time.perf_counter(); get_llm(s); t4 = time.perf_counter()
from rag.evaluate import default_questions
q = json.loads(default_questions().read_text(encoding="utf-8").splitlines()[0])["question"]
a = rag.answer(q, index=kb, settings=s); t5 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "index_open_s": t2 - t1, "embedder_load_s": t3 - t2,
                  "llm_load_s": t4 - t3, "first_answer_s": t5 - t4, "answer": a.text}))
"""


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                   if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def cold_start(index_dir: Path, llm: str, state_dir: Path) -> dict[str, Any]:
    """A new process: import, open the index, load the models, answer once.

    Measured twice: with no saved model state (the whole knowledge base is read by the LLM once,
    and its state saved), then again as a user's next start finds it."""
    import shutil

    shutil.rmtree(state_dir, ignore_errors=True)
    first = _cold_start(index_dir, llm, state_dir)
    again = _cold_start(index_dir, llm, state_dir)
    return {**again, "first_ever_process_to_first_answer_s": first["process_to_first_answer_s"],
            "first_ever_first_answer_s": first["first_answer_s"]}


def _cold_start(index_dir: Path, llm: str, state_dir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD_START, str(index_dir), llm], capture_output=True, text=True,
                         env=dict(os.environ, HF_HUB_OFFLINE="1", RAG_STATE_DIR=str(state_dir)), timeout=900)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_to_first_answer_s"] = wall
    return result


def synthetic_corpus(folder: Path, total_bytes: int, seed: int = 0) -> list[Path]:
    """French-looking text made by recombining the bundled article's words, ~50 KB a file."""
    words = bundled_sources_dir().joinpath("us-russia-syria.fr.txt").read_text(encoding="utf-8").split()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files, written, i = [], 0, 0
    while written < total_bytes:
        sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(12, 35))).capitalize() + "."
                     for _ in range(250)]
        text = " ".join(sentences)
        path = folder / f"synthetic-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        written += len(text.encode())
        i += 1
    return files


def index_throughput(settings: Settings, sizes_mb: list[float], work: Path) -> list[dict[str, Any]]:
    from rag.build import build_index

    rows = []
    t0 = time.perf_counter()
    kb = build_index([bundled_sources_dir()], work / "article-index", settings)
    rows.append({"corpus": "article", "bytes": 3769, "chunks": len(kb.chunks), "seconds": time.perf_counter() - t0})
    for mb in sizes_mb:
        files = synthetic_corpus(work / f"synthetic-{mb}", int(mb * 1_000_000))
        t0 = time.perf_counter()
        kb = build_index(files, work / f"index-{mb}", settings)
        rows.append({"corpus": f"synthetic {mb} MB", "bytes": sum(f.stat().st_size for f in files),
                     "chunks": len(kb.chunks), "seconds": time.perf_counter() - t0})
    for r in rows:
        r["chunks_per_s"] = r["chunks"] / r["seconds"]
    return rows


def retrieval_scaling(sizes: list[int], dim: int = 768, queries: int = 50) -> list[dict[str, Any]]:
    """Dense search (exact and HNSW) and BM25 on synthetic vectors and texts."""
    import faiss

    from rag.dense import HNSW_FROM, make_faiss_index, search
    from rag.keywords import KeywordIndex

    rng = np.random.default_rng(0)
    vocab = [f"mot{i}" for i in range(20_000)]
    rows = []
    for n in sizes:
        vectors = rng.standard_normal((n, dim)).astype("float32")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        qs = vectors[rng.integers(0, n, queries)] + 0.05 * rng.standard_normal((queries, dim)).astype("float32")
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        chosen = make_faiss_index(vectors)
        texts = [" ".join(rng.choice(vocab, 40)) for _ in range(n)]
        keywords = KeywordIndex(texts)
        row: dict[str, Any] = {"chunks": n, "index_type": "HNSW" if n >= HNSW_FROM else "Flat"}
        for name, index in (("flat_ms", flat), ("chosen_ms", chosen)):
            t0 = time.perf_counter()
            for q in qs:
                search(index, q, 12)
            row[name] = (time.perf_counter() - t0) / queries * 1000
        t0 = time.perf_counter()
        for i in range(queries):
            keywords.search(texts[i][:60], 12)
        row["bm25_ms"] = (time.perf_counter() - t0) / queries * 1000
        truth = [set(i for i, _ in search(flat, q, 10)) for q in qs[:20]]
        got = [set(i for i, _ in search(chosen, q, 10)) for q in qs[:20]]
        row["recall_at_10_vs_exact"] = float(np.mean([len(a & b) / 10 for a, b in zip(truth, got)]))
        row["hybrid_ms"] = row["chosen_ms"] + row["bm25_ms"]
        rows.append(row)
    return rows


def answering(settings: Settings, index_dir: Path, answer_fn: Callable[..., Any] | None = None) -> dict[str, Any]:
    """The evaluation questions through rag.answer (or `answer_fn`): quality, latency, tokens and tokens/s."""
    import resource

    from rag import evaluate
    from rag.index import open_index

    kwargs = {"answer_fn": answer_fn} if answer_fn else {}
    report = evaluate.run(None, open_index(index_dir, settings), settings, **kwargs)
    rows = report["rows"]
    gen = [(r["timings"].get("generation_s"), r.get("completion_tokens")) for r in rows]
    out = {k: report["overall"][k] for k in ("latency_p50_s", "latency_p95_s", "ttft_p50_s", "ttft_p95_s",
                                             "first_answer_word_p50_s", "prompt_tokens_mean", "correct",
                                             "answer_correct", "abstention_accuracy", "citation_precision",
                                             "citation_recall", "exact_quote_rate")}
    out["correct_en"] = report["by_language"].get("en", {}).get("correct")
    out["correct_fr"] = report["by_language"].get("fr", {}).get("correct")
    rates = [t / s for s, t in gen if s and t]
    out["generation_tokens_per_s"] = round(statistics.median(rates), 1) if rates else None
    pp = [r["prompt_tokens"] / (r["timings"]["first_token_s"] - r["timings"].get("retrieval_s", 0))
          for r in rows if r.get("prompt_tokens") and "first_token_s" in r["timings"]]
    out["prompt_tokens_per_s_upper_bound"] = round(statistics.median(pp), 1) if pp else None
    out["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


# Each lever is measured by changing one setting from the defaults, on the default model.
LEVERS: dict[str, dict[str, Any]] = {
    "full grammar check at every token (llama-cpp-python's default)": {"lazy_grammar": False},
    "the answer's JSON keys generated token by token (no fast-forward)": {"fast_forward": False},
    "no context sentence before each passage (fewer prompt tokens)": {"context_sentences": False},
    "whole knowledge base in the prompt, its state saved (fast mode)": {"whole_kb_chars": 20_000},
    "prompt-lookup decoding, 10 draft tokens": {"prompt_lookup": 10},
}


def peer(settings: Settings, index_dir: Path) -> dict[str, Any]:
    """The same questions through LlamaIndex's CitationQueryEngine (optional extra `peer`)."""
    from rag.index import open_index
    from benchmarks.peer import Peer

    engine = Peer(open_index(index_dir, settings), settings)
    result = answering(settings, index_dir, answer_fn=lambda question, index=None, history=None, settings=None:
                       engine.answer(question, history))
    engine.llm._model.close()
    return result


SECTIONS = ("indexing", "retrieval", "llm_raw", "cold_start", "answering", "levers", "peer")


def llm_raw(settings: Settings, llm: str) -> dict[str, Any]:
    """Prompt reading and generation speed of the installed llama.cpp build (benchmarks/llm_speed.py)."""
    from rag.models import resolve_llm

    script = Path(__file__).with_name("llm_speed.py")
    out = subprocess.run([sys.executable, str(script), str(resolve_llm(llm, settings.models.models_dir)),
                          "--threads", str(settings.models.n_threads)], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 5))
    r = result.get("retrieval", [])
    n = [x["chunks"] for x in r]
    axes[0].loglog(n, [x["flat_ms"] for x in r], "o-", label="exact (Flat)")
    axes[0].loglog(n, [x["chosen_ms"] for x in r], "s-", label="chosen by size")
    axes[0].loglog(n, [x["hybrid_ms"] for x in r], "^-", label="chosen + BM25")
    axes[0].axhline(50, color="grey", ls="--", lw=1, label="target 50 ms")
    axes[0].set_xlabel("chunks")
    axes[0].set_ylabel("ms per query")
    axes[0].set_title("retrieval latency")
    axes[0].legend()
    b = result.get("indexing", [])
    axes[1].bar([x["corpus"] for x in b], [x["chunks_per_s"] for x in b], color="#55a868")
    axes[1].set_title("index build throughput (chunks/s)")
    axes[1].tick_params(axis="x", rotation=20)
    runs = {f"{m}": v for m, v in result.get("answering", {}).items()}
    for i, (name, v) in enumerate(result.get("levers", {}).items(), 1):
        runs[f"lever {i}: " + " ".join(name.split()[:3]) + "…"] = v
    if "peer" in result:
        runs[f"LlamaIndex, {result['peer']['llm']}"] = result["peer"]["llama_index"]
    width = 0.2
    for i, key in enumerate(["ttft_p50_s", "latency_p50_s", "latency_p95_s"]):
        axes[2].bar([j + i * width for j in range(len(runs))], [v.get(key) or 0 for v in runs.values()], width,
                    label=key)
    for j, v in enumerate(runs.values()):
        top = max(v.get(k) or 0 for k in ("ttft_p50_s", "latency_p50_s", "latency_p95_s"))
        axes[2].annotate(f"correct\n{v['correct']:.2f}", (j + width, top + 0.2), ha="center", fontsize=7)
    axes[2].set_xticks([j + width for j in range(len(runs))], list(runs), rotation=15, fontsize=7)
    for y, style in ((2, ":"), (6, "--"), (12, "-.")):
        axes[2].axhline(y, color="grey", ls=style, lw=0.8)
    axes[2].set_title("answering the evaluation questions (s; targets 2 / 6 / 12 s)")
    highest = max((v.get("latency_p95_s") or 0 for v in runs.values()), default=1)
    axes[2].set_ylim(0, highest * 1.35)
    axes[2].legend(fontsize=7, loc="upper left", ncols=3)
    fig.suptitle(f"rag bench — {result['machine']['cpu']} ({result['machine']['cores']} cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def run(out: Path, llms: list[str], sizes_mb: list[float], retrieval_sizes: list[int],
        sections: tuple[str, ...] = SECTIONS[:-1], log: Callable[[str], None] = print) -> dict[str, Any]:
    """Measure `sections`; sections measured earlier in `out/bench.json` are kept, each with its date
    and commit, so that one part can be measured again alone."""
    settings = Settings.from_env()
    path = out / "bench.json"
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for kept in result.get("measured", {}).values():  # sections kept from an earlier run keep its machine
        kept.setdefault("cpu", result.get("machine", {}).get("cpu", ""))
    result.update({"machine": machine(), "settings": {"n_threads": settings.models.n_threads, "top_k": settings.retrieval.top_k,
                                                      "whole_kb_chars": settings.retrieval.whole_kb_chars}})
    stamp = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": _commit(), "cpu": result["machine"]["cpu"]}
    measured = result.setdefault("measured", {})
    default = llms[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        index_dir = work / "article-index"
        settings = settings.replace(state_dir=work / "llm-states")
        if "indexing" in sections:
            log("indexing throughput…")
            result["indexing"] = index_throughput(settings, sizes_mb, work)
        else:
            from rag.build import build_index

            build_index([bundled_sources_dir()], index_dir, settings)
        if "retrieval" in sections:
            log("retrieval scaling…")
            result["retrieval"] = retrieval_scaling(retrieval_sizes)
        if "llm_raw" in sections:
            result["llm_raw"] = {}
            for llm in llms:
                log(f"raw llama.cpp speed, {llm}…")
                result["llm_raw"][llm] = llm_raw(settings, llm)
        if "cold_start" in sections:
            result["cold_start"] = {}
            for llm in llms:
                log(f"cold start, {llm}…")
                result["cold_start"][llm] = cold_start(index_dir, llm, work / f"states-{llm}")
        if "answering" in sections:
            result["answering"] = {}
            for llm in llms:
                log(f"answering the evaluation questions, {llm}…")
                result["answering"][llm] = answering(settings.replace(llm=llm), index_dir)
        if "levers" in sections:
            result["levers"] = {}
            for name, change in LEVERS.items():
                log(f"lever: {name}…")
                result["levers"][name] = {"settings": change, **answering(settings.replace(llm=default, **change), index_dir)}
        if "peer" in sections:
            log("the same questions through LlamaIndex's CitationQueryEngine…")
            theirs = peer(settings.replace(llm=default), index_dir)
            ours = result.get("answering", {}).get(default) or answering(settings.replace(llm=default), index_dir)
            result["peer"] = {"llm": default, "llama_index": theirs, "ours": ours,
                              "latency_p50_ratio_ours_to_theirs": round(ours["latency_p50_s"] / theirs["latency_p50_s"], 3)}
    for section in sections:
        measured[section] = stamp
    out.mkdir(parents=True, exist_ok=True)
    tmp_path = out / "bench.json.tmp"
    tmp_path.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp_path.replace(path)
    plot(result, out / "bench.png")
    return result
