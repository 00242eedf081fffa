"""Pure evaluation metrics, each returning {"score": ..., "individual_scores": [...]}."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

Metric = dict[str, Any]
Quotes = Sequence[Sequence[str]]  # per item, the returned quote texts in order
Golds = Sequence[Sequence[str]]  # per item, the gold phrases
Ranked = Sequence[Sequence[str]]  # per query, document ids best first
Qrels = Sequence[dict[str, int]]  # per query, {document id: grade}
Interval = tuple[int, int]

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Case-fold, unify quote marks, collapse whitespace (NBSP included)."""
    return _SPACE.sub(" ", text.translate(_QUOTES).casefold()).strip()


def contains_answer(quote: str, answers: Sequence[str]) -> bool:
    """A quote is correct when it contains one gold phrase (normalised containment)."""
    text = normalize(quote)
    return any(normalize(a) and normalize(a) in text for a in answers)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _result(individual: Sequence[float | None], score: float | None = None) -> Metric:
    vals = [v for v in individual if v is not None]
    return {"score": _mean(vals) if score is None else score, "individual_scores": list(individual),
            "n": len(vals)}


def answer_at_k(quotes: Quotes, answers: Golds, k: int) -> Metric:
    """Share of items where one of the first k quotes contains a gold phrase."""
    scores = [float(any(contains_answer(q, gold) for q in qs[:k])) for qs, gold in
              zip(quotes, answers, strict=True)]
    return _result(scores)


def mean_reciprocal_rank(quotes: Quotes, answers: Golds) -> Metric:
    """1/rank of the first quote that contains a gold phrase (0 when none does)."""
    scores = []
    for qs, gold in zip(quotes, answers, strict=True):
        rank = next((i for i, q in enumerate(qs, 1) if contains_answer(q, gold)), None)
        scores.append(1.0 / rank if rank else 0.0)
    return _result(scores)


def source_at_1(top_docs: Sequence[str | None], gold_docs: Sequence[Sequence[str]]) -> Metric:
    """Share of items whose top quote comes from an evidence document."""
    pairs = zip(top_docs, gold_docs, strict=True)
    scores = [float(d is not None and d in set(g)) for d, g in pairs]
    return _result(scores)


def interval_coverage(quote: Interval | None, gold: Sequence[Interval]) -> float:
    """Share of the gold intervals' characters covered by the quote interval [start, end)."""
    total = sum(max(0, e - s) for s, e in gold)
    if quote is None or total == 0:
        return 0.0
    qs, qe = quote
    return sum(max(0, min(qe, e) - max(qs, s)) for s, e in gold) / total


def span_coverage(quotes: Sequence[Interval | None], golds: Sequence[Sequence[Interval]],
                  threshold: float = 0.5) -> Metric:
    """Mean character coverage of gold spans by the top quote; share with coverage >= threshold.

    Pass quote=None when the top quote is from another document (coverage 0).
    """
    scores = [interval_coverage(q, g) for q, g in zip(quotes, golds, strict=True)]
    result = _result(scores)
    result["at_threshold"] = _mean([float(s >= threshold) for s in scores])
    result["threshold"] = threshold
    return result


def word_coverage(quote: str, gold: str) -> float:
    """Share of the gold answer's words (with multiplicity, case-folded) found in the quote."""
    gold_words = Counter(w.casefold() for w in _WORD.findall(gold))
    if not gold_words:
        return 0.0
    quote_words = Counter(w.casefold() for w in _WORD.findall(quote))
    return sum((gold_words & quote_words).values()) / sum(gold_words.values())


def gold_words_covered(quotes: Sequence[str | None], answers: Sequence[Sequence[str]],
                       threshold: float = 0.5) -> Metric:
    """Share of items whose top quote contains >= threshold of a gold answer's words."""
    scores = []
    for quote, gold in zip(quotes, answers, strict=True):
        best = max((word_coverage(quote, g) for g in gold), default=0.0) if quote else 0.0
        scores.append(float(best >= threshold))
    result = _result(scores)
    result["threshold"] = threshold
    return result


def mean_length(texts: Sequence[str]) -> Metric:
    """Mean length in characters (of returned quotes)."""
    return _result([float(len(t)) for t in texts])


def abstention(abstained: Sequence[bool], answerable: Sequence[bool]) -> dict[str, Metric]:
    """Abstention as a detector of unanswerable items (positive = abstained).

    correct_abstention: recall on unanswerable items; wrongly_abstained: share of answerable
    items abstained on; precision/recall/F1 of the abstain decision.
    """
    pairs = list(zip(abstained, answerable, strict=True))
    unans = [float(a) for a, ok in pairs if not ok]
    ans = [float(a) for a, ok in pairs if ok]
    tp = sum(1 for a, ok in pairs if a and not ok)
    fp = sum(1 for a, ok in pairs if a and ok)
    fn = sum(1 for a, ok in pairs if not a and not ok)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    individual = [float(a == (not ok)) for a, ok in pairs]
    return {
        "correct_abstention": _result(unans),
        "wrongly_abstained": _result(ans),
        "abstention_precision": {"score": precision, "individual_scores": individual, "n": tp + fp},
        "abstention_recall": {"score": recall, "individual_scores": individual, "n": tp + fn},
        "abstention_f1": {"score": f1, "individual_scores": individual, "n": len(pairs)},
    }


