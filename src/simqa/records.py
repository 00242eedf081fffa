"""Plain frozen dataclasses passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    perspective: str = ""
    date: str = ""
    url: str = ""
    url_note: str = ""
    kind: str = ""
    authors: str = ""
    exclude_from: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("exclude_from")
        return data


@dataclass(frozen=True)
class Document:
    """A source with its display text; every offset in simqa points into `text`."""

    source: Source
    text: str
    sha256: str

    @property
    def id(self) -> str:
        return self.source.id


@dataclass(frozen=True)
class Sentence:
    """One quotable unit: a sentence, a bullet, a table row or a heading."""

    id: int
    doc_id: str
    start: int
    end: int
    text: str
    passage_id: int
    heading: str = ""
    # sentence | bullet | row | header (a table's row of column names) | heading | lead_in |
    # toc | reference
    kind: str = "sentence"
    block: int = 0  # index of the line (block) the unit came from

    @property
    def quotable(self) -> bool:
        return self.kind not in {"heading", "toc", "header"}


@dataclass(frozen=True)
class Passage:
    id: int
    doc_id: str
    start: int
    end: int
    text: str
    sentence_ids: tuple[int, ...]
    heading: str = ""


@dataclass(frozen=True)
class Hit:
    """A scored retrieval candidate (a sentence) with the signals that scored it."""

    sentence_id: int
    score: float
    features: tuple[float, ...] = ()


@dataclass(frozen=True)
class Quote:
    source_id: str
    start: int
    end: int
    text: str
    score: float
    title: str = ""
    publisher: str = ""
    date: str = ""
    perspective: str = ""
    url: str = ""
    viewer_url: str = ""
    role: str = "answer"  # answer | support | related

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source_id": self.source_id,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "perspective": self.perspective,
            "url": self.url,
            "viewer_url": self.viewer_url,
            "score": round(float(self.score), 4),
            "role": self.role,
        }


@dataclass(frozen=True)
class Signpost:
    name: str
    contact: str
    detail: str
    href: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    status: str  # answered | not_found | crisis | smalltalk
    question: str
    message: str
    quotes: tuple[Quote, ...] = ()
    signposting: tuple[Signpost, ...] = ()
    corpus_version: str = ""
    confidence: float = 0.0
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "question": self.question,
            "message": self.message,
            "quotes": [q.to_dict() for q in self.quotes],
            "signposting": [s.to_dict() for s in self.signposting],
            "corpus_version": self.corpus_version,
            "confidence": round(float(self.confidence), 4),
        }
