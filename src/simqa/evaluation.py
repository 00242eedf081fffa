"""Evaluation harness: runs a system (the Engine or a baseline) over a test set, item by item."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from simqa.datasets import Dataset, Item
from simqa.records import Answer

RANK_DEPTH = 10  # documents ranked per question for retrieval benchmarks (recall@10, nDCG@10)


class System(Protocol):
    """What the harness needs: the Engine has it, and so does every baseline."""

    def ask(self, question: str) -> Answer: ...

    def source(self, doc_id: str) -> Any: ...  # an object with the display `.text`


@dataclass(frozen=True)
class QuoteCheck:
    """A returned quote with the checks the harness made on it."""

    source_id: str
    start: int
    end: int
    text: str
    score: float
    role: str
    verbatim: bool


@dataclass(frozen=True)
class ItemResult:
    item: Item
    status: str
    quotes: tuple[QuoteCheck, ...]
    seconds: float
    ranked_docs: tuple[str, ...] = ()
    ranked_from: str = ""  # "rank_documents" | "quotes" | "" (not a retrieval item)
    gold_display_spans: tuple[tuple[str, int, int], ...] = ()  # gold spans in display offsets
    message: str = ""

    @property
    def answer_quotes(self) -> tuple[QuoteCheck, ...]:
        """Quotes given as the answer: none unless the system answered."""
        if self.status != "answered":
            return ()
        return tuple(q for q in self.quotes if q.role != "related")

    @property
    def top_score(self) -> float | None:
        """Confidence of the best candidate, also for not_found (its related quotes)."""
        return self.quotes[0].score if self.quotes else None


@dataclass(frozen=True)
class EvalRun:
    dataset: Dataset
    system: str
    results: tuple[ItemResult, ...]
    threshold: float | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


class SourceTexts:
    """Display texts of a system's documents, fetched once each; None for unknown ids."""

    def __init__(self, system: System) -> None:
        self._system = system
        self._cache: dict[str, str | None] = {}

    def get(self, doc_id: str) -> str | None:
        if doc_id not in self._cache:
            try:
                self._cache[doc_id] = self._system.source(doc_id).text
            except Exception:  # an unknown id is a failed check, not a crash
                self._cache[doc_id] = None
        return self._cache[doc_id]


def check_quotes(answer: Answer, texts: SourceTexts) -> tuple[QuoteCheck, ...]:
    """Each quote with its verbatim check: source display text [start:end] == quote text."""
    checks = []
    for q in answer.quotes:
        text = texts.get(q.source_id)
        ok = text is not None and 0 <= q.start <= q.end <= len(text)
        ok = ok and text[q.start:q.end] == q.text
        checks.append(QuoteCheck(q.source_id, q.start, q.end, q.text, float(q.score), q.role, ok))
    return tuple(checks)


def display_spans(item: Item, corpus_dir: str | None,
                  texts: SourceTexts) -> tuple[tuple[str, int, int], ...]:
    """Map gold spans (offsets into the original file) to offsets in the display text.

    Display text only drops markup, so every display character knows its original offset
    (simqa.corpus.to_display_text); a gold span becomes the display characters it covers.
    When the file cannot be read that way, the gold text is searched in the display text,
    nearest to the given offset.
    """
    out = []
    for span in item.spans:
        display = texts.get(span.doc)
        if display is None:
            continue
        mapped = _map_by_offsets(span.doc, span.start, span.end, corpus_dir, display)
        if mapped is None and span.text:
            mapped = _map_by_search(span.text, span.start, display)
        if mapped is not None:
            out.append((span.doc, *mapped))
    return tuple(out)


_OFFSETS: dict[tuple[str, str], tuple[str, tuple[int, ...]] | None] = {}


def _map_by_offsets(doc: str, start: int, end: int, corpus_dir: str | None,
                    display: str) -> tuple[int, int] | None:
    if corpus_dir is None:
        return None
    key = (corpus_dir, doc)
    if key not in _OFFSETS:
        _OFFSETS[key] = _original_offsets(Path(corpus_dir), doc)
    cached = _OFFSETS[key]
    if cached is None or cached[0] != display:
        return None
    offsets = cached[1]
    return bisect_left(offsets, start), bisect_left(offsets, end)


