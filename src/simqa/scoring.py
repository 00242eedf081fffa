"""Scores an EvalRun: every metric over the items it applies to, per item, per type, and a sweep."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simqa import metrics as m
from simqa.evaluation import RANK_DEPTH, EvalRun, ItemResult

# Metric name -> (label, direction): +1 higher is better, -1 lower is better, 0 neither.
METRICS: dict[str, tuple[str, int]] = {
    "answer@1": ("answer@1 (top quote contains a gold phrase)", 1),
    "answer@3": ("answer@3 (one of the first 3 quotes does)", 1),
    "mrr": ("MRR of the first correct quote", 1),
    "words@0.5": ("top quote holds >= 50% of the gold answer's words", 1),
    "source@1": ("source@1 (top quote from an evidence or relevant document)", 1),
    "coverage": ("gold-span characters covered by the top quote (mean)", 1),
    "coverage@0.5": ("top quote covers >= 50% of the gold span", 1),
    "quote_length": ("mean length of the top quote (characters)", 0),
    "abstention": ("correct abstention on unanswerable items", 1),
    "wrongly_abstained": ("answerable items wrongly abstained on", -1),
    "abstention_precision": ("abstention precision", 1),
    "abstention_recall": ("abstention recall", 1),
    "abstention_f1": ("abstention F1", 1),
    "crisis_recall": ("crisis recall", 1),
    "crisis_fpr": ("crisis false-positive rate on other items", -1),
    "status_accuracy": ("status as expected (answered/not_found/crisis/smalltalk)", 1),
    "verbatim": ("verbatim rate (quote == source text[start:end])", 1),
    f"recall@{RANK_DEPTH}": (f"document recall@{RANK_DEPTH} (graded qrels)", 1),
    f"ndcg@{RANK_DEPTH}": (f"document nDCG@{RANK_DEPTH} (graded qrels)", 1),
    f"doc_mrr@{RANK_DEPTH}": (f"MRR of the first relevant document in the top {RANK_DEPTH}", 1),
    "latency_p50": ("latency p50 per question (s)", -1),
    "latency_p95": ("latency p95 per question (s)", -1),
}
ALIASES = {"correct_abstention": "abstention", "crisis_false_positive_rate": "crisis_fpr",
           "recall": f"recall@{RANK_DEPTH}", "ndcg": f"ndcg@{RANK_DEPTH}"}
ABSTAIN_SCOPE = frozenset({"answered", "not_found"})


@dataclass(frozen=True)
class Scores:
    metrics: dict[str, dict[str, Any]]  # name -> {"score", "individual_scores", "n"}
    per_item: list[dict[str, float | None]]  # aligned with run.results
    by_type: dict[str, dict[str, float]]  # type -> name -> score
    type_counts: dict[str, int]
    sweep: list[dict[str, float | None]]
    threshold: float | None

    def summary(self) -> dict[str, float]:
        return {name: float(v["score"]) for name, v in self.metrics.items()}


def _scatter(per_item: list[dict[str, float | None]], name: str, positions: Sequence[int],
             metric: dict[str, Any]) -> None:
    for pos, value in zip(positions, metric["individual_scores"], strict=True):
        per_item[pos][name] = value


def score_results(results: Sequence[ItemResult]) -> tuple[dict[str, dict[str, Any]],
                                                            list[dict[str, float | None]]]:
    """Every metric that applies to these results (n > 0), and the per-item values."""
    per_item: list[dict[str, float | None]] = [{} for _ in results]
    out: dict[str, dict[str, Any]] = {}

    def add(name: str, positions: Sequence[int], metric: dict[str, Any]) -> None:
        if metric["n"] > 0:
            out[name] = metric
            _scatter(per_item, name, positions, metric)

    qa = [i for i, r in enumerate(results) if r.item.answerable and r.item.answers]
    texts = [[q.text for q in results[i].answer_quotes] for i in qa]
    golds = [results[i].item.answers for i in qa]
    add("answer@1", qa, m.answer_at_k(texts, golds, 1))
    add("answer@3", qa, m.answer_at_k(texts, golds, 3))
    add("mrr", qa, m.mean_reciprocal_rank(texts, golds))
    add("words@0.5", qa, m.gold_words_covered([t[0] if t else None for t in texts], golds))

    evidence = [i for i, r in enumerate(results) if r.item.answerable and r.item.gold_docs]
    top_docs = [_top_doc(results[i]) for i in evidence]
    add("source@1", evidence, m.source_at_1(top_docs, [sorted(results[i].item.gold_docs)
                                                       for i in evidence]))

    spans = [i for i, r in enumerate(results) if r.gold_display_spans]
    intervals, gold_intervals = [], []
    for i in spans:
        top = results[i].answer_quotes[0] if results[i].answer_quotes else None
        gold = [(s, e) for _, s, e in results[i].gold_display_spans]
        on_doc = top is not None and any(d == top.source_id for d, _, _ in
                                         results[i].gold_display_spans)
        intervals.append((top.start, top.end) if on_doc and top else None)
        gold_intervals.append(gold)
    coverage = m.span_coverage(intervals, gold_intervals)
    add("coverage", spans, coverage)
    add("coverage@0.5", spans, {"score": coverage["at_threshold"], "n": coverage["n"],
                                "individual_scores": [float(x >= 0.5) for x in
                                                      coverage["individual_scores"]]})

    answered = [i for i, r in enumerate(results) if r.answer_quotes]
    add("quote_length", answered, m.mean_length([results[i].answer_quotes[0].text
                                                 for i in answered]))

    scope = [i for i, r in enumerate(results) if r.item.expected_status in ABSTAIN_SCOPE]
    abst = m.abstention([results[i].status != "answered" for i in scope],
                        [results[i].item.answerable for i in scope])
    unanswerable = [i for i in scope if not results[i].item.answerable]
    add("abstention", unanswerable, abst["correct_abstention"])
    add("wrongly_abstained", [i for i in scope if results[i].item.answerable],
        abst["wrongly_abstained"])
    if any(not results[i].item.answerable for i in scope):
        for name in ("abstention_precision", "abstention_recall", "abstention_f1"):
            add(name, scope, abst[name])

    everything = list(range(len(results)))
    crisis = m.crisis([r.status for r in results], [r.item.is_crisis for r in results])
    crisis_items = [i for i in everything if results[i].item.is_crisis]
    if crisis_items:
        add("crisis_recall", crisis_items, crisis["crisis_recall"])
        add("crisis_fpr", [i for i in everything if not results[i].item.is_crisis],
            crisis["crisis_false_positive_rate"])
    add("status_accuracy", everything, m.status_accuracy(
        [r.status for r in results], [r.item.expected_status for r in results]))
    add("verbatim", everything, m.verbatim([[q.verbatim for q in r.quotes] for r in results]))

    ranked = [i for i, r in enumerate(results) if r.item.relevant_docs]
    docs = [results[i].ranked_docs for i in ranked]
    qrels = [dict(results[i].item.relevant_docs) for i in ranked]
    add(f"recall@{RANK_DEPTH}", ranked, m.recall_at_k(docs, qrels, RANK_DEPTH))
    add(f"ndcg@{RANK_DEPTH}", ranked, m.ndcg_at_k(docs, qrels, RANK_DEPTH))
    add(f"doc_mrr@{RANK_DEPTH}", ranked, m.document_mrr(docs, qrels, RANK_DEPTH))

    lat = m.latency([r.seconds for r in results])
    if lat["n"]:
        out["latency_p50"] = {**lat, "score": lat["p50"]}
        out["latency_p95"] = {**lat, "score": lat["p95"]}
        for i, r in enumerate(results):
            per_item[i]["seconds"] = r.seconds
    return out, per_item


def _top_doc(result: ItemResult) -> str | None:
    return result.answer_quotes[0].source_id if result.answer_quotes else None


def sweep(results: Sequence[ItemResult],
          threshold: float | None) -> list[dict[str, float | None]]:
    """Answer vs abstention accuracy if the system answered iff its top score >= t."""
    scope = [r for r in results if r.item.expected_status in ABSTAIN_SCOPE
             and (r.item.answers or not r.item.answerable)]
    if not scope:
        return []
    scores = [r.top_score if r.status in ABSTAIN_SCOPE else None for r in scope]
    correct = [bool(r.quotes) and m.contains_answer(r.quotes[0].text, r.item.answers)
               for r in scope]
    grid = m.sweep_thresholds(scores, threshold)
    return m.threshold_sweep(scores, [r.item.answerable for r in scope], correct, grid)


def score_run(run: EvalRun) -> Scores:
    metrics, per_item = score_results(run.results)
    by_type: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for kind in sorted({r.item.type for r in run.results}):
        subset = [r for r in run.results if r.item.type == kind]
        type_metrics, _ = score_results(subset)
        by_type[kind] = {k: float(v["score"]) for k, v in type_metrics.items()}
        counts[kind] = len(subset)
    return Scores(metrics=metrics, per_item=per_item, by_type=by_type, type_counts=counts,
                  sweep=sweep(run.results, run.threshold), threshold=run.threshold)


def canonical(name: str) -> str:
    """Metric name as used in reports: accepts aliases, case-insensitive."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in METRICS:
        raise KeyError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    return key


def direction(name: str) -> int:
    return METRICS.get(name, ("", 1))[1]


def is_failure(result: ItemResult, scores: dict[str, float | None]) -> bool:
    """A question the system got wrong: wrong status, a non-verbatim quote, or a wrong answer."""
    if result.status != result.item.expected_status or scores.get("verbatim") == 0.0:
        return True
    for key in ("coverage@0.5", "answer@1", f"ndcg@{RANK_DEPTH}"):
        if scores.get(key) is not None:
            return scores[key] == 0.0
    return False
