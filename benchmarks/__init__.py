"""Speed benchmarks and the LlamaIndex comparison: run from a checkout (`python -m benchmarks`), not
shipped in the `rag-offline` wheel."""
