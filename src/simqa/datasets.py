"""Test sets: simqa JSONL files and benchmark folders loaded into frozen dataclasses."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CRISIS_TYPES = frozenset({"crisis"})
SMALLTALK_TYPES = frozenset({"chit-chat", "chitchat", "smalltalk", "small-talk"})
STATUSES = frozenset({"answered", "not_found", "crisis", "smalltalk"})
UNTYPED = "untyped"


class DatasetError(ValueError):
    """A test set that cannot be used (missing file, or malformed lines under --strict)."""


@dataclass(frozen=True)
class Evidence:
    doc: str
    quote: str = ""


@dataclass(frozen=True)
class Span:
    """A gold answer span: [start, end) into the original text of document `doc`."""

    doc: str
    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    answerable: bool
    answers: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    spans: tuple[Span, ...] = ()
    relevant_docs: tuple[tuple[str, int], ...] = ()  # (doc id, grade > 0)
    type: str = UNTYPED
    expected_status: str = "answered"
    line: int = 0

    @property
    def gold_docs(self) -> frozenset[str]:
        docs = {e.doc for e in self.evidence} | {s.doc for s in self.spans}
        docs |= {d for d, g in self.relevant_docs if g > 0}
        return frozenset(docs)

    @property
    def is_crisis(self) -> bool:
        return self.expected_status == "crisis"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Dataset:
    name: str
    path: str  # the questions file
    items: tuple[Item, ...]
    problems: tuple[Problem, ...] = ()
    corpus_dir: str | None = None  # None: evaluate against the configured (project) corpus

    def limited(self, n: int | None) -> Dataset:
        if n is None or n >= len(self.items):
            return self
        return Dataset(self.name, self.path, self.items[:n], self.problems, self.corpus_dir)


def doc_id(name: str) -> str:
    """Benchmark file name -> engine document id (the file stem): '630-foo.txt' -> '630-foo'."""
    name = name.strip().replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".txt", ".md", ".markdown"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def load_dataset(path: str | Path, strict: bool = False) -> Dataset:
    """Load a JSONL file or a benchmark folder (questions.jsonl + corpus/).

    Malformed lines become `Problem`s (file:line) and are skipped; with strict=True any
    problem raises DatasetError listing them all.
    """
    p = Path(path)
    corpus_dir: str | None = None
    if p.is_dir():
        questions = p / "questions.jsonl"
        if not questions.is_file():
            candidates = sorted(p.glob("*.jsonl"))
            if len(candidates) != 1:
                raise DatasetError(f"{p}: no questions.jsonl in this folder")
            questions = candidates[0]
        if (p / "corpus").is_dir():
            corpus_dir = str((p / "corpus").resolve())
        name = p.resolve().name
    elif p.is_file():
        questions = p
        name = p.stem
        sibling = p.parent / "corpus"
        if p.name == "questions.jsonl" and sibling.is_dir():
            corpus_dir = str(sibling.resolve())
            name = p.resolve().parent.name
    else:
        raise DatasetError(f"{p}: no such file or folder")

    items, problems = parse_lines(questions.read_text(encoding="utf-8"), str(questions))
    if strict and problems:
        listing = "\n".join(str(x) for x in problems)
        raise DatasetError(f"{len(problems)} malformed line(s) (--strict):\n{listing}")
    if not items and not problems:
        problems = [Problem(str(questions), 0, "the file holds no items")]
        if strict:
            raise DatasetError(str(problems[0]))
    return Dataset(name, str(questions), tuple(items), tuple(problems), corpus_dir)


def parse_lines(text: str, filename: str = "<string>") -> tuple[list[Item], list[Problem]]:
    items: list[Item] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(filename, number, f"not valid JSON ({exc.msg})"))
            continue
        try:
            item = parse_item(record, number)
        except ValueError as exc:
            problems.append(Problem(filename, number, str(exc)))
            continue
        if item.id in seen:
            first = seen[item.id]
            message = f"duplicate id {item.id!r} (first on line {first})"
            problems.append(Problem(filename, number, message))
            continue
        seen[item.id] = number
        items.append(item)
    return items, problems


def parse_item(record: Any, line: int = 0) -> Item:
    """One JSON object -> Item; raises ValueError naming the first thing wrong with it."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    item_id = record.get("id", f"line-{line}")
    if isinstance(item_id, bool) or not isinstance(item_id, str | int):
        raise ValueError("'id' must be a string or an integer")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' must be a non-empty string")
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise ValueError("'answerable' must be true or false")
    answers = _strings(record.get("answers", []), "answers")
    evidence = _evidence(record.get("evidence", []))
    spans = _spans(record)
    relevant = _relevant(record.get("relevant_docs", {}))
    kind = record.get("type") or UNTYPED
    if not isinstance(kind, str):
        raise ValueError("'type' must be a string")
    status = record.get("expected_status") or _expected_status(kind, answerable)
    if status not in STATUSES:
        raise ValueError(f"'expected_status' must be one of {sorted(STATUSES)}")
    if answerable and status != "answered":
        raise ValueError(f"an answerable item cannot expect status {status!r}")
    if not answerable and (answers or spans):
        raise ValueError("an unanswerable item must not carry answers or answer_spans")
    if "doc" in record and not isinstance(record["doc"], str):
        raise ValueError("'doc' must be a string")
    if record.get("doc") and not evidence and not relevant:
        evidence = (Evidence(doc_id(record["doc"])),)
    return Item(
        id=str(item_id), question=question.strip(), answerable=answerable, answers=answers,
        evidence=evidence, spans=spans, relevant_docs=relevant, type=kind,
        expected_status=status, line=line,
    )


