"""A yes/no check learnt on question vectors: logistic regression weights for one embedding
model, kept in a JSON file beside the code."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import numpy as np


def logistic(value: float) -> float:
    """The logistic function, safe from overflow at any value."""
    return 1.0 / (1.0 + math.exp(-max(min(value, 50.0), -50.0)))


@dataclass(frozen=True)
class LinearCheck:
    model: str
    weights: np.ndarray
    bias: float
    threshold: float

    @classmethod
    def load(cls, model_name: str, dimension: int, path: Path) -> Self | None:
        """The check learnt for this embedding model, or None when it was learnt on another
        model's vectors (they mean nothing in a different space) or was never trained."""
        if not path.exists():
            return None
        table = json.loads(path.read_text(encoding="utf-8"))
        weights = np.asarray(table["weights"], dtype=np.float32)
        if table["model"] != model_name or weights.shape != (dimension,):
            return None
        return cls(table["model"], weights, float(table["bias"]), float(table["threshold"]))

    @classmethod
    def load_for(cls, corpus: str, model_name: str, dimension: int,
                 path: Path) -> Self | None:
        """As load(), but only if it was learnt for this corpus (its corpus_digest): what one
        set of documents covers or leaves out says nothing about another."""
        if not path.exists() or json.loads(path.read_text(encoding="utf-8")).get(
                "corpus") != corpus:
            return None
        return cls.load(model_name, dimension, path)

    def probability(self, vector: np.ndarray) -> float:
        return logistic(float(vector @ self.weights) + self.bias)

    def save(self, path: Path, **facts: str) -> None:
        """Write the check as load() reads it, with facts about its training beside it."""
        path.write_text(json.dumps({
            "model": self.model, **facts,
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 6),
        }, indent=1) + "\n", encoding="utf-8")
