"""Questions written about the corpus, with their answers: which units answered questions like
this one, and whether questions like it were ones the documents do not answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from simqa.corpus import CorpusError

# Two leaf modules of the evaluation side (neither imports simqa): the question files use the
# test-set format, and "holds its answer" means what answer@1 means.
from simqa.datasets import DatasetError, load_dataset
from simqa.metrics import normalize
from simqa.records import Sentence

FOLDER = "questions"  # inside the corpus folder: <corpus_dir>/questions/*.jsonl
NEIGHBOURS = 20
# Share of answerable questions the bank's own refusal may refuse, measured with each writer's
# questions held out of the bank (the gap check's threshold is chosen the same way).
REFUSAL_RATE = 1 / 200
# Softness of the vote: a neighbour 0.1 less similar than an identical question counts 1/e.
VOTE_SCALE = 0.1
SIGNALS = ("bank_similarity", "bank_votes", "bank_first")


@dataclass(frozen=True)
class BankQuestion:
    text: str
    answerable: bool
    answers: tuple[str, ...]
    group: str  # "<file stem>/<writer>": questions one writer wrote, held out together
    evidence: tuple[str, ...] = ()  # the passages its writer quoted as the answer


def read_questions(corpus_dir: str | Path) -> list[BankQuestion]:
    """Every question in <corpus_dir>/questions/*.jsonl (the test-set format); none when the
    folder is absent."""
    folder = Path(corpus_dir) / FOLDER
    if not folder.is_dir():
        return []
    questions = []
    for path in sorted(folder.glob("*.jsonl")):
        try:
            items = load_dataset(path, strict=True).items
        except DatasetError as error:
            raise CorpusError(f"the corpus's questions cannot be read: {error}") from None
        for item in items:
            if item.is_crisis or item.expected_status == "smalltalk":
                continue
            questions.append(BankQuestion(
                item.question, item.answerable, item.answers if item.answerable else (),
                group_of(path.stem, item.id),
                tuple(e.quote for e in item.evidence if e.quote) if item.answerable else ()))
    return questions


def questions_digest(questions: list[BankQuestion]) -> str:
    digest = hashlib.sha256()
    for q in questions:
        digest.update(f"{q.text}\x1f{q.answerable}\x1f{'|'.join(q.answers)}\x1f{q.group}"
                      f"\x1f{'|'.join(q.evidence)}\x1e".encode())
    return digest.hexdigest()


def answering_units(questions: list[BankQuestion], sentences: list[Sentence]) -> list[list[int]]:
    """For each question, the units holding one of its answer phrases (normalised as answer@1
    checks a quote: metrics.contains_answer). Of the units holding a phrase, only those its
    writer quoted count when there are any ("11 May 2021" is also in twenty reference lines);
    none for a question the documents do not answer."""
    texts = [normalize(s.text) for s in sentences]
    runs = [_word_runs(text) for text in texts]
    found = []
    for q in questions:
        quoted = [normalize(e) for e in q.evidence]
        quoted_runs = set().union(*map(_word_runs, quoted)) if quoted else set()
        units: set[int] = set()
        for phrase in filter(None, map(normalize, q.answers)):
            holding = [s.id for s, text in zip(sentences, texts, strict=True) if phrase in text]
            cited = [u for u in holding
                     if runs[u] & quoted_runs or any(texts[u] in e for e in quoted)]
            units.update(cited or holding)
        found.append(sorted(units))
    return found


_RUN = 6  # words: a unit shares this many in a row with a quoted passage when it is quoted


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i:i + _RUN]) for i in range(len(words) - _RUN + 1)}


@dataclass(frozen=True)
class QuestionBank:
    vectors: np.ndarray  # one normalised row per question, encoded as a question
    units: tuple[tuple[int, ...], ...]  # the units holding its answer
    groups: tuple[str, ...]
    answerable: np.ndarray  # bool per question: do the documents answer it?
    # unanswered_lead above which a question is refused, and below which the bank vouches
    # that the documents answer it (lead_thresholds).
    refuse_above: float = float("inf")
    vouch_below: float = float("-inf")

    def __len__(self) -> int:
        return len(self.units)

    def without(self, group: str) -> QuestionBank:
        """The bank minus one writer's questions: how it looks to a question it never saw."""
        keep = [i for i, g in enumerate(self.groups) if g != group]
        return QuestionBank(self.vectors[keep], tuple(self.units[i] for i in keep),
                            tuple(self.groups[i] for i in keep), self.answerable[keep],
                            self.refuse_above, self.vouch_below)

    def nearest(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The closest questions, best first, and their similarities to `vector`."""
        similarities = self.vectors @ vector
        k = min(NEIGHBOURS, len(similarities))
        top = np.argpartition(-similarities, k - 1)[:k]
        top = top[np.argsort(-similarities[top], kind="stable")]
        return top, similarities[top]

    def units_of(self, questions: np.ndarray) -> np.ndarray:
        """Every unit that answered one of these questions."""
        return np.array(sorted({u for i in questions for u in self.units[i]}), dtype=np.int64)

    def unanswered_lead(self, vector: np.ndarray) -> float:
        """How much closer the closest question the documents do not answer comes than the
        closest one they do (negative: an answered question is closer)."""
        answered, unanswered = self._split
        if not len(answered) or not len(unanswered):
            return -1.0
        return float((unanswered @ vector).max() - (answered @ vector).max())

    @cached_property
    def _split(self) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of the answerable questions and of the others, each contiguous."""
        return (np.ascontiguousarray(self.vectors[self.answerable]),
                np.ascontiguousarray(self.vectors[~self.answerable]))

    def unanswered(self, vector: np.ndarray) -> bool | None:
        """True when a question the documents do not answer comes closer, by more than
        refuse_above, than any they do; False when one they answer comes closer, by more than
        vouch_below, than any they do not; None when the bank cannot tell."""
        lead = self.unanswered_lead(vector)
        if lead > self.refuse_above:
            return True
        if lead < self.vouch_below:
            return False
        return None

    def signals(self, top: np.ndarray, similarities: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Per candidate unit, columns of SIGNALS from the closest questions (`nearest`): its
        best similarity among those it answered, their similarity-weighted votes, and
        1/(1+rank) of the first."""
        rows = np.zeros((len(ids), len(SIGNALS)), dtype=np.float32)
        position = {int(u): row for row, u in enumerate(ids)}
        for rank, (question, similarity) in enumerate(zip(top, similarities, strict=True)):
            for unit in self.units[question]:
                row = position.get(unit)
                if row is None:
                    continue
                rows[row, 0] = max(rows[row, 0], similarity)
                rows[row, 1] += np.exp((similarity - 1.0) / VOTE_SCALE)
                rows[row, 2] = max(rows[row, 2], 1.0 / (1 + rank))
        return rows


def lead_thresholds(vectors: np.ndarray, answerable: np.ndarray, groups: list[str],
                    rate: float = REFUSAL_RATE) -> tuple[float, float]:
    """Two unanswered leads, each question compared with the bank minus its own writer's
    questions: the one only `rate` of the answerable questions exceed (above it, refuse), and
    the one only `rate` of the unanswerable questions fall below (below it, the bank vouches
    that the documents answer). (inf, -inf) when the bank lacks either kind."""
    if answerable.all() or not answerable.any():
        return float("inf"), float("-inf")
    similarities = vectors @ vectors.T
    writer = np.array(groups)
    similarities[writer[:, None] == writer[None, :]] = -np.inf
    leads = similarities[:, ~answerable].max(axis=1) - similarities[:, answerable].max(axis=1)
    asked, unasked = leads[answerable], leads[~answerable]
    asked, unasked = asked[np.isfinite(asked)], unasked[np.isfinite(unasked)]
    return (float(np.quantile(asked, 1 - rate)) if len(asked) else float("inf"),
            float(np.quantile(unasked, rate)) if len(unasked) else float("-inf"))


def group_of(file_stem: str, question_id: str) -> str:
    """Who wrote a question: its file and the id's writer prefix ("t1-001" -> "t1")."""
    writer = question_id.rsplit("-", 1)[0] if "-" in question_id else question_id
    return f"{file_stem}/{writer}"
