"""When the model or index cannot load, crisis questions are still answered, others get a JSON
503, and the server never crash-loops; a damaged, edited or mismatched index is refused at load
with a message that names the fix (`simqa index`)."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path

import pytest

from app import create_app
from simqa.engine import Engine

from .servers import NO_MODEL, ask, gunicorn, request

CRISIS = "I want to end my life tonight"


def copy_index(engine, folder: Path) -> Path:
    """A private copy of the session's current index: folder/CURRENT + folder/<version>/."""
    source = Path(engine.index.path)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, folder / source.name)
    (folder / "CURRENT").write_text(source.name + "\n", encoding="utf-8")
    return folder / source.name


def _manifest(version: Path) -> dict:
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(version: Path, manifest: dict) -> None:
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("SIM", "SlM", 1), encoding="utf-8")


def _bad_checksum(version: Path) -> None:
    manifest = _manifest(version)
    manifest["files"]["documents.json"] = "0" * 64
    _write_manifest(version, manifest)


def _other_dimension(version: Path) -> None:
    manifest = _manifest(version)
    manifest["dimension"] = 768
    _write_manifest(version, manifest)


def _other_model(version: Path) -> None:
    manifest = _manifest(version)
    manifest.update(model="paraphrase-multilingual-mpnet-base-v2", corpus_version="0" * 16)
    _write_manifest(version, manifest)


def _truncated_with_matching_checksum(version: Path) -> None:
    import hashlib

    _truncate(version / "passage_vectors.npy")
    manifest = _manifest(version)
    digest = hashlib.sha256((version / "passage_vectors.npy").read_bytes()).hexdigest()
    manifest["files"]["passage_vectors.npy"] = digest
    _write_manifest(version, manifest)


DAMAGE = {
    "truncated vectors": (lambda v: _truncate(v / "sentence_vectors.npy"), "checksum"),
    "edited units": (lambda v: _edit(v / "units.json"), "checksum"),
    "checksum mismatch": (_bad_checksum, "checksum"),
    "missing file": (lambda v: (v / "lexicon.json").unlink(), "missing"),
    "unreadable manifest": (lambda v: _truncate(v / "manifest.json"), "manifest"),
    "another dimension": (_other_dimension, "768-dimensional"),
    "another model": (_other_model, "another corpus or model"),
    "truncated, checksum updated": (_truncated_with_matching_checksum, "could not be read"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_refused_and_crisis_still_works(engine, tmp_path, caplog, damage):
    version = copy_index(engine, tmp_path / "index")
    harm, reason = DAMAGE[damage]
    harm(version)
    # auto_build stays on: only a missing or stale index is rebuilt, never a damaged one. A
    # manifest for another model is stale, so that case is checked with auto_build off.
    settings = engine.settings.with_(
        index_dir=str(tmp_path / "index"), auto_build=damage != "another model"
    )
    loads = []

    def load(s):
        loads.append(1)
        return Engine.load(s, embedder=engine.embedder)

    app = create_app({"TESTING": True, "SETTINGS": settings, "ENGINE_LOADER": load})
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="simqa"):
        refused = client.post("/api/ask", json={"question": "Who developed SIM?"})
    assert refused.status_code == 503
    assert refused.get_json()["error"]["code"] == "engine_unavailable"
    assert refused.headers["Retry-After"]
    crisis = client.post("/api/ask", json={"question": CRISIS})
    assert crisis.status_code == 200 and crisis.get_json()["status"] == "crisis"
    health = client.get("/api/health")
    assert health.status_code == 503 and health.get_json()["status"] == "failed"
    assert "simqa index" in caplog.text, caplog.text
    assert reason in caplog.text, caplog.text
    assert loads == [1]  # not retried on every request
    assert (tmp_path / "index" / "CURRENT").read_text().strip() == version.name  # not patched


@pytest.mark.slow
def test_the_real_server_without_a_model_answers_crisis_and_never_crash_loops(tmp_path):
    env = {"SIMQA_MODEL": NO_MODEL, "SIMQA_RATELIMIT_ENABLED": "false"}
    with gunicorn(env, workers=2, tmp_path=tmp_path, ready=(503,)) as server:
        for _ in range(3):
            crisis = ask(server.url, CRISIS)
            assert crisis.status == 200 and crisis.json()["status"] == "crisis"
            assert any(s["contact"] == "116 123" for s in crisis.json()["signposting"])
            other = ask(server.url, "Who developed SIM?")
            assert other.status == 503
            assert other.json()["error"]["code"] == "engine_unavailable"
            assert "116 123" in other.json()["error"]["message"]
            assert int(other.headers["retry-after"]) > 0
        assert request(server.url + "/").status == 200  # the chat page still loads
        time.sleep(3)
        assert server.process.poll() is None
        log = server.log()
        assert log.count("Booting worker") == 2, log  # no worker died and was replaced
        assert log.count("engine failed to load") <= 2  # once per worker, not per request
        assert "Worker exiting" not in log


@pytest.mark.slow
def test_the_real_server_refuses_a_damaged_index_and_names_the_fix(engine, tmp_path):
    version = copy_index(engine, tmp_path / "index")
    _truncate(version / "sentence_vectors.npy")
    env = {"SIMQA_INDEX_DIR": str(tmp_path / "index"), "SIMQA_RATELIMIT_ENABLED": "false"}
    with gunicorn(env, tmp_path=tmp_path, ready=(503,)) as server:
        assert ask(server.url, CRISIS).json()["status"] == "crisis"
        assert ask(server.url, "Who developed SIM?").status == 503
        log = server.log()
    assert "does not match its checksum" in log and "run `simqa index`" in log
    assert log.count("Booting worker") == 1
