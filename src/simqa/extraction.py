"""Turn ranked sentences into verbatim quote spans: 1-3 whole consecutive units, no heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from simqa.chunking import SECTION_NUMBER
from simqa.records import Document, Sentence

MAX_UNITS = 3
_REFERS_BACK = re.compile(r"^(?:this|these|that|those|it|they|such|he|she|its|their|however|"
                          r"as a result|as a consequence|therefore|following)\b", re.I)
# "... used this insight to ...": a demonstrative naming what came before. Words naming the
# document itself or a time ("this report", "this year") point elsewhere.
_REFERS_BACK_INSIDE = re.compile(
    r"\b(?:this|these|such)\s+(?!(?:document|report|paper|page|website|site|statement|letter|"
    r"guide|guidance|section|year|month|week|time|day|review|programme|model|service)s?\b)"
    r"[a-z]+", re.I)
SHORT = 100  # characters: a sentence this short leans on its neighbour for its subject
# Directions to somewhere else ("Please click here for the template.", "... steps below."):
# the place they point to is not in the quote, so they answer nothing. Stricter than ranking's
# `pointer` feature, which also marks units that only mention another place ("see para 3.3")
# and merely lowers their score.
_POINTS_ELSEWHERE = re.compile(
    r"^(?:please\s+)?(?:click|read\s+the\s+full|access\s+the)\b"
    r"|\b(?:(?:can|may)\s+be\s+(?:found|downloaded|accessed|viewed)|view|click\w*|link|section)"
    r"\b.*\b(?:above|below|here|overleaf)\W*$", re.I)


@dataclass(frozen=True)
class Span:
    doc_id: str
    start: int
    end: int
    text: str
    sentence_ids: tuple[int, ...]


class VerbatimError(AssertionError):
    """A quote did not equal the display text at its offsets."""


def quote_span(sentences: list[Sentence], documents: dict[str, Document], sid: int,
               strong: frozenset[int] = frozenset()) -> Span:
    """The best unit, made self-contained: a lead-in takes its list, one of a list's first
    bullets its lead-in, a back-reference its cause, and a neighbour in the same passage that
    also answers well (in `strong`) joins."""
    chosen = [sid]
    sentence = sentences[sid]
    if sentence.kind == "lead_in" or _introduces_list(sentences, sid):
        chosen += _following(sentences, sid, MAX_UNITS - 1)
    elif opening := _list_opening(sentences, sid):
        chosen = [*opening, sid]
    elif (_REFERS_BACK.match(_opening(sentence.text)) or _is_continuation(sentence)
          or len(sentence.text) < SHORT and _REFERS_BACK_INSIDE.search(sentence.text)):
        # A table cell carried on below a blank line ("Only" / "one AHSN, ... expresses
        # commitment") still belongs to the row above it.
        carried = _is_continuation(sentence) and sentence.kind != "bullet"
        previous = _previous(sentences, sid, next_line=True, blank_lines=int(carried))
        if previous is not None:
            chosen.insert(0, previous)
    carried_on = _carried_on(sentences, chosen[-1])
    if carried_on is not None and len(chosen) < MAX_UNITS:
        chosen.append(carried_on)
    if len(chosen) == 1:
        previous = _previous(sentences, sid)
        following = _following(sentences, sid, 1, same_passage=True)
        if following and following[0] in strong and not points_elsewhere(
                sentences[following[0]]):
            chosen += following
        elif previous is not None and previous in strong and not points_elsewhere(
                sentences[previous]):
            chosen.insert(0, previous)
        elif len(sentence.text) < 60 and sentence.kind in {"sentence", "bullet"}:
            chosen += [i for i in _following(sentences, sid, 1, same_block=True)
                       if not points_elsewhere(sentences[i])]
    announced = _following(sentences, chosen[-1], 1, same_block=True)
    if announced and sentences[announced[0]].kind == "lead_in" and len(chosen) < MAX_UNITS:
        # "we received a response from ..." + "An extract from this statement reads as
        # follows:": the quote goes on to what was said.
        chosen += announced
    return _span(sentences, documents, _through_lead_in(sentences, chosen, {sid}))


def _carried_on(sentences: list[Sentence], sid: int) -> int | None:
    """The rest of a table row's cell, carried on below a blank line ("... AHSNs only. Only" /
    "one AHSN, ... expresses commitment to SIM ..."), or None."""
    following = sid + 1
    if sentences[sid].kind != "row" or following >= len(sentences):
        return None
    unit = sentences[following]
    if not _is_continuation(unit) or unit.kind == "bullet":
        return None
    return following if _previous(sentences, following, next_line=True, blank_lines=1) == sid \
        else None


def joined_span(a: Span, b: Span, sentences: list[Sentence],
                documents: dict[str, Document]) -> Span | None:
    """One quote holding both spans' units, or None when that would not be 1-3 consecutive
    units of one document."""
    units = sorted(set(a.sentence_ids) | set(b.sentence_ids))
    if a.doc_id != b.doc_id or len(units) > MAX_UNITS or units[-1] - units[0] != len(units) - 1:
        return None
    return _span(sentences, documents, _through_lead_in(sentences, units, set(a.sentence_ids)))


def _span(sentences: list[Sentence], documents: dict[str, Document], units: list[int]) -> Span:
    first, last = sentences[units[0]], sentences[units[-1]]
    text = documents[first.doc_id].text[first.start : last.end]
    return Span(first.doc_id, first.start, last.end, text, tuple(units))


def _through_lead_in(sentences: list[Sentence], units: list[int],
                     answering: set[int]) -> list[int]:
    """A quote never ends on a lead-in ("An extract from this statement reads as follows:"):
    it takes what the lead-in introduces while it stays MAX_UNITS long, and otherwise ends
    before it, unless the lead-in is one of the units that answer."""
    while sentences[units[-1]].kind == "lead_in":
        room = MAX_UNITS - len(units)
        following = _following(sentences, units[-1], room) if room else []
        if following:
            return [*units, *following]
        if units[-1] in answering or len(units) == 1:
            return units
        units = units[:-1]
    return units


def check_verbatim(span: Span, documents: dict[str, Document]) -> None:
    if documents[span.doc_id].text[span.start : span.end] != span.text:
        raise VerbatimError(f"quote at {span.doc_id}:{span.start}-{span.end} is not verbatim")


def overlaps(a: Span, b: Span) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def points_elsewhere(sentence: Sentence) -> bool:
    """A sentence or bullet that only directs the reader to another place."""
    return sentence.kind in {"sentence", "bullet"} and bool(
        _POINTS_ELSEWHERE.search(sentence.text.strip().lstrip("-•– ")))


def _opening(text: str) -> str:
    """The text without its bullet and section number ("- 1.3 As a consequence ...")."""
    return SECTION_NUMBER.sub("", text).lstrip("-•– ")


def _is_continuation(sentence: Sentence) -> bool:
    first = _opening(sentence.text)[:1]
    return bool(first) and first.islower()


def _previous(sentences: list[Sentence], sid: int, next_line: bool = False,
              blank_lines: int = 0) -> int | None:
    """The unit before, when it is quotable and in the same passage or line (or, with
    `next_line`, on the line just above, across up to `blank_lines` blank lines: a passage
    may end between two bullets)."""
    if sid == 0:
        return None
    previous = sentences[sid - 1]
    current = sentences[sid]
    if previous.doc_id != current.doc_id or not previous.quotable:
        return None
    if (previous.passage_id != current.passage_id and previous.block != current.block
            and not (next_line and current.block - 1 - blank_lines <= previous.block)):
        return None
    return sid - 1


def _list_opening(sentences: list[Sentence], sid: int) -> list[int]:
    """For the first or second bullet of a list, the units from the list's lead-in down to the
    one before it, so the quote says what the list is of (at most MAX_UNITS in all); [] for a
    later bullet or one with no lead-in above it."""
    if sentences[sid].kind != "bullet":
        return []
    for above in range(sid - 1, max(sid - MAX_UNITS, -1), -1):
        unit = sentences[above]
        if unit.doc_id != sentences[sid].doc_id or not unit.quotable:
            return []
        if unit.kind != "bullet":
            return list(range(above, sid)) if _introduces_list(sentences, above) else []
    return []


def _introduces_list(sentences: list[Sentence], sid: int) -> bool:
    """A sentence or lead-in directly above a run of bullets introduces them."""
    following = sid + 1
    return (following < len(sentences) and sentences[sid].kind in {"sentence", "lead_in"}
            and sentences[following].kind == "bullet"
            and sentences[following].doc_id == sentences[sid].doc_id
            and sentences[following].block != sentences[sid].block)


def _following(sentences: list[Sentence], sid: int, count: int,
               same_block: bool = False, same_passage: bool = False) -> list[int]:
    found: list[int] = []
    current = sentences[sid]
    for other in range(sid + 1, min(len(sentences), sid + 1 + count)):
        candidate = sentences[other]
        if candidate.doc_id != current.doc_id or not candidate.quotable:
            break
        if same_block and candidate.block != current.block:
            break
        if same_passage and candidate.passage_id != current.passage_id:
            break
        found.append(other)
    return found
