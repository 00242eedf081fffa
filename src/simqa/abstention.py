"""Answer confidence (0-1) from several signals; one threshold in settings decides abstention."""

from __future__ import annotations

import math

from simqa.ranking import Ranked

# Logistic weights over (top score, margin to runner-up, question-word coverage of the top unit).
_BIAS = -6.0
_TOP = 4.0
_MARGIN = 2.0
_COVERAGE = 2.0


def confidence(ranked: Ranked) -> float:
    if not len(ranked.scores):
        return 0.0
    top = float(ranked.scores[0])
    margin = top - float(ranked.scores[1]) if len(ranked.scores) > 1 else top
    value = _BIAS + _TOP * top + _MARGIN * margin + _COVERAGE * float(ranked.coverage[0])
    return round(1.0 / (1.0 + math.exp(-value)), 4)
