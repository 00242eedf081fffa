"""Score candidate sentences from retrieval signals, coverage, answer type and unit kind."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simqa.lexicon import Lexicon, distinct_meanings, tokens
from simqa.question_bank import SIGNALS as BANK_SIGNALS
from simqa.questions import (
    demanded_form,
    has_new_instance,
    holds_form,
    instances,
    measure,
    offers,
    person_asked,
    question_type,
    role_asked,
)
from simqa.records import Sentence
from simqa.retrieval import Retrieved
from simqa.store import IndexData

FEATURES = (
    "dense_sentence", "dense_context", "dense_passage", "bm25_sentence", "bm25_passage",
    "rrf", "coverage", "coverage_context", "type_match", "heading", "toc", "lead_in",
    "reference", "short", "row", "bullet", "bigrams", "type_new", "pointer", "length",
    *BANK_SIGNALS,
)

# A unit that points elsewhere answers little itself (a score penalty; the units that do
# nothing but direct the reader are never quoted: extraction.points_elsewhere).
_POINTER = re.compile(r"\b(?:see (?:below|above|annex|appendix|section|para|fig|table)|"
                      r"click here|(?:is|are) (?:set out|shown|detailed|described) (?:below|above|"
                      r"in (?:annex|appendix|section|table))|\bbelow\.?$|read the full|"
                      r"can be (?:downloaded|found|accessed) here|available (?:here|from)|"
                      r"please (?:see|click|refer))", re.I)

_WEIGHTS_FILE = Path(__file__).with_name("ranker_weights.json")
# Used only when ranker_weights.json (written by scripts/train_ranker.py) is absent.
_FALLBACK_WEIGHTS = {
    "dense_sentence": 1.0, "dense_context": 0.8, "dense_passage": 0.3,
    "bm25_sentence": 0.5, "bm25_passage": 0.2, "rrf": 4.0,
    "coverage": 0.8, "coverage_context": 0.3, "type_match": 0.15,
    "heading": -1.0, "toc": -1.5, "lead_in": -0.3, "reference": -0.4, "short": -0.2,
    "row": 0.0, "bullet": 0.0, "bigrams": 0.3, "type_new": 0.3, "pointer": -0.5,
    "length": 0.0, "bank_similarity": 1.0, "bank_votes": 3.0, "bank_first": 2.0,
}


def load_weights(path: Path = _WEIGHTS_FILE) -> dict[str, float]:
    if not path.exists():
        return dict(_FALLBACK_WEIGHTS)
    table = json.loads(path.read_text(encoding="utf-8"))
    learnt = dict(zip(table["features"], table["weights"], strict=True))
    return {name: float(learnt.get(name, 0.0)) for name in FEATURES}


WEIGHTS = load_weights()


@dataclass(frozen=True)
class Ranked:
    sentence_ids: np.ndarray  # best first
    scores: np.ndarray
    features: np.ndarray  # rows aligned with sentence_ids, columns with FEATURES
    coverage: np.ndarray
    qtype: str
    query_tokens: tuple[str, ...]
    # The form the question cannot be answered without (questions.demanded_form; "" for none),
    # and whether the best unit holds it.
    demand: str = ""
    demand_met: bool = True
    # Where the two units confidence is read from now stand. A unit that states what was asked
    # ("The role of the AHSN is ...") may go first without making the answer look less sure.
    lead: int = 0
    runner_up: int = 1


def feature_matrix(
    retrieved: Retrieved, index: IndexData, qtype: str, question: str = ""
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of FEATURES for each retrieved candidate, plus its plain question-word coverage."""
    query = set(retrieved.query_tokens)
    sequence = retrieved.query_tokens
    bigrams = set(zip(sequence, sequence[1:], strict=False))
    # Rarer question words count for more; a word the corpus never uses, as much as the rarest.
    ceiling = max(index.idf.values(), default=1.0)
    weights = {t: index.idf.get(t, ceiling) for t in query}
    total = sum(weights.values()) or 1.0
    long_forms = long_forms_asked(retrieved.query_tokens, index) if qtype == "definition" else ()
    facts = _facts(index)
    measured = measure(question)
    count = len(retrieved.ids)
    # Per-candidate values computed in Python, then written a column at a time.
    cover, cover_context, typed, new, paired = (np.zeros(count, dtype=np.float32)
                                                for _ in range(5))
    static = np.zeros((count, len(_STATIC)), dtype=np.float32)
    for row, sid in enumerate(retrieved.ids):
        unit = int(sid)
        cover[row] = sum(weights[t] for t in query & index.sentence_tokens[unit]) / total
        cover_context[row] = sum(weights[t] for t in query & index.context_tokens[unit]) / total
        if long_forms:
            typed[row] = _defines(index.sentences[unit].text, long_forms)
            new[row] = facts.offers(unit, qtype)
        else:
            typed[row] = facts.offers(unit, qtype)
            new[row] = (has_new_instance(facts.instances(unit, qtype, measured), question)
                        if qtype in _INSTANCE_TYPES else typed[row])
        if bigrams:
            paired[row] = len(bigrams & index.sentence_bigrams[unit]) / len(bigrams)
        static[row] = facts.static(unit)
    rrf = 1.0 / (60 + retrieved.rank_dense) + 1.0 / (60 + retrieved.rank_bm25)
    rows = np.column_stack([
        retrieved.dense_sentence, retrieved.dense_context, retrieved.dense_passage,
        _scale(retrieved.bm25_sentence), _scale(retrieved.bm25_passage), rrf, cover,
        cover_context, typed, static[:, :7], paired, new, static[:, 7:], retrieved.bank,
    ]).astype(np.float32)
    return rows, cover


