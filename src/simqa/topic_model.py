"""Is the question about what the documents cover at all? A check on the question's vector,
learnt by scripts/train_topic.py; a question it calls off-topic gets not_found however close
its best quote looks ("What is the capital of France?")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from simqa.lexicon import Lexicon, normalise, words
from simqa.linear_check import LinearCheck
from simqa.questions import titled_names
from simqa.spelling import english_words

WEIGHTS_FILE = Path(__file__).with_name("topic_weights.json")
# A section of an Act, as lexicon.normalise writes it ("S136", "s.136" -> "section 136").
_SECTION_REF = re.compile(r"\bsection \d{1,3}(?!\d)")


class TopicModel(LinearCheck):
    def off_topic(self, vector: np.ndarray) -> bool:
        return self.probability(vector) < self.threshold


def corpus_terms(texts: Iterable[str], acronyms: Iterable[str]) -> frozenset[str]:
    """Words that place a question in these documents however short it is: the acronyms they
    define, the names of the people they title ("Sergeant Paul Jennings"), and the words they
    use that are not everyday English ("Farrar", "StopSIM"), and the sections of Acts they cite
    ("section 136")."""
    found = set(acronyms)
    for text in texts:
        found.update(titled_names(text))
        found.update(_SECTION_REF.findall(normalise(text)))
        found.update(w for w in words(text) if len(w) >= 4 and w.isalpha()
                     and w not in english_words())
    return frozenset(found)


def named_terms(question: str, lexicon: Lexicon) -> set[str]:
    """What the question says that may be one of corpus_terms: its words, its tokens (an
    acronym's long form reads as the acronym) and the sections of Acts it names."""
    return (set(words(question)) | set(lexicon.tokens(question))
            | set(_SECTION_REF.findall(normalise(question))))
