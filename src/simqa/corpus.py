"""Read a corpus folder into Documents whose display text drops markup but never changes words."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from simqa.records import Document, Source

TEXT_SUFFIXES = (".txt", ".md")
_TAG = re.compile(r"<[A-Za-z/!][^<>]{0,300}>")
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(([^)\s]{0,500})\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*(?![\w*])")
# A markdown backslash escape ("\(" shows "("); only ASCII punctuation can be escaped.
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLOCK_TAG_GAP = re.compile(r"</(p|li|td|th|div|h\d)> *<(p|li|td|th|div|h\d)[^>]*>", re.I)


class CorpusError(ValueError):
    """The corpus folder cannot be read as documented (missing files, bad sources.toml)."""


@dataclass(frozen=True)
class DisplayText:
    """Display text plus, for each of its characters, the offset in the original file text."""

    text: str
    original_offsets: tuple[int, ...]


def load_corpus(corpus_dir: str | Path) -> list[Document]:
    """Documents of a folder: sources.toml + <id>.txt, or every .txt/.md file (title from name)."""
    folder = Path(corpus_dir)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist")
    manifest = folder / "sources.toml"
    sources = _read_sources(manifest) if manifest.exists() else _sources_from_files(folder)
    if not sources:
        raise CorpusError(f"corpus folder {folder} holds no .txt or .md documents")
    documents = []
    for source in sources:
        path = _document_path(folder, source.id)
        raw = path.read_text(encoding="utf-8", errors="replace")
        display = to_display_text(_cut_furniture(raw, source.exclude_from))
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        documents.append(Document(source=source, text=display.text, sha256=digest))
    return documents


def to_display_text(original: str) -> DisplayText:
    """Strip HTML tags, markdown links, emphasis and backslash escapes; keep every word and map
    offsets back."""
    text = original.replace("\r\n", "\n").replace("\r", "\n")
    offsets = list(range(len(text)))
    for pattern, replacement in (
        (_BLOCK_TAG_GAP, " "),
        (_TAG, ""),
        (_MD_LINK, r"\1"),
        (_MD_EMPHASIS, r"\1"),
        (_MD_ESCAPE, r"\1"),
    ):
        text, offsets = _substitute(pattern, replacement, text, offsets)
    return DisplayText(text=text, original_offsets=tuple(offsets))


def _substitute(
    pattern: re.Pattern[str], replacement: str, text: str, offsets: list[int]
) -> tuple[str, list[int]]:
    """re.sub that keeps, for kept characters, their original offsets."""
    out: list[str] = []
    out_offsets: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        out_offsets.extend(offsets[last : match.start()])
        if replacement == r"\1":
            group_start, group_end = match.span(1)
            out.append(text[group_start:group_end])
            out_offsets.extend(offsets[group_start:group_end])
        elif replacement:
            out.append(replacement)
            out_offsets.extend([offsets[match.start()]] * len(replacement))
        last = match.end()
    out.append(text[last:])
    out_offsets.extend(offsets[last:])
    return "".join(out), out_offsets


def _cut_furniture(raw: str, exclude_from: str) -> str:
    if not exclude_from:
        return raw.rstrip()
    position = raw.find(exclude_from)
    return (raw[:position] if position >= 0 else raw).rstrip()


def _read_sources(manifest: Path) -> list[Source]:
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"{manifest}: {error}") from None
    entries = data.get("source", [])
    known = set(Source.__dataclass_fields__)
    sources = []
    for number, entry in enumerate(entries, 1):
        if "id" not in entry or "title" not in entry:
            raise CorpusError(f"{manifest}: source #{number} needs an id and a title")
        sources.append(Source(**{k: str(v) for k, v in entry.items() if k in known}))
    return sources


def _sources_from_files(folder: Path) -> list[Source]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
    return [Source(id=p.stem, title=_title_from_name(p.stem)) for p in files]


def _title_from_name(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:]


def _document_path(folder: Path, doc_id: str) -> Path:
    for suffix in TEXT_SUFFIXES:
        path = folder / f"{doc_id}{suffix}"
        if path.exists():
            return path
    raise CorpusError(f"{folder}: no {doc_id}.txt for source {doc_id!r} in sources.toml")


def corpus_digest(documents: list[Document]) -> str:
    """One hash over every document's id, metadata and text."""
    digest = hashlib.sha256()
    for document in documents:
        digest.update(repr(sorted(document.source.to_dict().items())).encode())
        digest.update(document.sha256.encode())
    return digest.hexdigest()
