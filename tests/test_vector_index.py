"""The FAISS index type follows corpus size, and approximate search is kept only where its
measured recall@60 against exact search loses under 1 %."""

from __future__ import annotations

import faiss
import numpy as np

from simqa import vector_index


def _vectors(count: int, dimension: int = 32, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, dimension))
    rows = centres[rng.integers(0, 20, count)] + 0.5 * rng.standard_normal((count, dimension))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows.astype(np.float32)


def test_small_corpora_get_exact_search():
    index, facts = vector_index.choose(_vectors(500), 32)
    assert isinstance(index, faiss.IndexFlatIP)
    assert facts == {"type": "flat", "vectors": 500}


def test_large_corpora_get_hnsw_when_it_keeps_recall():
    vectors = _vectors(3000)
    index, facts = vector_index.choose(vectors, 32, exact_max=1000)
    chosen = facts["hnsw"]["ef_search"]
    assert facts["type"] == "hnsw"
    assert facts["hnsw_recall_at_60"][chosen] >= vector_index.RECALL_FLOOR
    assert chosen in vector_index.HNSW_EF_SEARCH
    exact = vector_index.exact(vectors, 32)
    queries = _vectors(50, seed=2)
    _, truth = exact.search(queries, 60)
    _, found = index.search(queries, 60)
    recall = np.mean([len(set(a) & set(b)) / 60 for a, b in zip(truth, found, strict=True)])
    assert recall >= 0.99
    reread = faiss.deserialize_index(faiss.serialize_index(index))
    assert faiss.downcast_index(reread).hnsw.efSearch == chosen


def test_hnsw_that_loses_recall_falls_back_to_exact(monkeypatch):
    monkeypatch.setattr(vector_index, "RECALL_FLOOR", 1.01)  # nothing approximate can pass
    index, facts = vector_index.choose(_vectors(2000), 32, exact_max=1000)
    assert isinstance(index, faiss.IndexFlatIP)
    assert facts["type"] == "flat"
    assert set(facts["hnsw_recall_at_60"]) == set(vector_index.HNSW_EF_SEARCH)  # all were tried