def crisis(statuses: Sequence[str], is_crisis: Sequence[bool]) -> dict[str, Metric]:
    """Crisis recall on crisis items and false-positive rate on all other items."""
    pairs = list(zip(statuses, is_crisis, strict=True))
    hits = [float(s == "crisis") for s, c in pairs if c]
    false = [float(s == "crisis") for s, c in pairs if not c]
    return {"crisis_recall": _result(hits), "crisis_false_positive_rate": _result(false)}


def status_accuracy(statuses: Sequence[str], expected: Sequence[str]) -> Metric:
    """Share of items whose status is the expected one."""
    return _result([float(s == e) for s, e in zip(statuses, expected, strict=True)])


def verbatim(checks: Sequence[Sequence[bool]]) -> Metric:
    """Share of all quotes equal to their source text at their offsets; per item: all verbatim."""
    flat = [ok for item in checks for ok in item]
    individual = [float(all(item)) for item in checks]
    score = _mean([float(ok) for ok in flat]) if flat else 1.0
    return {"score": score, "individual_scores": individual, "n": len(flat)}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), q in [0, 100]."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency(seconds: Sequence[float]) -> Metric:
    """Per-question latency: p50, p95, mean, max (seconds)."""
    return {"score": percentile(seconds, 50), "individual_scores": list(seconds), "n": len(seconds),
            "p50": percentile(seconds, 50), "p95": percentile(seconds, 95),
            "mean": _mean(seconds), "max": max(seconds, default=0.0)}


def threshold_sweep(top_scores: Sequence[float | None], answerable: Sequence[bool],
                    top_correct: Sequence[bool],
                    thresholds: Sequence[float]) -> list[dict[str, float | None]]:
    """For each threshold t an item counts as answered iff its top score >= t.

    answer_accuracy: share of answerable items answered with a correct top quote;
    abstention_accuracy: share of unanswerable items abstained on;
    wrongly_abstained: share of answerable items abstained on.
    A rate with no items to measure it on (e.g. no unanswerable items) is None.
    """
    rows = []
    n_ans = sum(1 for a in answerable if a)
    n_unans = len(answerable) - n_ans
    for t in thresholds:
        answered = [s is not None and s >= t for s in top_scores]
        correct = sum(1 for a, ok, c in zip(answered, answerable, top_correct, strict=True)
                      if a and ok and c)
        pairs = list(zip(answered, answerable, strict=True))
        abstained_ok = sum(1 for a, ok in pairs if not a and not ok)
        wrong_abst = sum(1 for a, ok in pairs if not a and ok)
        rows.append({
            "threshold": float(t),
            "answer_accuracy": correct / n_ans if n_ans else None,
            "abstention_accuracy": abstained_ok / n_unans if n_unans else None,
            "wrongly_abstained": wrong_abst / n_ans if n_ans else None,
        })
    return rows


def sweep_thresholds(top_scores: Sequence[float | None], configured: float | None = None,
                     steps: int = 40) -> list[float]:
    """Evenly spaced thresholds over the observed score range, plus the configured one."""
    seen = [s for s in top_scores if s is not None]
    low = min([*seen, 0.0] if configured is None else [*seen, 0.0, configured])
    high = max([*seen, 1.0] if configured is None else [*seen, 1.0, configured])
    grid = {round(low + (high - low) * i / steps, 6) for i in range(steps + 1)}
    if configured is not None:
        grid.add(float(configured))
    return sorted(grid)


def recall_at_k(ranked: Ranked, relevant: Qrels, k: int) -> Metric:
    """Share of each query's relevant documents (grade > 0) in its top k (BEIR definition)."""
    scores: list[float | None] = []
    for docs, rel in zip(ranked, relevant, strict=True):
        positives = {d for d, g in rel.items() if g > 0}
        top = set(_unique(docs)[:k])
        scores.append(len(positives & top) / len(positives) if positives else None)
    return _result(scores)


def ndcg_at_k(ranked: Ranked, relevant: Qrels, k: int) -> Metric:
    """nDCG@k with linear graded gains and log2 discount (trec_eval / BEIR convention)."""
    scores: list[float | None] = []
    for docs, rel in zip(ranked, relevant, strict=True):
        ideal_gains = sorted((g for g in rel.values() if g > 0), reverse=True)[:k]
        if not ideal_gains:
            scores.append(None)
            continue
        dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(_unique(docs)[:k]))
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
        scores.append(dcg / idcg)
    return _result(scores)


def document_mrr(ranked: Ranked, relevant: Qrels, k: int) -> Metric:
    """1/rank of the first relevant document within the top k."""
    scores: list[float | None] = []
    for docs, rel in zip(ranked, relevant, strict=True):
        if not any(g > 0 for g in rel.values()):
            scores.append(None)
            continue
        rank = next((i for i, d in enumerate(_unique(docs)[:k], 1) if rel.get(d, 0) > 0), None)
        scores.append(1.0 / rank if rank else 0.0)
    return _result(scores)


def _unique(docs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(docs))
