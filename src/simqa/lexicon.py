"""Words: tokenising, stemming, stop words, and acronyms learnt from the corpus itself."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SECTION = re.compile(r"\bs\.?\s?(\d{2,3})\b")
# "Serenity Integrated Mentoring (SIM)", "Academic Health Science Networks (AHSNs)"
_ACRONYM_AFTER = re.compile(
    r"((?:[A-Z][\w'’-]*[\s/&-]+(?:(?:and|of|for|the|in|on)\s+)*){1,8})"
    r"\((?P<acr>[A-Z][A-Za-z&]{1,9}?)s?\)"
)
# "SIM (Serenity Integrated Mentoring)"
_ACRONYM_BEFORE = re.compile(r"\b(?P<acr>[A-Z][A-Z&]{1,9})s?\s+\((?P<long>[A-Z][^()]{3,80})\)")
# 'known locally as "SHIPP", Surrey High Intensity Partnership Programme'
_ACRONYM_GLOSSED = re.compile(
    r"\b(?P<acr>[A-Z][A-Z&]{1,9})s?[\"”]?\s*(?:,|:|–|—|-|\bstands for\b)\s+"
    r"(?P<long>[A-Z][\w'’-]*(?:[\s/&-]+(?:(?:and|of|for|the|in|on)\s+)*[A-Z][\w'’-]*){1,9})"
)

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who who's
    whom why why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves s t d ll m re ve whats wat hows whos tell actually really just ever
    get got one also still many much thing things stuff kind sort anyone someone something
    ok please""".split()
)

_stemmer = Stemmer.Stemmer("english")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return _SECTION.sub(r"section \1", text)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.replace("'s", "").replace("'", ""))


def tokens(text: str) -> list[str]:
    """Stemmed content words: the BM25 and overlap vocabulary."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def learn_acronyms(texts: Iterable[str]) -> dict[str, list[str]]:
    """Acronym (lower-case) -> the expansions the corpus itself gives, most frequent first."""
    found: dict[str, Counter[str]] = {}
    for text in texts:
        for match in _ACRONYM_AFTER.finditer(text):
            acronym = match.group("acr")
            long_form = _matching_tail(match.group(1), acronym)
            if long_form:
                found.setdefault(acronym.lower(), Counter())[long_form] += 1
        for match in _ACRONYM_BEFORE.finditer(text):
            acronym, long_form = match.group("acr"), match.group("long").strip()
            if _initials_fit(long_form, acronym):
                found.setdefault(acronym.lower(), Counter())[long_form] += 1
        for match in _ACRONYM_GLOSSED.finditer(text):
            acronym = match.group("acr")
            long_form = _matching_head(match.group("long"), acronym)
            if long_form:
                found.setdefault(acronym.lower(), Counter())[long_form] += 1
    return {acr: [form for form, _ in counts.most_common()] for acr, counts in found.items()}


def distinct_meanings(forms: Iterable[str]) -> list[str]:
    """An acronym's long forms, lower case, spelling variants ("academic health science(s)
    network") counted once: more than one for an acronym with two meanings ("hin")."""
    meanings: list[str] = []
    for form in (f.lower() for f in forms):
        words = set(form.split())
        if all(len(words & set(m.split())) / len(words | set(m.split())) < 0.5
               for m in meanings):
            meanings.append(form)
    return meanings


def _matching_tail(phrase: str, acronym: str) -> str:
    """The shortest tail of phrase whose capitalised words' initials spell the acronym."""
    candidate_words = phrase.split()
    letters = acronym.rstrip("s").upper()
    for size in range(1, len(candidate_words) + 1):
        tail = " ".join(candidate_words[-size:]).strip(" /&-")
        if _initials_fit(tail, letters):
            return tail
    return ""


def _matching_head(phrase: str, acronym: str) -> str:
    """The shortest head of phrase whose capitalised words' initials spell the acronym."""
    heads = [" ".join(phrase.split()[:size]) for size in range(1, len(phrase.split()) + 1)]
    # Letter for letter first: "NHS - National Health Service" is not "National Health".
    exact = [h for h in heads if _initials(h) == acronym.upper()]
    return next(iter(exact), next((h for h in heads if _initials_fit(h, acronym)), ""))


_CONNECTIVES = frozenset({"of", "and", "for", "the", "in", "on"})


def _initials(phrase: str, connectives: bool = False) -> str:
    """The capitalised words' first letters; with `connectives`, those of "of", "and" ... too
    ("Memorandum of Understanding" is the MOU, "Freedom of Information" the FOI)."""
    return "".join(w[0] for w in re.split(r"[\s/-]+", phrase)
                   if w and (w[0].isupper() or connectives and w in _CONNECTIVES)).upper()


def _initials_fit(phrase: str, acronym: str) -> bool:
    spelt = (acronym.upper(), acronym.upper().rstrip("S"))
    return _initials(phrase) in spelt or _initials(phrase, connectives=True) in spelt


def _word_forms(word: str) -> str:
    """A long form's word, matching its plural and possessive too: "Information Commissioners
    Office" is also written "Information Commissioner's Office" (text is normalised to straight
    quotes), "Clinical Commissioning Groups" "Clinical Commissioning Group"."""
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 \
        else word
    return re.escape(singular) + "(?:s'?|'s?)?"


class Lexicon:
    """Tokens in which a long form the corpus defines ("Clinical Commissioning Groups") and its
    acronym ("CCGs") become one token, in documents and questions alike."""

    def __init__(self, acronyms: dict[str, list[str]]) -> None:
        self.acronyms = acronyms
        pairs = sorted(((form.lower(), acr) for acr, forms in acronyms.items() for form in forms),
                       key=lambda pair: -len(pair[0]))
        # An acronym with two meanings keeps the long form's own words beside it: a question
        # about the "Health Innovation Network" is not one about the "High Intensity Network".
        ambiguous = {acr for acr, forms in acronyms.items() if len(distinct_meanings(forms)) > 1}
        self._long_forms = [
            # The first word's start is in every form of it: a cheap test before the regex.
            (form.split()[0].rstrip("s"),
             re.compile(r"\b" + r"\s+".join(map(_word_forms, form.split())) + r"\b"),
             f" {acr} \\g<0> " if acr in ambiguous else f" {acr} ")
            for form, acr in pairs
        ]
        self._plural_acronyms = {f"{acr}s": acr for acr in acronyms}

    def tokens(self, text: str) -> list[str]:
        lowered = normalise(text)
        for first_word, pattern, replacement in self._long_forms:
            if first_word in lowered:  # a substring test is far cheaper than the regex
                lowered = pattern.sub(replacement, lowered)
        out = []
        for word in _WORD.findall(lowered):
            if word in STOP_WORDS:
                continue
            word = self._plural_acronyms.get(word, word)
            out.append(word if word in self.acronyms else stem(word))
        return out
