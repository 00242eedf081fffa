"""The index: atomic builds, rebuild when stale, refusal when corrupt or built for another model."""

from __future__ import annotations

import json

import pytest

from simqa.config import Settings
from simqa.engine import Engine
from simqa.store import IndexError_, current_path, load_index


@pytest.fixture
def small_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(
        "Alpha report\n\nThe alpha programme was launched in Leeds in 2019. "
        "It was run by the Northern Health Group.\n", encoding="utf-8")
    (corpus / "beta.txt").write_text(
        "Beta note\n\nThe beta trial ended in March 2020 because funding ran out.\n",
        encoding="utf-8")
    return corpus


@pytest.fixture
def settings(small_corpus, tmp_path):
    return Settings(corpus_dir=str(small_corpus), index_dir=str(tmp_path / "index"))


def test_a_missing_index_is_built_with_a_complete_manifest(settings, engine):
    built = Engine.load(settings, embedder=engine.embedder)
    manifest = built.index.manifest
    assert manifest["model"] == engine.embedder.name and manifest["dimension"] == 384
    assert set(manifest["documents"]) == {"alpha", "beta"}
    assert manifest["counts"]["documents"] == 2
    assert {"corpus_version", "built_at", "simqa_version", "chunking", "files"} <= set(manifest)
    assert built.ask("Where was the alpha programme launched?").quotes[0].source_id == "alpha"


def test_a_changed_corpus_is_rebuilt_on_load(settings, small_corpus, engine):
    first = Engine.load(settings, embedder=engine.embedder)
    (small_corpus / "beta.txt").write_text("Beta note\n\nThe beta trial moved to York.\n")
    second = Engine.load(settings, embedder=engine.embedder)
    assert second.corpus_version != first.corpus_version
    assert "York" in second.source("beta").text


def test_a_stale_index_is_refused_when_auto_build_is_off(settings, small_corpus, engine):
    Engine.load(settings, embedder=engine.embedder)
    (small_corpus / "gamma.txt").write_text("Gamma is new.\n")
    with pytest.raises(IndexError_, match="simqa index"):
        Engine.load(settings.with_(auto_build=False), embedder=engine.embedder)


def test_a_truncated_index_file_is_refused_naming_the_fix(settings, engine):
    Engine.load(settings, embedder=engine.embedder)
    path = current_path(settings.index_dir)
    vectors = path / "sentence_vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(IndexError_, match="checksum.*simqa index"):
        Engine.load(settings, embedder=engine.embedder)


def test_an_index_for_another_model_dimension_is_refused(settings, engine):
    Engine.load(settings, embedder=engine.embedder)
    path = current_path(settings.index_dir)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["dimension"] = 768
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match="768-dimensional.*simqa index"):
        load_index(settings.index_dir, expected_dimension=384)


def test_a_crash_during_a_build_leaves_the_previous_index_serving(settings, small_corpus,
                                                                  engine):
    first = Engine.load(settings, embedder=engine.embedder)

    class Crashing:
        name, dimension = engine.embedder.name, engine.embedder.dimension

        def encode_documents(self, texts, progress=False):
            raise KeyboardInterrupt  # as if killed mid-build

    (small_corpus / "beta.txt").write_text("Beta note\n\nChanged text.\n")
    with pytest.raises(KeyboardInterrupt):
        Engine.load(settings, embedder=Crashing())
    survivor = load_index(settings.index_dir)
    assert survivor.corpus_version == first.corpus_version
    assert not list((current_path(settings.index_dir).parent).glob(".build-*"))
