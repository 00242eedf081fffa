"""The index directory: build it atomically, check it on load, refuse anything corrupt or stale."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np
from tqdm import tqdm

from simqa import __version__, chunking, lexicon, question_bank, vector_index
from simqa.chunking import PASSAGE_WORDS, split_document
from simqa.corpus import corpus_digest
from simqa.embedding import Embedder, encode_questions
from simqa.lexicon import Lexicon, learn_acronyms
from simqa.question_bank import (
    BankQuestion,
    QuestionBank,
    answering_units,
    lead_thresholds,
    questions_digest,
)
from simqa.records import Document, Passage, Sentence, Source

FORMAT_VERSION = 9  # bump when the files or what they mean change
POINTER = "CURRENT"


class IndexError_(RuntimeError):
    """The index cannot be used as it is."""


class StaleIndex(IndexError_):
    """The index is missing, or was built from another corpus, model or format: rebuildable."""


class CorruptIndex(IndexError_):
    """The index files are damaged or contradict their manifest: refused, never patched over."""


@dataclass(frozen=True)
class IndexData:
    path: Path
    manifest: dict[str, Any]
    documents: dict[str, Document]
    sentences: list[Sentence]
    passages: list[Passage]
    sentence_vectors: np.ndarray
    context_vectors: np.ndarray
    passage_vectors: np.ndarray
    sentence_faiss: faiss.Index
    passage_faiss: faiss.Index
    context_faiss: faiss.Index
    sentence_bm25: bm25s.BM25
    passage_bm25: bm25s.BM25
    lexicon: Lexicon
    sentence_tokens: tuple[frozenset[str], ...]
    context_tokens: tuple[frozenset[str], ...]  # the unit's own, its heading's and neighbours'
    idf: dict[str, float]  # over units; a token the corpus never uses is absent
    sentence_bigrams: tuple[frozenset[tuple[str, str]], ...]
    question_bank: QuestionBank | None = None  # None: the corpus came without questions

    @property
    def corpus_version(self) -> str:
        return str(self.manifest["corpus_version"])


def corpus_version(documents: list[Document], model_name: str, dimension: int,
                   questions: Sequence[BankQuestion] = ()) -> str:
    """Hash of the corpus (its documents and the questions written about it) and of everything
    that changes what the index holds: the model, the format, and the code that cuts units,
    makes tokens and builds the index."""
    facts = f"{corpus_digest(documents)}|{model_name}|{dimension}|{PASSAGE_WORDS}|{FORMAT_VERSION}"
    if questions:
        facts += f"|{questions_digest(list(questions))}"
    return hashlib.sha256((facts + _splitting_code_digest()).encode()).hexdigest()[:16]


def _splitting_code_digest() -> str:
    digest = hashlib.sha256()
    for path in (chunking.__file__, lexicon.__file__, question_bank.__file__, __file__):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def current_path(index_dir: str | Path) -> Path | None:
    pointer = Path(index_dir) / POINTER
    if not pointer.exists():
        return None
    return Path(index_dir) / pointer.read_text(encoding="utf-8").strip()


def read_manifest(index_dir: str | Path) -> dict[str, Any] | None:
    path = current_path(index_dir)
    if path is None or not (path / "manifest.json").exists():
        return None
    try:
        return json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def context_text(sentences: list[Sentence], position: int) -> str:
    """A unit with its heading and neighbours in the same document: what it means in place."""
    sentence = sentences[position]
    parts = [sentence.heading] if sentence.heading else []
    if position > 0 and sentences[position - 1].doc_id == sentence.doc_id:
        parts.append(sentences[position - 1].text)
    parts.append(sentence.text)
    if position + 1 < len(sentences) and sentences[position + 1].doc_id == sentence.doc_id:
        parts.append(sentences[position + 1].text)
    return " ".join(parts)


def context_vectors_of(sentences: list[Sentence], vectors: np.ndarray,
                       heading_vectors: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """A unit's meaning in place: its vector plus half of each neighbour's in the same
    document, renormalised (one encode pass serves sentences, contexts and passages)."""
    context = vectors.copy()
    doc_ids = np.array([s.doc_id for s in sentences], dtype=object)
    if len(vectors) > 1:
        same_prev = np.concatenate([[False], doc_ids[1:] == doc_ids[:-1]])
        same_next = np.concatenate([doc_ids[:-1] == doc_ids[1:], [False]])
        context[1:][same_prev[1:]] += 0.5 * vectors[:-1][same_prev[1:]]
        context[:-1][same_next[:-1]] += 0.5 * vectors[1:][same_next[:-1]]
    for position, sentence in enumerate(sentences):
        if heading_vectors and sentence.heading in heading_vectors:
            context[position] += 0.5 * heading_vectors[sentence.heading]
    return _normalised(context)


def _heading_vectors(sentences: list[Sentence], vectors: np.ndarray,
                     embedder: Embedder) -> dict[str, np.ndarray]:
    """Each heading's vector: a heading that is a unit already has one; only others are
    encoded."""
    as_unit = {s.text: i for i, s in enumerate(sentences) if s.kind == "heading"}
    headings = sorted({s.heading for s in sentences if s.heading})
    missing = [h for h in headings if h not in as_unit]
    encoded = dict(zip(missing, embedder.encode_documents(missing), strict=True))
    return {h: vectors[as_unit[h]] if h in as_unit else encoded[h] for h in headings}


def passage_vectors_of(passages: list[Passage], vectors: np.ndarray) -> np.ndarray:
    if not passages:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    means = np.stack([vectors[list(p.sentence_ids)].mean(axis=0) for p in passages])
    return _normalised(means)


def _normalised(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


def build_index(
    documents: list[Document], embedder: Embedder, index_dir: str | Path, progress: bool = False,
    questions: Sequence[BankQuestion] = (),
) -> Path:
    """Write a new index version beside the old one, then switch the pointer atomically."""
    root = Path(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    started = time.time()
    sentences: list[Sentence] = []
    passages: list[Passage] = []
    for document in tqdm(documents, desc="splitting", disable=not progress, unit="doc"):
        doc_sentences, doc_passages = split_document(document, len(sentences), len(passages))
        sentences.extend(doc_sentences)
        passages.extend(doc_passages)
    version = corpus_version(documents, embedder.name, embedder.dimension, questions)
    staging = Path(
        os.path.join(root, f".build-{version}-{os.getpid()}-{int(time.time() * 1000)}")
    )
    staging.mkdir()
    try:
        texts = [s.text for s in sentences]
        passage_texts = [f"{p.heading}. {p.text}" if p.heading else p.text for p in passages]
        if progress:
            print(f"encoding {len(texts)} units")
        sentence_vectors = embedder.encode_documents(texts, progress=progress)
        heading_vectors = _heading_vectors(sentences, sentence_vectors, embedder)
        context_vectors = context_vectors_of(sentences, sentence_vectors, heading_vectors)
        passage_vectors = passage_vectors_of(passages, sentence_vectors)
        _write_json(staging / "documents.json", [
            {"source": asdict(d.source), "text": d.text, "sha256": d.sha256} for d in documents
        ])
        _write_json(staging / "units.json", {
            "sentences": [asdict(s) for s in sentences],
            "passages": [asdict(p) for p in passages],
        })
        np.save(staging / "sentence_vectors.npy", sentence_vectors)
        np.save(staging / "context_vectors.npy", context_vectors)
        np.save(staging / "passage_vectors.npy", passage_vectors)
        sentence_index, sentence_search = vector_index.choose(sentence_vectors,
                                                              embedder.dimension)
        passage_index, passage_search = vector_index.choose(passage_vectors, embedder.dimension)
        context_index, context_search = vector_index.choose(context_vectors, embedder.dimension)
        faiss.write_index(sentence_index, str(staging / "sentences.faiss"))
        faiss.write_index(passage_index, str(staging / "passages.faiss"))
        faiss.write_index(context_index, str(staging / "contexts.faiss"))
        acronyms = learn_acronyms(d.text for d in documents)
        lexicon = Lexicon(acronyms)
        _write_json(staging / "lexicon.json", {"acronyms": acronyms})
        _bm25([_unit_tokens(lexicon, s) for s in sentences]).save(str(staging / "bm25_sentences"))
        _bm25([lexicon.tokens(t) for t in passage_texts]).save(str(staging / "bm25_passages"))
        bank = (_write_bank(staging, list(questions), sentences, embedder, progress)
                if questions else None)
        manifest = {
            "format_version": FORMAT_VERSION,
            "simqa_version": __version__,
            "corpus_version": version,
            "model": embedder.name,
            "dimension": embedder.dimension,
            "chunking": {"passage_words": PASSAGE_WORDS},
            "documents": {d.id: d.sha256 for d in documents},
            "counts": {"documents": len(documents), "sentences": len(sentences),
                       "passages": len(passages), "questions": len(questions)},
            "vector_search": {"sentences": sentence_search, "passages": passage_search,
                              "contexts": context_search},
            "question_bank": bank,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.time() - started, 2),
            "files": {
                str(file.relative_to(staging)): _sha256(file)
                for file in sorted(staging.rglob("*")) if file.is_file()
            },
        }
        _write_json(staging / "manifest.json", manifest)
        final = root / f"v-{version}-{int(time.time() * 1000)}"
        staging.rename(final)
        _switch_pointer(root, final.name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_old_versions(root, keep=final.name)
    return final


def _write_bank(staging: Path, questions: list[BankQuestion], sentences: list[Sentence],
                embedder: Embedder, progress: bool) -> dict[str, Any]:
    """Write the question bank's files; return what the manifest says about it."""
    if progress:
        print(f"encoding {len(questions)} questions written about the corpus")
    vectors = np.asarray(encode_questions(embedder, [q.text for q in questions]),
                         dtype=np.float32)
    np.save(staging / "bank_vectors.npy", vectors)
    answerable = np.array([q.answerable for q in questions], dtype=bool)
    groups = [q.group for q in questions]
    units = answering_units(questions, sentences)
    refuse_above, vouch_below = lead_thresholds(vectors, answerable, groups)
    _write_json(staging / "bank.json", {
        "units": units, "groups": groups, "answerable": answerable.tolist(),
        "refuse_above": refuse_above, "vouch_below": vouch_below,
    })
    return {"questions": len(questions), "answerable": int(answerable.sum()),
            "answerable_with_units": sum(bool(u) for u in units),
            "writers": len(set(groups)),
            "refuse_above": round(refuse_above, 4) if math.isfinite(refuse_above) else None,
            "vouch_below": round(vouch_below, 4) if math.isfinite(vouch_below) else None}


