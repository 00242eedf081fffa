"""What a corpus is about, for questions that call it "it": in a chat about SIM, "who paid for
it" asks who paid for SIM."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z0-9]+")
# "it", or a bare "the scheme" / "this programme", standing for the subject.
_SAYS_IT = re.compile(r"\b(?:it|its|it's|it’s|(?:the|this|that) (?:scheme|programme|program|"
                      r"model|project|initiative|thing))\b", re.IGNORECASE)


def corpus_subject(texts: Sequence[str], acronyms: Iterable[str]) -> str:
    """The acronym every document uses, as the documents write it, when they use it at least
    twice as often as any other acronym; "" when no one acronym is what they are all about."""
    per_text = [Counter(_WORD.findall(text.lower())) for text in texts]
    counts = {acronym: (sum(1 for words in per_text if words[acronym]),
                        sum(words[acronym] for words in per_text)) for acronym in acronyms}
    ranked = sorted(counts, key=lambda a: counts[a][1], reverse=True)
    if not ranked or counts[ranked[0]][0] < len(texts) or (
            len(ranked) > 1 and counts[ranked[0]][1] < 2 * counts[ranked[1]][1]):
        return ""
    pattern = re.compile(rf"\b{re.escape(ranked[0])}\b", re.IGNORECASE)
    return Counter(m.group() for text in texts for m in pattern.finditer(text)).most_common(1)[0][0]


def says_it(question: str) -> bool:
    """Does the question refer to something only as "it" or "the scheme"?"""
    return bool(_SAYS_IT.search(question))


def with_subject(question: str, subject: str) -> str:
    """The question as searched with the subject named beside it ("who made it (SIM)")."""
    return f"{question} ({subject})" if subject else question