def _expected_status(kind: str, answerable: bool) -> str:
    if answerable:
        return "answered"
    if kind.lower() in CRISIS_TYPES:
        return "crisis"
    if kind.lower() in SMALLTALK_TYPES:
        return "smalltalk"
    return "not_found"


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{name}' must be a list of strings")
    return tuple(v for v in value if v.strip())


def _evidence(value: Any) -> tuple[Evidence, ...]:
    if not isinstance(value, list):
        raise ValueError("'evidence' must be a list of {doc, quote} objects")
    out = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("doc"), str):
            raise ValueError("each 'evidence' entry needs a string 'doc'")
        quote = entry.get("quote", "")
        if not isinstance(quote, str):
            raise ValueError("an 'evidence' quote must be a string")
        out.append(Evidence(doc_id(entry["doc"]), quote))
    return tuple(out)


def _spans(record: dict[str, Any]) -> tuple[Span, ...]:
    raw = record.get("answer_spans")
    if raw is None:
        return ()
    doc = record.get("context_doc") or record.get("doc")
    if not isinstance(doc, str) or not doc:
        raise ValueError("'answer_spans' needs a string 'doc'")
    if not isinstance(raw, list):
        raise ValueError("'answer_spans' must be a list of [start, end] pairs")
    answers = record.get("answers") or []
    out = []
    for i, pair in enumerate(raw):
        ok = isinstance(pair, list) and len(pair) == 2
        ok = ok and all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
        if not ok or not 0 <= pair[0] < pair[1]:
            raise ValueError(f"'answer_spans' entry {pair!r} is not a [start, end] pair")
        text = answers[i] if i < len(answers) and isinstance(answers[i], str) else ""
        out.append(Span(doc_id(doc), pair[0], pair[1], text))
    return tuple(out)


def _relevant(value: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict):
        raise ValueError("'relevant_docs' must be an object {doc: grade}")
    out = []
    for doc, grade in value.items():
        ok = isinstance(grade, int | float) and not isinstance(grade, bool) and math.isfinite(grade)
        if not ok:
            raise ValueError(f"'relevant_docs' grade for {doc!r} must be a number")
        if grade > 0:
            out.append((doc_id(doc), int(grade)))
    return tuple(sorted(out))