def _read_bank(path: Path) -> QuestionBank | None:
    if not (path / "bank.json").exists():
        return None
    bank = json.loads((path / "bank.json").read_text(encoding="utf-8"))
    vectors = np.load(path / "bank_vectors.npy")
    if len(vectors) != len(bank["units"]):
        raise ValueError("the question bank's vectors and questions do not match")
    return QuestionBank(vectors, tuple(tuple(u) for u in bank["units"]), tuple(bank["groups"]),
                        np.array(bank["answerable"], dtype=bool), float(bank["refuse_above"]),
                        float(bank["vouch_below"]))


def load_index(index_dir: str | Path, expected_version: str | None = None,
               expected_dimension: int | None = None) -> IndexData:
    """Read and verify the current index; raise IndexError_ with the fix if anything is off."""
    path = current_path(index_dir)
    fix = "run `simqa index` to rebuild it"
    if path is None or not path.is_dir():
        raise StaleIndex(f"no index in {index_dir}: {fix}")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CorruptIndex(f"index manifest in {path} is unreadable ({error}): {fix}") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StaleIndex(f"index in {path} has format {manifest.get('format_version')}, "
                         f"this simqa reads {FORMAT_VERSION}: {fix}")
    if expected_version is not None and manifest.get("corpus_version") != expected_version:
        raise StaleIndex(f"index in {path} was built from another corpus or model "
                         f"({manifest.get('corpus_version')} != {expected_version}): {fix}")
    if expected_dimension is not None and manifest.get("dimension") != expected_dimension:
        raise CorruptIndex(f"index in {path} holds {manifest.get('dimension')}-dimensional "
                           f"vectors but the model makes {expected_dimension}: {fix}")
    files = manifest.get("files") or {}
    if not files:
        raise CorruptIndex(f"index manifest in {path} lists no files: {fix}")
    for name, digest in files.items():
        file = path / name
        if not file.exists() or _sha256(file) != digest:
            raise CorruptIndex(f"index file {file} is missing or does not match its checksum: "
                               f"{fix}")
    try:
        return _read(path, manifest)
    except Exception as error:
        raise CorruptIndex(f"index in {path} could not be read ({error}): {fix}") from None


