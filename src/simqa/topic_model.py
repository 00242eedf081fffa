"""Is the question about what the documents cover at all? A check on the question's vector,
learnt by scripts/train_topic.py; a question it calls off-topic gets not_found however close
its best quote looks ("What is the capital of France?")."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from simqa.lexicon import words
from simqa.linear_check import LinearCheck
from simqa.questions import titled_names
from simqa.spelling import english_words

WEIGHTS_FILE = Path(__file__).with_name("topic_weights.json")


class TopicModel(LinearCheck):
    def off_topic(self, vector: np.ndarray) -> bool:
        return self.probability(vector) < self.threshold


def corpus_terms(texts: Iterable[str], acronyms: Iterable[str]) -> frozenset[str]:
    """Words that place a question in these documents however short it is: the acronyms they
    define, the names of the people they title ("Sergeant Paul Jennings"), and the words they
    use that are not everyday English ("Farrar", "StopSIM")."""
    found = set(acronyms)
    for text in texts:
        found.update(titled_names(text))
        found.update(w for w in words(text) if len(w) >= 4 and w.isalpha()
                     and w not in english_words())
    return frozenset(found)
