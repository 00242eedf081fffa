"""Evaluation outputs: terminal summary, JSON, CSV, baseline comparison and --fail-under gates."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simqa.evaluation import EvalRun, ItemResult
from simqa.scoring import METRICS, Scores, canonical, direction, is_failure

FORMAT = "simqa-eval/1"
PER_ITEM_KEYS = ("answer@1", "answer@3", "mrr", "words@0.5", "source@1", "coverage",
                 "coverage@0.5", "abstention", "wrongly_abstained", "crisis_recall", "crisis_fpr",
                 "status_accuracy", "verbatim", "recall@10", "ndcg@10", "doc_mrr@10")


def item_dict(result: ItemResult, scores: dict[str, float | None]) -> dict[str, Any]:
    item = result.item
    return {
        "id": item.id, "line": item.line, "question": item.question, "type": item.type,
        "answerable": item.answerable, "expected_status": item.expected_status,
        "status": result.status, "failed": is_failure(result, scores),
        "message": result.message if result.status == "error" else "",
        "seconds": round(result.seconds, 6),
        "quotes": [{"source_id": q.source_id, "start": q.start, "end": q.end, "text": q.text,
                    "score": round(q.score, 6), "role": q.role, "verbatim": q.verbatim}
                   for q in result.quotes],
        "gold": {
            "answers": list(item.answers),
            "evidence": [{"doc": e.doc, "quote": e.quote} for e in item.evidence],
            "spans": [{"doc": d, "start": s, "end": e} for d, s, e in result.gold_display_spans],
            "relevant_docs": dict(item.relevant_docs),
        },
        "ranked_docs": list(result.ranked_docs),
        "scores": {k: v for k, v in scores.items() if k != "seconds"},
    }


def run_dict(run: EvalRun, scores: Scores) -> dict[str, Any]:
    """The --json document: everything needed to compare runs later."""
    return {
        "format": FORMAT,
        "system": run.system,
        "dataset": {"name": run.dataset.name, "path": run.dataset.path,
                    "corpus_dir": run.dataset.corpus_dir, "items": len(run.results),
                    "problems": [str(p) for p in run.dataset.problems]},
        "meta": {**run.meta, "document_ranking": sorted({r.ranked_from for r in run.results
                                                          if r.ranked_from})},
        "metrics": {k: _round(v["score"]) for k, v in scores.metrics.items()},
        "counts": {k: v["n"] for k, v in scores.metrics.items()},
        "labels": {k: METRICS[k][0] for k in scores.metrics},
        "by_type": {k: {m: _round(s) for m, s in v.items()} for k, v in scores.by_type.items()},
        "type_counts": scores.type_counts,
        "sweep": {"configured_threshold": scores.threshold,
                  "rows": [{k: None if v is None else _round(v) for k, v in row.items()}
                           for row in scores.sweep]},
        "items": [item_dict(r, s) for r, s in zip(run.results, scores.per_item, strict=True)],
    }


def _round(value: float) -> float:
    return round(float(value), 6)


def write_json(data: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_csv(data: dict[str, Any], path: str | Path, max_quotes: int = 3) -> None:
    """One row per question: question, status, quotes with source and offsets, gold, metrics."""
    header = ["id", "type", "question", "expected_status", "status", "failed", "seconds"]
    for n in range(1, max_quotes + 1):
        header += [f"quote{n}_source", f"quote{n}_start", f"quote{n}_end", f"quote{n}_score",
                   f"quote{n}_role", f"quote{n}_text"]
    header += ["gold_answers", "gold_docs", "gold_spans", *PER_ITEM_KEYS]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for item in data["items"]:
            row = [item["id"], item["type"], item["question"], item["expected_status"],
                   item["status"], int(item["failed"]), item["seconds"]]
            for n in range(max_quotes):
                q = item["quotes"][n] if n < len(item["quotes"]) else None
                row += ([q["source_id"], q["start"], q["end"], q["score"], q["role"], q["text"]]
                        if q else [""] * 6)
            gold = item["gold"]
            docs = sorted({e["doc"] for e in gold["evidence"]} | set(gold["relevant_docs"]))
            row += [" | ".join(gold["answers"]), " | ".join(docs),
                    " | ".join(f"{s['doc']}:{s['start']}-{s['end']}" for s in gold["spans"])]
            row += ["" if item["scores"].get(k) is None else item["scores"][k]
                    for k in PER_ITEM_KEYS]
            writer.writerow(row)


def format_value(name: str, value: float) -> str:
    if name.startswith("latency"):
        return f"{value * 1000:.1f} ms" if value < 0.01 else f"{value * 1000:.0f} ms"
    if name == "quote_length":
        return f"{value:.0f} chars"
    return f"{value:.3f}"


def terminal_summary(data: dict[str, Any]) -> str:
    """A plain-text summary: the metrics, then a per-type table."""
    meta = data["meta"]
    lines = [f"simqa eval: {data['dataset']['name']} ({data['dataset']['items']} questions), "
             f"system {data['system']}, model {meta.get('model', '?')}, "
             f"corpus_version {meta.get('corpus_version', '?')}"]
    problems = data["dataset"]["problems"]
    if problems:
        lines.append(f"skipped {len(problems)} malformed line(s):")
        lines += [f"  {p}" for p in problems[:10]]
    width = max((len(k) for k in data["metrics"]), default=10)
    for name, value in data["metrics"].items():
        lines.append(f"  {name:<{width}}  {format_value(name, value):>10}   "
                     f"n={data['counts'][name]:<5} {data['labels'][name]}")
    by_type = data["by_type"]
    if len(by_type) > 1:
        columns = [c for c in ("answer@1", "answer@3", "coverage@0.5", "abstention",
                               "crisis_recall", "status_accuracy", "verbatim")
                   if any(c in v for v in by_type.values())]
        name_width = max(len(k) for k in by_type) + 2
        widths = [len(c) + 2 for c in columns]
        lines.append("")
        lines.append(f"  {'type':<{name_width}}{'n':>5}" +
                     "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
        for kind, values in by_type.items():
            cells = "".join(f"{values[c]:>{w}.3f}" if c in values else f"{'-':>{w}}"
                            for c, w in zip(columns, widths, strict=True))
            lines.append(f"  {kind:<{name_width}}{data['type_counts'][kind]:>5}{cells}")
    errors = [i for i in data["items"] if i["status"] == "error"]
    if errors:
        lines.append(f"\n  {len(errors)} question(s) raised an error, e.g. {errors[0]['id']}: "
                     f"{errors[0]['message']}")
    failures = sum(1 for i in data["items"] if i["failed"])
    lines.append(f"\n  {failures} of {len(data['items'])} questions failed")
    return "\n".join(lines)


@dataclass(frozen=True)
class Bound:
    metric: str
    op: str  # ">=" or "<="
    value: float

    def holds(self, score: float) -> bool:
        return score >= self.value if self.op == ">=" else score <= self.value

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {self.value:g}"


_BOUND = re.compile(r"^\s*([\w@.\-]+)\s*(>=|<=|=)\s*([0-9]*\.?[0-9]+)\s*$")


def parse_bounds(spec: str) -> list[Bound]:
    """'answer@1=0.8,wrongly_abstained<=0.05' -> bounds; '=' means "not worse than"."""
    bounds = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _BOUND.match(part)
        if not match:
            raise ValueError(f"cannot read bound {part!r}; write metric=value, e.g. answer@1=0.8")
        name = canonical(match.group(1))
        op = match.group(2)
        if op == "=":
            op = "<=" if direction(name) < 0 else ">="
        bounds.append(Bound(name, op, float(match.group(3))))
    return bounds


def check_bounds(metrics: dict[str, float], bounds: list[Bound]) -> list[str]:
    """Messages for every bound that fails (a metric that was not measured fails too)."""
    failures = []
    for bound in bounds:
        if bound.metric not in metrics:
            failures.append(f"{bound.metric} was not measured on this test set (wanted {bound})")
        elif not bound.holds(metrics[bound.metric]):
            failures.append(f"{bound.metric} = {metrics[bound.metric]:.3f}, wanted {bound}")
    return failures


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Metric deltas and the questions that got better or worse against a previous --json."""
    if old.get("format") != FORMAT:
        raise ValueError("the baseline file is not a simqa eval --json output")
    deltas = {}
    for name, value in new["metrics"].items():
        if name in old["metrics"]:
            deltas[name] = {"old": old["metrics"][name], "new": value,
                            "delta": _round(value - old["metrics"][name])}
    old_items = {i["id"]: i for i in old["items"]}
    better, worse = [], []
    for item in new["items"]:
        before = old_items.get(item["id"])
        if before is None or before["failed"] == item["failed"]:
            continue
        entry = {"id": item["id"], "question": item["question"],
                 "old_status": before["status"], "new_status": item["status"]}
        (worse if item["failed"] else better).append(entry)
    new_ids = {i["id"] for i in new["items"]}
    return {"metrics": deltas, "better": better, "worse": worse,
            "only_in_old": sorted(set(old_items) - new_ids),
            "only_in_new": sorted(new_ids - set(old_items))}


def comparison_summary(diff: dict[str, Any]) -> str:
    lines = ["compared with baseline:"]
    for name, d in diff["metrics"].items():
        sign = direction(name)
        arrow = "" if d["delta"] == 0 or sign == 0 else (
            " better" if d["delta"] * sign > 0 else " worse")
        lines.append(f"  {name:<22} {d['old']:>9.3f} -> {d['new']:>9.3f}  "
                     f"({d['delta']:+.3f}{arrow})")
    for label in ("better", "worse"):
        lines.append(f"  {len(diff[label])} question(s) got {label}:")
        lines += [f"    {e['id']}: {e['question'][:70]} ({e['old_status']} -> {e['new_status']})"
                  for e in diff[label]]
    if diff["only_in_old"] or diff["only_in_new"]:
        lines.append(f"  not compared: {len(diff['only_in_old'])} only in baseline, "
                     f"{len(diff['only_in_new'])} only in this run")
    return "\n".join(lines)
