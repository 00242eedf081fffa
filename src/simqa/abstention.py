"""Answer confidence (0-1) from several signals; one threshold in settings decides abstention."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from simqa.ranking import FEATURES, Ranked, long_forms_asked
from simqa.store import IndexData

SIGNALS = (
    "top_score", "margin", "dense_sentence", "dense_context", "covered_idf",
    "unknown_idf", "missing_idf_max", "bias",
)
_WEIGHTS_FILE = Path(__file__).with_name("abstention_weights.json")
_FALLBACK = {"top_score": 4.0, "margin": 2.0, "dense_sentence": 0.0, "dense_context": 0.0,
             "covered_idf": 2.0, "unknown_idf": -3.0, "missing_idf_max": 0.0, "bias": -6.0}


def load_weights(path: Path = _WEIGHTS_FILE) -> np.ndarray:
    table = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
        "signals": list(SIGNALS), "weights": [_FALLBACK[s] for s in SIGNALS]}
    weights = dict(zip(table["signals"], table["weights"], strict=True))
    return np.array([weights.get(name, 0.0) for name in SIGNALS], dtype=np.float64)


WEIGHTS = load_weights()


def signals(ranked: Ranked, index: IndexData,
            absent: frozenset[str] = frozenset()) -> np.ndarray:
    """How sure the best candidate answers: its score, lead, closeness, and which question
    words (weighted by rarity) it covers or the corpus never uses at all. `absent`: words to
    treat as unknown too (training simulates a corpus without the answer's document)."""
    values = np.zeros(len(SIGNALS), dtype=np.float64)
    values[-1] = 1.0
    if not len(ranked.scores):
        return values
    lead = ranked.lead
    top_id = int(ranked.sentence_ids[lead])
    column = {name: i for i, name in enumerate(FEATURES)}
    query = set(ranked.query_tokens)
    # A token the corpus never uses weighs as much as the rarest one it does use.
    ceiling = max(index.idf.values(), default=1.0)
    unknown = {t for t in query if t not in index.idf or t in absent}
    weight = {t: ceiling if t in unknown else index.idf[t] for t in query}
    total = sum(weight.values()) or 1.0
    context = index.context_tokens[top_id]
    missing = [weight[t] for t in query if t not in context]
    values[0] = ranked.scores[lead]
    values[1] = (ranked.scores[lead] - ranked.scores[ranked.runner_up]
                 if len(ranked.scores) > 1 else 1.0)
    values[2] = ranked.features[lead, column["dense_sentence"]]
    values[3] = ranked.features[lead, column["dense_context"]]
    values[4] = sum(weight[t] for t in query if t in context) / total
    values[5] = sum(weight[t] for t in unknown) / total
    values[6] = max(missing, default=0.0) / ceiling
    return values


# "What is SIM?" answered by the unit that spells SIM out is as sure as simqa gets; the learnt
# model never saw such questions (COVID-QA has almost none), so this floor says it plainly.
DEFINED_FLOOR = 0.5


def confidence(ranked: Ranked, index: IndexData, weights: np.ndarray | None = None) -> float:
    """0-1; 0 when no good candidate holds what the question cannot be answered without (an
    amount of money, a phone number or e-mail address)."""
    if not len(ranked.scores) or not ranked.demand_met:
        return 0.0
    value = float(signals(ranked, index) @ (WEIGHTS if weights is None else weights))
    learnt = round(1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0))), 4)
    # The top unit spells out the asked acronym (not merely reads like a definition: "what is
    # NIA", an acronym the documents never spell out).
    defined = ranked.qtype == "definition" and ranked.features[
        0, FEATURES.index("type_match")] >= 1.0 and bool(
        long_forms_asked(ranked.query_tokens, index))
    return max(learnt, DEFINED_FLOOR) if defined else learnt