def rank(question: str, retrieved: Retrieved, index: IndexData,
         weights: dict[str, float] | None = None) -> Ranked:
    qtype = question_type(question)
    features, coverage = feature_matrix(retrieved, index, qtype, question)
    w = np.array([(weights or WEIGHTS)[name] for name in FEATURES], dtype=np.float32)
    scores = features @ w
    order = _promote_typed(np.argsort(-scores, kind="stable"), features, qtype, index,
                           retrieved.ids)
    demand = demanded_form(question)
    order, met = _promote_form(order, demand, index, retrieved.ids)
    judged = order[:2]
    order = _promote_described(order, person_asked(question), index, retrieved.ids)
    order = _promote_role(order, role_asked(question), index, retrieved.ids)
    lead, runner_up = _positions(order, judged)
    return Ranked(
        sentence_ids=retrieved.ids[order],
        scores=scores[order],
        features=features[order],
        coverage=coverage[order],
        qtype=qtype,
        query_tokens=retrieved.query_tokens,
        demand=demand,
        demand_met=met,
        lead=lead,
        runner_up=runner_up,
    )


def _positions(order: np.ndarray, judged: np.ndarray) -> tuple[int, int]:
    """Where the first two candidates before a promotion now stand (the lead and the
    runner-up); 0 and 1 when there were fewer."""
    found = [int(np.flatnonzero(order == candidate)[0]) for candidate in judged]
    lead = found[0] if found else 0
    runner_up = found[1] if len(found) > 1 else 1
    return lead, runner_up


_FORM_DEPTH = 5


def _promote_described(order: np.ndarray, person: str, index: IndexData,
                       ids: np.ndarray) -> np.ndarray:
    """For "who is X?", the first of the best few quotable units that gives X's role beside
    the name ("Tim Kendall (National Clinical Director ...)", "Dr Geraldine Strathdee OBE,
    'Project Mentor ...'") goes first."""
    if not person:
        return order
    described = re.compile("(?i:" + re.escape(person).replace(r"\ ", r"\s+")
                           + r")(?:\s+[A-Z]{2,4})?(?:\s*\([A-Z]|,\s+['‘\"“]?[A-Z]|\s[-–]\s)")
    return _first_holding(order, index, ids, _FORM_DEPTH,
                          lambda unit: bool(described.search(unit.text)),
                          counted=lambda unit: unit.quotable and unit.kind != "reference")[0]


# Whose role a unit states: the words just after "role of", or just before "'s role",
# "responsible for" or "responsibility".
_ROLE_HOLDER = re.compile(
    r"\broles? of (?P<after>(?:[\w()’'-]+\s+){0,4}[\w()’'-]+)"
    r"|(?P<before>(?:[\w()’'-]+\s+){0,4}[\w()’'-]+?)(?:['’]s? roles?\b|"
    r"(?:\s+(?:is|are|was|were|will be|would be))?(?:\s+\w+ly)?\s+(?:responsible|accountable) "
    r"for\b|\s+(?:has|have|had|holds?|held|retains?)\s+(?:\w+\s+){0,3}responsibility\b)",
    re.I)
_ROLE_DEPTH = 8


def states_role_of(named: set[str], text: str, lexicon: Lexicon) -> bool:
    """Whether text states the role of the one named (its tokens): "The role of the AHSN is
    to ...", "The Trust IG lead is usually responsible for ..."."""
    return any(named <= set(lexicon.tokens(match.group("after") or match.group("before")))
               for match in _ROLE_HOLDER.finditer(text))


def _promote_role(order: np.ndarray, whose: str, index: IndexData,
                  ids: np.ndarray) -> np.ndarray:
    """For "what is X supposed to do" or "what was X's role", the first of the best few
    quotable units that states X's role goes first."""
    named = set(index.lexicon.tokens(whose)) if whose else set()
    if not named:
        return order
    return _first_holding(order, index, ids, _ROLE_DEPTH,
                          lambda unit: states_role_of(named, unit.text, index.lexicon))[0]


def _promote_form(order: np.ndarray, demand: str, index: IndexData,
                  ids: np.ndarray) -> tuple[np.ndarray, bool]:
    """The first of the best few quotable units that holds the demanded form goes first;
    False when none of them holds it."""
    if not demand:
        return order, True
    return _first_holding(order, index, ids, _FORM_DEPTH,
                          lambda unit: holds_form(demand, unit.text))


