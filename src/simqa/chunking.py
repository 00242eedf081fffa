"""Cut display text into quotable units (sentences, bullets, table rows) and passages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from simqa.records import Document, Passage, Sentence

PASSAGE_WORDS = 90

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "prof", "st", "no", "vs", "sgt", "approx",
    "cf", "fig", "vol", "pp", "p", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "inc", "ltd", "co", "op", "ref", "refs", "para", "nos", "eds",
}
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or opening quote/bracket.
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9•])")
_BULLET = re.compile(r"^\s*(?:[-•*▪●–]|\(?[a-z]\)|\(?\d{1,2}[.)](?!\d))\s+")
SECTION_NUMBER = re.compile(r"^\s*(?:[-•]\s*)?\d+(?:\.\d+)+\.?\s")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+[A-Z]")
_TOC_ROW = re.compile(r"(?:\.{3,}|\t)\s*\d{1,3}\s*$")
_REFERENCE_HEADINGS = re.compile(r"^\s*(references|bibliography|notes|sources)\s*:?\s*$", re.I)
_END_PUNCTUATION = ".!?\"”’)]"
_TRAILING_BRACKETS = re.compile(r"\s*\([^().!?]*\)$")
_WORD = re.compile(r"\w+")
# Words a sentence cannot end on: a line ending on one breaks off mid-sentence.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "and", "or", "in", "for", "with", "by", "from", "on", "at",
    "as", "that", "is", "are", "was", "were", "be", "this", "these", "its", "their", "which",
    "who", "not", "but", "than", "into", "between",
})


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    kind: str
    block: int


def split_document(
    document: Document, first_sentence_id: int = 0, first_passage_id: int = 0
) -> tuple[list[Sentence], list[Passage]]:
    """Sentences and passages of one document, ids numbered from the given starts."""
    text = document.text
    units = list(_units(text, document.source.title))
    sentences: list[Sentence] = []
    heading = ""
    for unit in units:
        unit_text = text[unit.start : unit.end]
        if unit.kind == "heading":
            heading = unit_text.strip()
        sentences.append(
            Sentence(
                id=first_sentence_id + len(sentences),
                doc_id=document.id,
                start=unit.start,
                end=unit.end,
                text=unit_text,
                passage_id=-1,
                heading=heading if unit.kind != "heading" else "",
                kind=unit.kind,
                block=unit.block,
            )
        )
    passages = _pack_passages(document, sentences, first_passage_id)
    passage_of = {sid: p.id for p in passages for sid in p.sentence_ids}
    sentences = [_with_passage(s, passage_of[s.id]) for s in sentences]
    return sentences, passages


def _with_passage(sentence: Sentence, passage_id: int) -> Sentence:
    from dataclasses import replace

    return replace(sentence, passage_id=passage_id)


def _units(text: str, title: str = "") -> Iterator[_Unit]:
    in_references = False
    for block, line_start, line in _paragraph_lines(text):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        start, end = line_start + lead, line_start + len(line.rstrip())
        if _REFERENCE_HEADINGS.match(stripped):
            in_references = True
            yield _Unit(start, end, "heading", block)
            continue
        kind = "heading" if _is_title(stripped, title) else _line_kind(line, stripped,
                                                                        in_references)
        if kind in {"heading", "toc", "row", "header", "lead_in", "reference"}:
            yield _Unit(start, end, kind, block)
            continue
        for s_start, s_end in split_sentences(text, start, end):
            piece = text[s_start:s_end]
            piece_kind = kind
            if piece.rstrip().endswith(":") and kind != "reference":
                piece_kind = "lead_in"
            yield _Unit(s_start, s_end, piece_kind, block)


def _paragraph_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(block, start, line) for each line holding a word; a line broken off mid-sentence (a
    page break in the original) is rejoined with the lower-case line that carries it on."""
    lines: list[tuple[int, int, str]] = []
    offset = 0
    for block, line in enumerate(text.split("\n")):
        if line.strip() and _WORD.search(line):
            lines.append((block, offset, line))
        offset += len(line) + 1
    index = 0
    while index < len(lines):
        block, start, line = lines[index]
        while index + 1 < len(lines) and _carries_on(line, lines[index + 1][2]):
            index += 1
            _, next_start, next_line = lines[index]
            line = text[start : next_start + len(next_line)]
        yield block, start, line
        index += 1


