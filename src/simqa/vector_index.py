"""FAISS index by size: exact below EXACT_MAX vectors, HNSW above only if it keeps recall@60."""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

# Exact search costs ~0.7 ms per query at 16,000 units and grows linearly (bench/README.md,
# benchmark 5); below this many vectors it stays a small share of one encode.
EXACT_MAX = 50_000
K = 60  # retrieval.DENSE_CANDIDATES: recall is measured at the depth retrieval reads
RECALL_FLOOR = 0.99  # approximate search only where it loses under 1 % against exact
SAMPLE = 200
HNSW_M = 32
# efConstruction 200 builds a graph that keeps recall at a low efSearch (250,000 generated
# units: recall@60 0.993 at efSearch 256, against 0.977 with 80; bench/README.md, benchmark 5).
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = (256, 512, 1024)  # the first that keeps recall is stored in the index


def exact(vectors: np.ndarray, dimension: int) -> faiss.Index:
    # Inner product on normalised vectors is cosine similarity; ids are row numbers.
    index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(vectors)
    return index


def choose(vectors: np.ndarray, dimension: int,
           exact_max: int = EXACT_MAX) -> tuple[faiss.Index, dict[str, Any]]:
    """The index to write for these vectors, and the facts for the manifest."""
    flat = exact(vectors, dimension)
    if len(vectors) <= exact_max:
        return flat, {"type": "flat", "vectors": len(vectors)}
    hnsw = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    hnsw.add(vectors)
    tried: dict[int, float] = {}
    for ef_search in HNSW_EF_SEARCH:
        hnsw.hnsw.efSearch = ef_search  # stored in the index file
        tried[ef_search] = round(measured_recall(flat, hnsw, vectors), 4)
        if tried[ef_search] >= RECALL_FLOOR:
            break
    facts = {"vectors": len(vectors), "hnsw_recall_at_60": tried,
             "hnsw": {"M": HNSW_M, "ef_construction": HNSW_EF_CONSTRUCTION,
                      "ef_search": hnsw.hnsw.efSearch}}
    if max(tried.values()) < RECALL_FLOOR:
        return flat, {"type": "flat", **facts}
    return hnsw, {"type": "hnsw", **facts}


def measured_recall(reference: faiss.Index, candidate: faiss.Index, vectors: np.ndarray,
                    sample: int = SAMPLE, seed: int = 0) -> float:
    """Mean share of the exact top K that `candidate` also returns, for queries near the
    corpus's own vectors (a sampled unit plus noise, renormalised: about 0.8 cosine to it, as
    a question is to the unit that answers it)."""
    rng = np.random.default_rng(seed)
    rows = vectors[rng.choice(len(vectors), size=min(sample, len(vectors)), replace=False)]
    noise = rng.standard_normal(rows.shape).astype(np.float32)
    noise *= 0.75 / np.linalg.norm(noise, axis=1, keepdims=True)
    queries = rows + noise
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    k = min(K, len(vectors))
    _, truth = reference.search(queries, k)
    _, found = candidate.search(queries, k)
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(truth, found, strict=True)]))
