"""Hybrid retrieval: dense (FAISS) and lexical (BM25) signals for candidate sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simqa.question_bank import SIGNALS as BANK_SIGNALS
from simqa.question_bank import QuestionBank
from simqa.store import IndexData

DENSE_CANDIDATES = 60
LEXICAL_CANDIDATES = 60
PASSAGE_CANDIDATES = 12


@dataclass(frozen=True)
class Retrieved:
    """Signals for each candidate sentence id, aligned by position in `ids`."""

    query_tokens: tuple[str, ...]
    ids: np.ndarray
    dense_sentence: np.ndarray
    dense_context: np.ndarray
    dense_passage: np.ndarray
    bm25_sentence: np.ndarray
    bm25_passage: np.ndarray
    rank_dense: np.ndarray
    rank_bm25: np.ndarray
    # Columns of question_bank.SIGNALS: how close questions answered by this unit come.
    bank: np.ndarray

    def subset(self, keep: np.ndarray) -> Retrieved:
        """Only the candidates where keep is True, ranks recomputed (used to build training
        questions whose answer is not in the corpus)."""
        dense, lexical = self.dense_sentence[keep], self.bm25_sentence[keep]
        return Retrieved(
            query_tokens=self.query_tokens, ids=self.ids[keep], dense_sentence=dense,
            dense_context=self.dense_context[keep], dense_passage=self.dense_passage[keep],
            bm25_sentence=lexical, bm25_passage=self.bm25_passage[keep],
            rank_dense=_ranks(dense + self.dense_context[keep]), rank_bm25=_ranks(lexical),
            bank=self.bank[keep],
        )


class Retriever:
    def __init__(self, index: IndexData, bank: QuestionBank | None = None) -> None:
        """bank: questions written about the corpus, which vote for the units that answered
        them (None: no votes)."""
        self.index = index
        self.bank = bank
        self._passage_of = np.array([s.passage_id for s in index.sentences], dtype=np.int64)
        self._count = len(index.sentences)

    def retrieve(self, question: str, query_vector: np.ndarray) -> Retrieved:
        index = self.index
        query = query_vector.reshape(1, -1).astype(np.float32)
        k = min(DENSE_CANDIDATES, self._count)
        _, dense_ids = index.sentence_faiss.search(query, k)
        _, context_ids = index.context_faiss.search(query, k)
        kp = min(PASSAGE_CANDIDATES, len(index.passages))
        passage_scores_top, passage_ids = index.passage_faiss.search(query, kp)

        query_tokens = index.lexicon.tokens(question)
        bm25_all = _bm25_scores(index.sentence_bm25, query_tokens, self._count)
        bm25_passages = _bm25_scores(index.passage_bm25, query_tokens, len(index.passages))
        lexical_ids = _top(bm25_all, LEXICAL_CANDIDATES)
        lexical_ids = lexical_ids[bm25_all[lexical_ids] > 0]
        top_passage_ids = _top(bm25_passages, PASSAGE_CANDIDATES // 2)
        passage_members = [sid for pid in [*passage_ids[0], *top_passage_ids] if pid >= 0
                           for sid in index.passages[int(pid)].sentence_ids]

        answered_near = np.zeros(0, dtype=np.int64)
        if self.bank is not None:
            asked, closeness = self.bank.nearest(query[0])
            answered_near = self.bank.units_of(asked)
        ids = np.unique(np.concatenate([
            dense_ids[0][dense_ids[0] >= 0], context_ids[0][context_ids[0] >= 0], lexical_ids,
            np.array(passage_members, dtype=np.int64), answered_near,
        ])).astype(np.int64)
        dense_sentence = index.sentence_vectors[ids] @ query[0]
        dense_context = index.context_vectors[ids] @ query[0]
        passage_vectors = index.passage_vectors[self._passage_of[ids]]
        dense_passage = passage_vectors @ query[0]
        bm25_sentence = bm25_all[ids]
        bm25_passage = bm25_passages[self._passage_of[ids]]
        return Retrieved(
            query_tokens=tuple(query_tokens),
            ids=ids,
            dense_sentence=dense_sentence,
            dense_context=dense_context,
            dense_passage=dense_passage,
            bm25_sentence=bm25_sentence,
            bm25_passage=bm25_passage,
            rank_dense=_ranks(dense_sentence + dense_context),
            rank_bm25=_ranks(bm25_sentence),
            bank=(self.bank.signals(asked, closeness, ids) if self.bank is not None
                  else np.zeros((len(ids), len(BANK_SIGNALS)), dtype=np.float32)),
        )


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Ids of the k highest scores, as a set (callers take the union of candidates). Linear
    time (argpartition) instead of sorting every unit; when fewer than k scores are positive,
    zero-score ids fill the rest exactly as a full sort picks them."""
    if k >= len(scores) or np.count_nonzero(scores > 0) < k:
        return np.argsort(-scores)[:k]
    return np.argpartition(-scores, k - 1)[:k]


def _bm25_scores(retriever, query_tokens: list[str], count: int) -> np.ndarray:
    known = [t for t in query_tokens if t in retriever.vocab_dict]
    if not known:
        return np.zeros(count, dtype=np.float32)
    return np.asarray(retriever.get_scores(known), dtype=np.float32)


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(len(scores))
    return ranks