def _read(path: Path, manifest: dict[str, Any]) -> IndexData:
    raw_documents = json.loads((path / "documents.json").read_text(encoding="utf-8"))
    documents = {
        d["source"]["id"]: Document(Source(**d["source"]), d["text"], d["sha256"])
        for d in raw_documents
    }
    units = json.loads((path / "units.json").read_text(encoding="utf-8"))
    sentences = [Sentence(**s) for s in units["sentences"]]
    passages = [Passage(**{**p, "sentence_ids": tuple(p["sentence_ids"])})
                for p in units["passages"]]
    for unit in [*sentences, *passages]:
        if documents[unit.doc_id].text[unit.start : unit.end] != unit.text:
            raise ValueError(f"unit {unit.id} of {unit.doc_id} does not match its offsets")
    lexicon = Lexicon(json.loads((path / "lexicon.json").read_text(encoding="utf-8"))["acronyms"])
    sequences = [lexicon.tokens(s.text) for s in sentences]
    own = tuple(frozenset(tokens) for tokens in sequences)
    return IndexData(
        path=path,
        manifest=manifest,
        documents=documents,
        sentences=sentences,
        passages=passages,
        sentence_vectors=np.load(path / "sentence_vectors.npy"),
        context_vectors=np.load(path / "context_vectors.npy"),
        passage_vectors=np.load(path / "passage_vectors.npy"),
        sentence_faiss=faiss.read_index(str(path / "sentences.faiss")),
        passage_faiss=faiss.read_index(str(path / "passages.faiss")),
        context_faiss=faiss.read_index(str(path / "contexts.faiss")),
        sentence_bm25=bm25s.BM25.load(str(path / "bm25_sentences")),
        passage_bm25=bm25s.BM25.load(str(path / "bm25_passages")),
        lexicon=lexicon,
        sentence_tokens=own,
        context_tokens=tuple(_context_tokens(lexicon, sentences, own)),
        idf=_idf(own),
        sentence_bigrams=tuple(frozenset(zip(t, t[1:], strict=False)) for t in sequences),
        question_bank=_read_bank(path),
    )