def _carries_on(line: str, following: str) -> bool:
    """Does `following` finish the sentence `line` breaks off? It starts in lower case after a
    line ending in a letter, and `line` is not a short heading ("Funding source")."""
    words, next_start = line.split(), following.lstrip()
    short_heading = len(words) <= 3 and words[-1].lower() not in _FUNCTION_WORDS
    return ("\t" not in line and "\t" not in following and line.rstrip()[-1:].isalpha()
            and next_start[:1].islower() and not short_heading
            and not _BULLET.match(following) and not next_start.startswith(("http", "www.")))


def _is_title(stripped: str, title: str) -> bool:
    """The document's own title, as its source record gives it, is a heading however long."""
    def fold(value: str) -> str:
        return " ".join(value.replace("’", "'").replace("\xa0", " ").lower().split())

    return bool(title) and fold(stripped) == fold(title)


# A person's name, a dash and their role, as a report's title page credits its authors.
_CREDIT = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z'’]+){1,2} [-–—] [A-Z][A-Za-z]")


def _is_header_row(stripped: str) -> bool:
    """A table's row of column names ("Ref\tDate\tDescriptor\tDetail"): short capitalised
    cells with no number and no full stop."""
    cells = [cell.strip() for cell in stripped.split("\t") if cell.strip()]
    return len(cells) >= 2 and all(
        len(cell.split()) <= 3 and cell[0].isupper() and not cell.endswith(".")
        and not any(character.isdigit() for character in cell) for cell in cells)


def _line_kind(line: str, stripped: str, in_references: bool) -> str:
    if _TOC_ROW.search(stripped) and len(stripped.split()) <= 12:
        return "toc"
    if "\t" in stripped:
        return "header" if _is_header_row(stripped) else "row"
    if in_references:
        return "reference"
    words = stripped.split()
    if _NUMBERED_HEADING.match(line) and stripped[-1] not in _END_PUNCTUATION + ":" \
            and len(words) <= 12:
        return "heading"  # "1. Background", at the start of its line: not a list item
    if _BULLET.match(line):
        return "bullet"
    if _CREDIT.match(stripped) and len(words) <= 12:
        return "sentence"  # who wrote it: "Aileen Jackson - Head of Mental Health"
    # A closing bracket ends a sentence only when the words before it do: "General Data
    # Protection Regulations (GDPR)" is a heading.
    closed = _TRAILING_BRACKETS.sub("", stripped) or stripped
    ends_open = closed[-1] not in _END_PUNCTUATION and closed[-1] != ":"
    letters = [c for c in stripped if c.isalpha()]
    shouting = len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if (ends_open and len(words) <= 14) or (shouting and len(words) <= 14):
        return "heading"
    if stripped.endswith(":") and len(words) <= 6:
        return "heading"
    if SECTION_NUMBER.match(line) and ends_open and len(words) <= 14:
        return "heading"
    return "sentence"


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], whitespace trimmed."""
    spans = []
    cursor = start
    segment = text[start:end]
    for match in _BOUNDARY.finditer(segment):
        cut = start + match.end()
        if _is_abbreviation(text, start + match.start(), cursor):
            continue
        spans.append((cursor, cut))
        cursor = cut
    spans.append((cursor, end))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s and _WORD.search(text[s:e]):
            trimmed.append((s, e))
    return trimmed


def _is_abbreviation(text: str, dot: int, floor: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > floor and not text[word_start - 1].isspace() and text[word_start - 1] != "(":
        word_start -= 1
    token = text[word_start:dot].lower().lstrip("\"'“‘(")
    if token in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "P. Jennings"
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", token))


def _pack_passages(
    document: Document, sentences: list[Sentence], first_passage_id: int
) -> list[Passage]:
    passages: list[Passage] = []
    group: list[Sentence] = []
    words = 0

    def flush() -> None:
        nonlocal group, words
        if group:
            start, end = group[0].start, group[-1].end
            passages.append(
                Passage(
                    id=first_passage_id + len(passages),
                    doc_id=document.id,
                    start=start,
                    end=end,
                    text=document.text[start:end],
                    sentence_ids=tuple(s.id for s in group),
                    heading=next((s.heading for s in group if s.heading), ""),
                )
            )
        group, words = [], 0

    for sentence in sentences:
        count = len(sentence.text.split())
        if sentence.kind == "heading" or (group and words + count > PASSAGE_WORDS):
            flush()
        group.append(sentence)
        words += count
    flush()
    return passages