def _original_offsets(folder: Path, doc: str) -> tuple[str, tuple[int, ...]] | None:
    from simqa.corpus import to_display_text

    for suffix in (".txt", ".md"):
        path = folder / f"{doc}{suffix}"
        if path.is_file():
            converted = to_display_text(path.read_text(encoding="utf-8").rstrip())
            return converted.text, converted.original_offsets
    return None


def _map_by_search(gold: str, near: int, display: str) -> tuple[int, int] | None:
    hits, at = [], display.find(gold)
    while at >= 0:
        hits.append(at)
        at = display.find(gold, at + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: (abs(h - near), h))
    return best, best + len(gold)


def rank_documents(system: System, item: Item, checks: tuple[QuoteCheck, ...],
                   k: int = RANK_DEPTH) -> tuple[tuple[str, ...], str]:
    """Ranked document ids for retrieval items: the system's own ranking when it has one."""
    if not item.relevant_docs:
        return (), ""
    ranker: Callable[..., Iterable[Any]] | None = getattr(system, "rank_documents", None)
    if ranker is not None:
        ranked = [d[0] if isinstance(d, tuple | list) else d for d in ranker(item.question, k)]
        return tuple(dict.fromkeys(str(d) for d in ranked))[:k], "rank_documents"
    return tuple(dict.fromkeys(q.source_id for q in checks))[:k], "quotes"


def evaluate(system: System, dataset: Dataset, *, name: str = "simqa",
             threshold: float | None = None, progress: bool = True,
             corpus_dir: str | None = None, meta: dict[str, Any] | None = None,
             batch_size: int = 1) -> EvalRun:
    """Ask every question once, in file order.

    batch_size > 1, for a system with `ask_and_rank_many` (the Engine): questions go to the
    model in batches; each question's seconds are then its share of the batch encode plus its
    own ranking (Answer.timings). batch_size 1 times each `ask` on its own, as a user sees it.
    corpus_dir: the folder the system reads (to map gold spans); default the dataset's corpus.
    """
    corpus_dir = corpus_dir or dataset.corpus_dir
    texts = SourceTexts(system)
    batched = batch_size > 1 and hasattr(system, "ask_and_rank_many")
    size = batch_size if batched else 1
    chunks = [dataset.items[i:i + size] for i in range(0, len(dataset.items), size)]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(dataset.items), desc=f"eval {dataset.name} ({name})", unit="q")
    results = []
    for chunk in chunks:
        outcomes = _ask_batch(system, chunk) if batched else [_ask_one(system, chunk[0])]
        for item, (answer, seconds, ranked, ranked_from) in zip(chunk, outcomes, strict=True):
            checks = check_quotes(answer, texts)
            if not ranked_from:
                try:
                    ranked, ranked_from = rank_documents(system, item, checks)
                except Exception:
                    ranked, ranked_from = (), "error"
            results.append(ItemResult(
                item=item, status=answer.status, quotes=checks, seconds=seconds,
                ranked_docs=ranked, ranked_from=ranked_from,
                gold_display_spans=display_spans(item, corpus_dir, texts),
                message=answer.message,
            ))
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return EvalRun(dataset=dataset, system=name, results=tuple(results), threshold=threshold,
                   meta=dict(meta or {}))


_Outcome = tuple[Answer, float, tuple[str, ...], str]


def _ask_one(system: System, item: Item) -> _Outcome:
    began = time.perf_counter()
    try:
        answer = system.ask(item.question)
    except Exception as error:  # one failing question is a result, not the end of the run
        answer = Answer("error", item.question, f"{type(error).__name__}: {error}")
    return answer, time.perf_counter() - began, (), ""


def _ask_batch(system: Any, items: list[Item]) -> list[_Outcome]:
    """One batch through the model; a batch that fails is asked again one by one, so one bad
    question fails alone."""
    began = time.perf_counter()
    try:
        pairs = system.ask_and_rank_many([item.question for item in items], RANK_DEPTH)
    except Exception:
        return [_ask_one(system, item) for item in items]
    share = (time.perf_counter() - began) / len(items)
    outcomes = []
    for item, (answer, documents) in zip(items, pairs, strict=True):
        timings = answer.timings or {}
        seconds = sum(timings.values()) if timings else share
        ranked = tuple(dict.fromkeys(documents))[:RANK_DEPTH] if item.relevant_docs else ()
        outcomes.append((answer, seconds, ranked, "rank_documents" if item.relevant_docs
                         else ""))
    return outcomes