def _idf(unit_tokens: tuple[frozenset[str], ...]) -> dict[str, float]:
    frequency: dict[str, int] = {}
    for tokens in unit_tokens:
        for token in tokens:
            frequency[token] = frequency.get(token, 0) + 1
    count = len(unit_tokens)
    return {t: math.log(1 + (count - df + 0.5) / (df + 0.5)) for t, df in frequency.items()}


def _context_tokens(lexicon: Lexicon, sentences: list[Sentence],
                    own: tuple[frozenset[str], ...]) -> list[frozenset[str]]:
    headings: dict[str, frozenset[str]] = {}
    result = []
    for i, sentence in enumerate(sentences):
        words = set(own[i])
        if sentence.heading:
            if sentence.heading not in headings:
                headings[sentence.heading] = frozenset(lexicon.tokens(sentence.heading))
            words |= headings[sentence.heading]
        for j in (i - 1, i + 1):
            if 0 <= j < len(sentences) and sentences[j].doc_id == sentence.doc_id:
                words |= own[j]
        result.append(frozenset(words))
    return result


def _unit_tokens(lexicon: Lexicon, sentence: Sentence) -> list[str]:
    return lexicon.tokens(f"{sentence.heading} {sentence.text}" if sentence.heading
                          else sentence.text)


def _bm25(corpus_tokens: list[list[str]]) -> bm25s.BM25:
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    # bm25s cannot index an empty token list; a placeholder keeps row numbers aligned.
    retriever.index([t or ["\u2205"] for t in corpus_tokens], show_progress=False)
    return retriever


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _switch_pointer(root: Path, name: str) -> None:
    temporary = root / f".{POINTER}.{os.getpid()}"
    temporary.write_text(name + "\n", encoding="utf-8")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, root / POINTER)


def _remove_old_versions(root: Path, keep: str) -> None:
    """Keep the new version and the one before it (a worker may still be reading it)."""
    versions = sorted((p for p in root.glob("v-*") if p.is_dir() and p.name != keep),
                      key=lambda p: p.stat().st_mtime)
    for old in versions[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in root.glob(".build-*"):
        if stale.is_dir() and time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
