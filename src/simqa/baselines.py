"""Simple baselines scored by the same harness: BM25 top sentence, dense (MiniLM) top passage."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simqa.config import Settings
from simqa.corpus import load_corpus
from simqa.records import Answer, Document, Quote

TOP_QUOTES = 3
CHUNK_SENTENCES = 3
_BLOCK = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Unit:
    doc_id: str
    start: int
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Naive sentence spans: every line, cut after . ! ? followed by a capital or digit."""
    spans = []
    for line in _BLOCK.finditer(text):
        start = line.start()
        for cut in _SENTENCE_END.finditer(line.group()):
            spans.append((start, line.start() + cut.start()))
            start = line.start() + cut.end()
        spans.append((start, line.end()))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in spans) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokenize(text: str) -> list[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS_EN]


class _Baseline:
    """Shared plumbing: documents, display texts, quotes from units, ranking documents."""

    name = "baseline"
    model_name = ""

    def __init__(self, documents: list[Document], units: list[Unit]) -> None:
        self.documents = {d.id: d for d in documents}
        self.units = units
        self._doc_of = np.array(_doc_positions(units), dtype=np.int64)
        self._doc_ids = list(dict.fromkeys(u.doc_id for u in units))
        self.corpus_version = hashlib.sha256(
            "".join(d.sha256 for d in documents).encode()).hexdigest()[:16]

    def source(self, doc_id: str) -> Document:
        return self.documents[doc_id]

    def scores(self, question: str) -> np.ndarray:
        raise NotImplementedError

    def ask(self, question: str) -> Answer:
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")[:TOP_QUOTES]
        quotes = []
        for rank, i in enumerate(order):
            unit = self.units[int(i)]
            text = self.documents[unit.doc_id].text[unit.start:unit.end]
            quotes.append(Quote(unit.doc_id, unit.start, unit.end, text, float(scores[i]),
                                title=self.documents[unit.doc_id].source.title,
                                role="answer" if rank == 0 else "support"))
        return Answer("answered", question, "", tuple(quotes), corpus_version=self.corpus_version)

    def rank_documents(self, question: str, k: int) -> list[str]:
        """Documents by the best score of any of their units."""
        scores = self.scores(question)
        best = np.full(len(self._doc_ids), -np.inf, dtype=np.float64)
        np.maximum.at(best, self._doc_of, scores)
        order = np.argsort(-best, kind="stable")[:k]
        return [self._doc_ids[int(i)] for i in order]


def _doc_positions(units: list[Unit]) -> list[int]:
    positions: dict[str, int] = {}
    return [positions.setdefault(u.doc_id, len(positions)) for u in units]


class BM25Baseline(_Baseline):
    """bm25s (default k1, b) over naive sentences; the top sentences are the quotes."""

    name = "bm25"
    model_name = "bm25s"

    def __init__(self, documents: list[Document]) -> None:
        import bm25s

        units = [Unit(d.id, s, e) for d in documents for s, e in split_sentences(d.text)]
        super().__init__(documents, units)
        self._bm25 = bm25s.BM25()
        texts = [self.documents[u.doc_id].text[u.start:u.end] for u in units]
        self._bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)

    def scores(self, question: str) -> np.ndarray:
        known = [t for t in tokenize(question) if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.units), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)


class DenseBaseline(_Baseline):
    """MiniLM over chunks of 3 consecutive sentences, cosine similarity; top chunks are quotes."""

    name = "dense"

    def __init__(self, documents: list[Document], settings: Settings,
                 cache_dir: Path | None = None, progress: bool = False) -> None:
        from simqa.embedding import SentenceTransformerEmbedder

        units = []
        for d in documents:
            spans = split_sentences(d.text)
            for i in range(0, len(spans), CHUNK_SENTENCES):
                group = spans[i:i + CHUNK_SENTENCES]
                units.append(Unit(d.id, group[0][0], group[-1][1]))
        super().__init__(documents, units)
        self._embedder = SentenceTransformerEmbedder(settings.model_path,
                                                     threads=settings.torch_threads)
        self.model_name = self._embedder.name
        texts = [self.documents[u.doc_id].text[u.start:u.end] for u in units]
        key = hashlib.sha256("\x00".join([self.model_name, *texts]).encode()).hexdigest()[:20]
        cached = cache_dir / f"dense-{key}.npy" if cache_dir else None
        if cached is not None and cached.is_file():
            self._vectors = np.load(cached)
        else:
            self._vectors = self._embedder.encode_documents(texts, progress=progress)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp.npy")
                np.save(tmp, self._vectors)
                tmp.replace(cached)

    def scores(self, question: str) -> np.ndarray:
        # inner product of normalised vectors is cosine similarity
        return self._vectors @ self._embedder.encode_query(question)


def load_baseline(system: str, settings: Settings, cache_dir: Path | None = None,
                  progress: bool = False) -> _Baseline:
    documents = load_corpus(settings.corpus_dir)
    if system == "bm25":
        return BM25Baseline(documents)
    if system == "dense":
        return DenseBaseline(documents, settings, cache_dir=cache_dir, progress=progress)
    raise ValueError(f"unknown baseline {system!r}")
