"""A second crisis check on the question's vector: logistic regression learnt on labelled
messages (scripts/train_crisis.py). The wording rules in safety.py run first and need no
model; this catches distress said in words no rule lists ("booked a hotel room so nobody
finds me")."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from simqa.linear_check import LinearCheck
from simqa.safety import normalise

_WEIGHTS_FILE = Path(__file__).with_name("crisis_weights.json")
MIN_WORDS = 3
# Someone in crisis writes about themselves, the reader or someone close; a question about
# patients in general ("were high intensity users at risk of suicide?") names none of these.
_PERSONAL = re.compile(
    r"\b(?:i|im|ive|id|ill|me|my|mine|myself|we|us|our|you|your|youre|u|ur|he|she|hes|shes|him|"
    r"her|his|they|them|their|mum|mom|dad|friend|mate|m8|partner|son|daughter|brother|sister|wife|"
    r"husband|boyfriend|girlfriend|kid|kids|child|flatmate|housemate)\b")


class CrisisModel(LinearCheck):
    @classmethod
    def load(cls, model_name: str, dimension: int,
             path: Path = _WEIGHTS_FILE) -> CrisisModel | None:
        return super().load(model_name, dimension, path)

    def is_crisis(self, vector: np.ndarray, text: str) -> bool:
        """A message of one or two words says too little for its vector to mean much (the
        wording rules cover short cries for help: "suicidal", "kms"), and one about nobody in
        particular is a question about the topic."""
        return (self.probability(vector) >= self.threshold and len(text.split()) >= MIN_WORDS
                and bool(_PERSONAL.search(normalise(text))))
