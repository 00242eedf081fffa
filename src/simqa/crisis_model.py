"""A second crisis check, learnt (scripts/train_crisis.py): logistic regression on the
question's vector and on the character n-grams of its words. The wording rules in safety.py run
first and need no model; this catches distress said in words no rule lists ("booked a hotel
room so nobody finds me"), and the n-grams catch it misspelt ("gona tke all my tabs tnite"),
which the vector of a misspelt word may not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import HashingVectorizer

from simqa.linear_check import LinearCheck, logistic
from simqa.safety import normalise, starts_like_a_question

_WEIGHTS_FILE = Path(__file__).with_name("crisis_weights.json")
NGRAM_FILE = "crisis_ngrams.npz"  # beside the weights file
NGRAM_FEATURES = 2**20
MIN_WORDS = 3
# Someone in crisis writes about themselves, the reader or someone close; a question about
# patients in general ("were high intensity users at risk of suicide?") names none of these.
_PERSONAL = re.compile(
    r"\b(?:i|im|ive|id|ill|me|my|mine|myself|we|us|our|you|your|youre|u|ur|he|she|hes|shes|him|"
    r"her|his|they|them|their|mum|mom|dad|friend|mate|m8|partner|son|daughter|brother|sister|wife|"
    r"husband|boyfriend|girlfriend|kid|kids|child|flatmate|housemate)\b")


@cache
def _vectoriser() -> HashingVectorizer:
    # Hashing needs no vocabulary file, and the same text hashes the same in any process.
    return HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=NGRAM_FEATURES,
                             alternate_sign=False, norm="l2", preprocessor=normalise)


def ngram_features(texts: list[str]) -> csr_matrix:
    """Sparse rows (scipy CSR) of hashed character 2-5-grams of each normalised text."""
    return _vectoriser().transform(texts)


@dataclass(frozen=True)
class CrisisModel(LinearCheck):
    ngram_weights: np.ndarray | None = None  # one per hashed n-gram feature

    @classmethod
    def load(cls, model_name: str, dimension: int,
             path: Path = _WEIGHTS_FILE) -> CrisisModel | None:
        check = super().load(model_name, dimension, path)
        ngrams = path.with_name(NGRAM_FILE)
        if check is None or not ngrams.exists():
            return None
        with np.load(ngrams) as table:
            weights = np.zeros(NGRAM_FEATURES, dtype=np.float32)
            weights[table["indices"]] = table["values"]
        return cls(check.model, check.weights, check.bias, check.threshold, weights)

    def save(self, path: Path, **facts: str) -> None:
        super().save(path, **facts)
        if self.ngram_weights is not None:
            used = np.flatnonzero(self.ngram_weights)
            np.savez_compressed(path.with_name(NGRAM_FILE), indices=used.astype(np.int32),
                                values=self.ngram_weights[used].astype(np.float32))

    def crisis_probability(self, vector: np.ndarray, text: str) -> float:
        value = float(vector @ self.weights) + self.bias
        if self.ngram_weights is not None:
            row = ngram_features([text])
            value += float(row.data @ self.ngram_weights[row.indices])
        return logistic(value)

    def is_crisis(self, vector: np.ndarray, text: str, said: str | None = None) -> bool:
        """A message of one or two words says too little for the check to mean much (the
        wording rules cover short cries for help: "suicidal", "kms"), and a question about
        nobody in particular is a question about the topic. `said` is normalise(text), when
        the caller has it already."""
        if len(text.split()) < MIN_WORDS:
            return False
        said = normalise(text) if said is None else said
        # A message that asks nothing is about someone: "bought razor blades today and they're
        # not for shaving" drops its "I".
        asking = text.rstrip().endswith("?") or _asks(said)
        about_someone = bool(_PERSONAL.search(said)) or not asking
        return about_someone and self.crisis_probability(vector, text) >= self.threshold


_WH = re.compile(r"(?:who|what|whats|when|where|why|how|which)\b")


def _asks(said: str) -> bool:
    """Opens like a question, or after a short opening ("in plain terms what is SIM meant to
    be", "so why did the trusts ...") a wh-question starts."""
    spoken = said.split()
    return starts_like_a_question(said) or any(
        _WH.match(spoken[i]) and starts_like_a_question(" ".join(spoken[i:]))
        for i in range(1, min(4, len(spoken))))
