"""Typo repair for questions: a word that is neither English nor in the documents becomes the
closest word the documents use."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

_WORD = re.compile(r"[A-Za-z]+")
# A word with an apostrophe: only a possessive's stem may be repaired ("Jenings's").
_TOKEN = re.compile(r"(?P<stem>[A-Za-z]+)(?P<tail>['’][A-Za-z]+)?")
MIN_LENGTH = 5  # shorter words have too many neighbours one edit away to guess safely
_LONG = 8  # from this length two edits (Damerau: a swap is one) are still a safe guess


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The 82,765 words of symspellpy's English frequency dictionary."""
    path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    return frozenset(line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines())


class Speller:
    """Corrects words against one corpus's vocabulary."""

    def __init__(self, vocabulary: Counter[str]) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in vocabulary.items():
            if len(word) >= MIN_LENGTH - 1:
                self._symspell.create_dictionary_entry(word, count)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Speller:
        return cls(Counter(w.lower() for text in texts for w in _WORD.findall(text)))

    def correct(self, text: str) -> str:
        """text with each unknown word of MIN_LENGTH letters or more replaced by the document
        word closest to it (most frequent among equals); words with no close one stay."""
        return _TOKEN.sub(self._replacement, text)

    def _replacement(self, match: re.Match[str]) -> str:
        tail = match.group("tail") or ""
        if tail and tail[1:].lower() != "s":
            return match.group(0)
        return self._repaired(match.group("stem")) + tail

    def _repaired(self, word: str) -> str:
        lowered = word.lower()
        if (len(lowered) < MIN_LENGTH or lowered in self.vocabulary or word.isupper()
                or lowered in english_words()):
            return word
        distance = 2 if len(lowered) >= _LONG else 1
        found = self._symspell.lookup(lowered, Verbosity.CLOSEST, max_edit_distance=distance)
        if not found:
            return word
        fixed = found[0].term
        return fixed.capitalize() if word[0].isupper() else fixed
