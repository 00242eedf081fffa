"""Quote + Source -> attribution, our viewer link, and a text-fragment link to the original."""

from __future__ import annotations

import re
from urllib.parse import quote as percent_encode

from simqa.records import Quote, Source

_WEB_PAGE_KINDS = ("web page", "blog post", "news")
_FRAGMENT_WORDS = 5


def viewer_url(source_id: str, start: int, end: int) -> str:
    return f"/sources/{percent_encode(source_id, safe='')}#q={start}-{end}"


def is_web_page(source: Source) -> bool:
    """A text fragment only works where the original is an HTML page holding this text."""
    kind = source.kind.lower()
    return bool(source.url) and "pdf" not in kind and any(k in kind for k in _WEB_PAGE_KINDS)


def original_url(source: Source, text: str) -> str:
    if not is_web_page(source):
        return source.url
    base = source.url.split("#", 1)[0]
    return f"{base}#:~:text={text_fragment(text)}"


def text_fragment(text: str) -> str:
    """`textStart[,textEnd]` for a quote, each part percent-encoded per the URL Fragment Text
    Directives spec (which reserves '-', '&' and ',')."""
    first_block = text.strip().split("\n", 1)[0]
    words = re.sub(r"\s+", " ", first_block).strip().split(" ")
    if len(words) <= 2 * _FRAGMENT_WORDS:
        return _encode(" ".join(words))
    start = " ".join(words[:_FRAGMENT_WORDS])
    end = " ".join(words[-_FRAGMENT_WORDS:])
    return f"{_encode(start)},{_encode(end)}"


def _encode(part: str) -> str:
    return percent_encode(part, safe="").replace("-", "%2D")


def make_quote(source: Source, start: int, end: int, text: str, score: float,
               role: str = "answer", date: str | None = None) -> Quote:
    """`date`: when the part of the source quoted was published, if not the source's date."""
    return Quote(
        source_id=source.id,
        start=start,
        end=end,
        text=text,
        score=score,
        title=source.title,
        publisher=source.publisher,
        date=date or source.date,
        perspective=source.perspective,
        url=original_url(source, text),
        viewer_url=viewer_url(source.id, start, end),
        role=role,
    )
