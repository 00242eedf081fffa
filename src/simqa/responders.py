"""Questions that ask how a named body responded or what it said about something, or whether
anyone apologised, and whether the documents ever report it at all: a body they name only as a
subject (the High Intensity Network, Paul Jennings) has no response in them to quote, and
documents that never mention an apology hold none."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from simqa.lexicon import normalise

_BODY = r"(?P<body>[\w#&.'’ -]{2,60}?)"
_AUX = r"(?:did|has|have|had|does|do)"
_ASKS_RESPONSE = [
    re.compile(rf"\b(?:what|how)\s+{_AUX}\s+{_BODY}\s+(?:say|said|write|wrote|written)\s+"
               r"(?:back\b|in\s+(?:response|reply|answer)\b)"),
    re.compile(rf"\b(?:what|how)\s+{_AUX}\s+{_BODY}\s+"
               r"(?:respond|responded|reply|replied|react|reacted|answer|answered)\b"),
    re.compile(rf"\bdid\s+{_BODY}\s+(?:ever\s+)?(?:respond|reply|react|answer|write\s+back)\b"),
    re.compile(rf"\b(?:what|how)\s+{_AUX}\s+{_BODY}\s+(?:say|said|think|thought|comment|"
               r"commented|made)\s+(?:about|of|on)\b"),
]
_NOT_A_BODY = frozenset({
    "it", "they", "he", "she", "we", "i", "you", "them", "anyone", "anybody", "someone",
    "people", "everyone", "this", "that", "these", "those", "their", "its",
})
_LEADING = re.compile(r"^(?:the|a|an|any|ever)\s+")
_TRAILING = re.compile(
    r"\s+(?:ever|publicly|personally|formally|officially|actually|really|directly|"
    r"properly|themselves|itself|himself|herself)$")
_RESPONSE_WORD = re.compile(
    r"\b(?:respon\w*|repl(?:y|ied|ies)|react\w*|answer\w*|wr[io]te|written|letters?|"
    r"statements?|said|says|stated?|comment\w*|welcome[sd]?|e-?mail\w*|concerns?|raised|"
    r"disput\w*|told|informed|publish\w*|announc\w*|argu\w*|claim\w*|confirm\w*|"
    r"complain\w*|challeng\w*|critici[sz]\w*|apologi[sz]\w*|acknowledg\w*|"
    r"feedback|reject\w*|endors\w*|declin\w*|refus\w*|report(?:ed|s)?)\b")


_ASKS_APOLOGY = re.compile(r"\b(?:apologi[sz]\w*|apolog(?:y|ies)|sa(?:y|id|ying)\s+sorry)\b")
_APOLOGY_WORD = re.compile(r"\b(?:apolog\w*|sorry|regret\w*)\b")


def asked_responders(question: str) -> list[str]:
    """The bodies whose response the question asks for ("high intensity network" in "What
    did the High Intensity Network say in response to the StopSIM campaign?", two in "did
    Paul Jennings or the HIN ever respond?"), in lower case without articles or
    apostrophes; empty when the question asks for no one's response."""
    lowered = " ".join(normalise(question).split())
    for pattern in _ASKS_RESPONSE:
        match = pattern.search(lowered)
        if match:
            bodies = [_bare(part) for part in re.split(r"\s+(?:or|and)\s+", match.group("body"))]
            if all(bodies):
                return bodies
    return []


def _bare(body: str) -> str:
    body = body.replace("#", "").replace("'", "").strip(" -.")
    while _LEADING.search(body) or _TRAILING.search(body):
        body = _TRAILING.sub("", _LEADING.sub("", body, count=1))
    if not body or body.split()[0] in _NOT_A_BODY:
        return ""
    return body


def names_of(body: str, acronyms: dict[str, list[str]]) -> list[str]:
    """The body's name, its singular ("ahsns"), and what an acronym the documents define
    stands for."""
    singular = body[:-1] if body.endswith("s") and not body.endswith("ss") else body
    names = dict.fromkeys([body, singular, *(meaning.lower() for meaning in
                                             acronyms.get(singular, []))])
    return list(names)


class ResponseRecord:
    """What the documents report of responses and apologies, read once per corpus: their own
    words (units, not reference lists), their whole texts (where a body may be named in a
    heading) and their publishers. Texts are kept in lower case without apostrophes."""

    def __init__(self, own_words: Iterable[str], documents: Iterable[str],
                 publishers: Iterable[str], acronyms: dict[str, list[str]]) -> None:
        plain_words = [_plain(text) for text in own_words]
        self._responding = [text for text in plain_words if _RESPONSE_WORD.search(text)]
        self._mentions_apology = any(_APOLOGY_WORD.search(text) for text in plain_words)
        self._documents = [_plain(text) for text in documents]
        self._publishers = [_plain(publisher) for publisher in publishers]
        self._acronyms = acronyms

    def asks_beyond(self, question: str) -> bool:
        """The question asks how someone responded and the documents never report it, or
        asks about an apology and they mention none."""
        if self.unreported_apology(question):
            return True
        bodies = asked_responders(question)
        return bool(bodies) and all(
            self.never_responds(names_of(body, self._acronyms)) for body in bodies)

    def unreported_apology(self, question: str) -> bool:
        return bool(_ASKS_APOLOGY.search(normalise(question))) and not self._mentions_apology

    def never_responds(self, names: Sequence[str]) -> bool:
        """True when the documents name the body (anywhere, a heading too) but never report
        it responding: no unit of their own words holding its name holds a word of response,
        and it publishes none of the documents. False when they never name it: then this
        check has nothing to say and other checks decide."""
        found = [re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])") for name in names]
        if any(pattern.search(text) for text in [*self._publishers, *self._responding]
               for pattern in found):
            return False
        return any(pattern.search(text) for text in self._documents for pattern in found)


def _plain(text: str) -> str:
    return normalise(text).replace("'", "")