def _first_holding(order: np.ndarray, index: IndexData, ids: np.ndarray, depth: int,
                   holds: Callable[[Sentence], bool],
                   counted: Callable[[Sentence], bool] = lambda unit: unit.quotable,
                   ) -> tuple[np.ndarray, bool]:
    """The order with the first of the best `depth` units (of those `counted`: quotable ones)
    that `holds` moved to the front, and whether there was one."""
    quotable = [i for i in order if counted(index.sentences[int(ids[i])])][:depth]
    hit = next((i for i in quotable if holds(index.sentences[int(ids[i])])), None)
    if hit is None:
        return order, False
    return np.concatenate([[hit], order[order != hit]]), True


# Question types whose answer has a form the text shows plainly (a long form, a date, a
# number): the feature that detects it, and how far down the ranking to look for it. A unit
# that spells out the asked acronym is nearly always the answer, so that search goes all the way.
_CRISP_TYPES = {"definition": ("type_match", 10_000), "when": ("type_new", 4),
                "number": ("type_new", 4)}


def _promote_typed(order: np.ndarray, features: np.ndarray, qtype: str, index: IndexData,
                   ids: np.ndarray) -> np.ndarray:
    """When the best quotable unit lacks the form a crisp question asks for and one of the
    next few has it, that one goes first."""
    if qtype not in _CRISP_TYPES:
        return order
    column, within = _CRISP_TYPES[qtype]
    col = FEATURES.index(column)
    quotable = [i for i in order[:within + 1] if index.sentences[int(ids[i])].quotable]
    if not quotable or features[quotable[0], col] >= 1.0:
        return order
    best = max(features[i, col] for i in quotable)
    typed = next(i for i in quotable if features[i, col] == best)
    if typed == quotable[0]:
        return order
    return np.concatenate([[typed], order[order != typed]])


_INSTANCE_TYPES = frozenset({"when", "number", "who", "where"})
_STATIC = ("heading", "toc", "lead_in", "reference", "short", "row", "bullet", "pointer",
           "length")


class _UnitFacts:
    """What a unit is, whatever the question: computed once per unit, on first use."""

    def __init__(self, index: IndexData) -> None:
        self.index = index
        self._static: dict[int, np.ndarray] = {}
        self._offers: dict[tuple[int, str], float] = {}
        self._instances: dict[tuple[int, str, str], tuple[frozenset[str], ...]] = {}

    def static(self, unit: int) -> np.ndarray:
        found = self._static.get(unit)
        if found is None:
            sentence = self.index.sentences[unit]
            kind, text = sentence.kind, sentence.text
            found = np.array([
                kind == "heading", kind == "toc", kind == "lead_in", kind == "reference",
                len(text) < 40, kind == "row", kind == "bullet", bool(_POINTER.search(text)),
                math.log1p(len(text) / 100.0),
            ], dtype=np.float32)
            self._static[unit] = found
        return found

    def offers(self, unit: int, qtype: str) -> float:
        key = (unit, qtype)
        if key not in self._offers:
            self._offers[key] = offers(qtype, self.index.sentences[unit].text)
        return self._offers[key]

    def instances(self, unit: int, qtype: str, measured: str) -> tuple[frozenset[str], ...]:
        key = (unit, qtype, measured)
        if key not in self._instances:
            self._instances[key] = instances(qtype, self.index.sentences[unit].text, measured)
        return self._instances[key]


_FACTS: list[_UnitFacts] = []


def _facts(index: IndexData) -> _UnitFacts:
    """The facts table of this index (the last two indexes used are kept)."""
    for table in _FACTS:
        if table.index is index:
            return table
    table = _UnitFacts(index)
    _FACTS.insert(0, table)
    del _FACTS[2:]
    return table


def meanings_asked(query_tokens: tuple[str, ...], index: IndexData) -> tuple[tuple[str, str], ...]:
    """(acronym, long form), lower case, for an acronym in the question that the corpus gives
    more than one meaning ("hin": "high intensity network", "health innovation network");
    spelling variants ("academic health science(s) network") count once. () when none has."""
    acronyms = index.lexicon.acronyms
    asked = set(query_tokens)
    found: list[tuple[str, str]] = []
    for token in query_tokens:
        meanings = distinct_meanings(acronyms.get(token, ()))
        # A question that spells one meaning out has chosen it.
        if len(meanings) > 1 and not any(set(tokens(m)) <= asked for m in meanings):
            found += [(token, meaning) for meaning in meanings]
    return tuple(found)


def long_forms_asked(query_tokens: tuple[str, ...], index: IndexData) -> tuple[str, ...]:
    """The long forms the corpus gives for the acronyms among the question's tokens."""
    acronyms = index.lexicon.acronyms
    return tuple(form.lower() for token in query_tokens for form in acronyms.get(token, ()))


def _defines(text: str, long_forms: tuple[str, ...]) -> float:
    """1.0 for the corpus's usual long form of the asked acronym, 0.5 for a variant."""
    lowered = text.lower()
    return max((1.0 if i == 0 else 0.5 for i, form in enumerate(long_forms) if form in lowered),
               default=0.0)


def _scale(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))
