"""Raw llama.cpp speed of the installed llama-cpp-python build: prompt reading and generation.

    python benchmarks/llm_speed.py MODEL.gguf [--threads N]

Prints JSON. Needs only llama-cpp-python and numpy, so it runs against another build in its own
virtual environment (README, "Speed": how the OpenBLAS build was compared). `python -m benchmarks` runs it too.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

TEXT = (Path(__file__).resolve().parent.parent / "index" / "sources" / "us-russia-syria.fr.txt")
SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}


def measure(model: str, threads: int, prompt_tokens: int = 400, new_tokens: int = 40, **options: object) -> dict:
    from llama_cpp import Llama, LlamaGrammar, __version__

    llama = Llama(model_path=model, n_ctx=2048, n_threads=threads, n_threads_batch=threads, verbose=False,
                  **options)
    text = TEXT.read_text(encoding="utf-8")
    tokens = llama.tokenize(text.encode("utf-8"))[:prompt_tokens]
    reads = []
    for _ in range(2):
        llama.reset()
        t0 = time.perf_counter()
        llama.eval(tokens)
        reads.append(time.perf_counter() - t0)
    prompt = text[:1200] + "\nSummary in English as JSON:"
    rates = {}
    for name, grammar in (("generation_tokens_per_s", None),
                          ("generation_with_json_grammar_tokens_per_s", LlamaGrammar.from_json_schema(json.dumps(SCHEMA), verbose=False))):
        llama.create_completion(prompt, max_tokens=1, temperature=0.0)  # the prompt is read here, not timed below
        t0 = time.perf_counter()
        out = llama.create_completion(prompt, max_tokens=new_tokens, temperature=0.0, top_k=1, grammar=grammar)
        rates[name] = round(out["usage"]["completion_tokens"] / (time.perf_counter() - t0), 1)
    llama.close()
    return {"llama_cpp_python": __version__, "model": Path(model).name, "threads": threads, "options": options,
            "prompt_tokens_per_s": round(prompt_tokens / min(reads), 1), **rates}


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--flash-attn", action="store_true", help="llama.cpp flash attention")
    parser.add_argument("--n-ubatch", type=int, help="physical batch size (default 512)")
    parser.add_argument("--kv-q8", action="store_true", help="KV cache in q8_0 instead of f16 (needs flash attention)")
    args = parser.parse_args()
    options: dict[str, object] = {}
    if args.flash_attn:
        options["flash_attn"] = True
    if args.n_ubatch:
        options["n_ubatch"] = args.n_ubatch
    if args.kv_q8:
        options.update(type_k=8, type_v=8)  # GGML_TYPE_Q8_0
    print(json.dumps(measure(args.model, args.threads, **options)))


if __name__ == "__main__":
    main()
