"""Load test of `rag serve`: N concurrent clients ask the evaluation questions through the
OpenAI-compatible API; reports throughput, p50/p95 latency and errors per client count.

    python -m benchmarks.load --clients 1 4 8 --questions 16 --modes in-process server --out load-out

`in-process`: `rag serve` with the in-process LLM (answers one at a time, the others queue).
`server`: llama-cpp-python's server (`python -m llama_cpp.server`, started here on 127.0.0.1 with
the same GGUF and threads) behind `RAG_LLM_URL`, `RAG_CONCURRENCY` set to the largest client count.
Both serve the bundled article. Writes OUT/load.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from benchmarks.bench import machine
from rag.evaluate import default_questions
from rag.remote_llm import llama_cpp_server_command
from rag.settings import Settings, set_offline_environment


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _process(args: list[str], ready: str, env: dict[str, str], log: Path) -> Iterator[None]:
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            for _ in range(1500):
                try:
                    if httpx.get(ready, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    raise SystemExit(f"{args[2]} exited; see {log}")
                time.sleep(0.2)
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=60)


def _questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in default_questions().read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:n]


def _ask(url: str, question: str) -> tuple[float, str | None]:
    t0 = time.perf_counter()
    try:
        r = httpx.post(f"{url}/v1/chat/completions", timeout=900,
                       json={"model": "default", "messages": [{"role": "user", "content": question}]})
        body = r.json()
        error = None if r.status_code == 200 and body["choices"][0]["message"]["content"] else f"{r.status_code}: {r.text[:120]}"
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    return time.perf_counter() - t0, error


def _level(url: str, questions: list[str], clients: int) -> dict[str, object]:
    todo: queue.Queue[str] = queue.Queue()
    for q in questions:
        todo.put(q)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        while True:
            try:
                q = todo.get_nowait()
            except queue.Empty:
                return
            seconds, error = _ask(url, q)
            with lock:
                latencies.append(seconds)
                if error:
                    errors.append(error)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"clients": clients, "requests": len(latencies), "errors": len(errors), "error_samples": errors[:3],
            "wall_s": round(wall, 1), "throughput_per_min": round(60 * len(latencies) / wall, 2),
            "p50_s": round(statistics.median(latencies), 2),
            "p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2)}


def run_mode(mode: str, clients: list[int], questions: list[str], out: Path, settings: Settings) -> list[dict[str, object]]:
    env = {**os.environ, "RAG_CONCURRENCY": str(max(clients))}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [sys.executable, "-m", "rag", "serve", "--port", str(port)]
    llm_server = None
    if mode == "server":
        llm_port = _free_port()
        llm_server = _process(llama_cpp_server_command(settings, llm_port),
                              f"http://127.0.0.1:{llm_port}/v1/models", env, out / "llm-server.log")
        llm_server.__enter__()
        env["RAG_LLM_URL"] = f"http://127.0.0.1:{llm_port}/v1"
    try:
        with _process(serve, f"{url}/v1/health", env, out / f"serve-{mode}.log"):
            _ask(url, questions[0])  # warm-up, not counted
            return [{"mode": mode, **_level(url, questions, n)} for n in clients]
    finally:
        if llm_server is not None:
            llm_server.__exit__(None, None, None)


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    p = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", nargs="+", type=int, default=[1, 4, 8])
    p.add_argument("--questions", type=int, default=16, help="questions per client count (the set's first, no follow-ups)")
    p.add_argument("--modes", nargs="+", choices=["in-process", "server"], default=["in-process", "server"])
    p.add_argument("--out", default="load-out")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings.from_env()
    questions = _questions(args.questions)
    rows = [row for mode in args.modes for row in run_mode(mode, args.clients, questions, out, settings)]
    (out / "load.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1), encoding="utf-8")
    print("| LLM | clients | requests | errors | throughput (answers/min) | p50 latency | p95 latency |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['clients']} | {r['requests']} | {r['errors']} | {r['throughput_per_min']} | "
              f"{r['p50_s']} s | {r['p95_s']} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
