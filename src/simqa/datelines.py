"""The date each quote was published under. A document that gathers several dated statements
(a web page of statements, each under a heading that is only its date) dates a quote by the
nearest such heading above it; other quotes keep their source's date."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime

from simqa.records import Sentence

_FORMATS = (("%d %B %Y", "%Y-%m-%d"), ("%d %b %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"))


def heading_date(text: str) -> str | None:
    """"18 June 2021" -> "2021-06-18", "June 2018" -> "2018-06"; None for anything else."""
    cleaned = " ".join(text.replace(",", " ").split())
    for written, iso in _FORMATS:
        try:
            return datetime.strptime(cleaned, written).strftime(iso)
        except ValueError:
            continue
    return None


class Datelines:
    """Per document, the offsets of its date-only headings and the dates they give."""

    def __init__(self, units: Iterable[Sentence]) -> None:
        self._starts: dict[str, list[int]] = {}
        self._dates: dict[str, list[str]] = {}
        for unit in units:
            date = heading_date(unit.text) if unit.kind == "heading" else None
            if date:
                self._starts.setdefault(unit.doc_id, []).append(unit.start)
                self._dates.setdefault(unit.doc_id, []).append(date)

    def date_at(self, doc_id: str, offset: int) -> str | None:
        """The date of the nearest date-only heading before `offset`, if any."""
        position = bisect_right(self._starts.get(doc_id, []), offset) - 1
        return self._dates[doc_id][position] if position >= 0 else None
