"""Index changes while serving, on a real gunicorn over a private copy of corpus and index:
`kill -9` during `simqa index` leaves the previous index serving, and publishing a new index
(scripts/publish-index.sh: `simqa index`, then `kill -HUP`) never gives an answer a torn mix
of old and new: each answer's quotes match the sources of the corpus_version it carries."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from .servers import ROOT, ask, gunicorn, request
from .test_faults_engine import copy_index

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Who developed SIM?",
    "What is Serenity Integrated Mentoring?",
    "What were the StopSIM Coalition's concerns?",
    "What did the independent review find?",
    "When did the AHSN Network stop supporting SIM?",
]
PREFACE = "This copy was prepared to test publishing a new index while serving.\n\n"


@pytest.fixture(scope="module")
def served(engine, tmp_path_factory):
    """gunicorn (2 workers) serving a copy of the corpus and of the current index."""
    folder = tmp_path_factory.mktemp("publish")
    corpus = folder / "corpus"
    shutil.copytree(Path(engine.settings.corpus_dir), corpus)
    copy_index(engine, folder / "index")
    env = {
        "SIMQA_CORPUS_DIR": str(corpus),
        "SIMQA_INDEX_DIR": str(folder / "index"),
        "SIMQA_RATELIMIT_ENABLED": "false",
    }
    with gunicorn(env, workers=2, tmp_path=folder) as server:
        server.env = {**os.environ, **env, "SIMQA_PIDFILE": str(server.pidfile)}
        server.folder = folder
        yield server


def _sources(url: str, ids) -> tuple[str, dict[str, str]]:
    versions, texts = set(), {}
    for source_id in ids:
        body = request(f"{url}/api/sources/{source_id}").json()
        versions.add(body["corpus_version"])
        texts[source_id] = body["text"]
    assert len(versions) == 1
    return versions.pop(), texts


def _simqa_index(env, index_dir: Path, corpus: Path) -> subprocess.Popen:
    simqa = Path(os.environ.get("SIMQA_BIN", str(ROOT / ".venv" / "bin" / "simqa")))
    return subprocess.Popen(
        [str(simqa), "index", "--corpus", str(corpus), "--index-dir", str(index_dir)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_kill_9_during_simqa_index_leaves_the_previous_index_serving(served):
    index_dir = served.folder / "index"
    before = (index_dir / "CURRENT").read_text()
    answer = ask(served.url, "Who developed SIM?").json()
    version = answer["corpus_version"]
    builder = _simqa_index(served.env, index_dir, served.folder / "corpus")
    try:
        # Kill it late, once it is writing files into its staging folder beside the index.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and builder.poll() is None:
            staging = [p for p in index_dir.glob(".build-*") if any(p.iterdir())]
            if staging:
                break
            time.sleep(0.05)
        assert builder.poll() is None, "simqa index finished before it could be killed"
        os.kill(builder.pid, signal.SIGKILL)
        builder.wait(timeout=30)
    finally:
        if builder.poll() is None:
            builder.kill()
    assert builder.returncode == -signal.SIGKILL
    assert (index_dir / "CURRENT").read_text() == before
    assert ask(served.url, "Who developed SIM?").json() == answer
    # New workers (a reload, a restart) load the previous index from disk, not the remains.
    served.reload()
    time.sleep(1)
    served.wait_ready()
    reloaded = ask(served.url, "Who developed SIM?", timeout=90)
    assert reloaded.status == 200 and reloaded.json()["corpus_version"] == version


def test_publishing_a_new_index_while_serving_never_tears_an_answer(served):
    source_ids = [s["id"] for s in request(served.url + "/api/sources").json()["sources"]]
    old_version, old_texts = _sources(served.url, source_ids)
    for text_file in (served.folder / "corpus").glob("*.txt"):
        text_file.write_text(PREFACE + text_file.read_text(encoding="utf-8"), encoding="utf-8")

    replies: list = []
    stop = threading.Event()

    def keep_asking():
        i = 0
        ends = time.monotonic() + 300
        while not stop.is_set() and time.monotonic() < ends:
            replies.append(ask(served.url, QUESTIONS[i % len(QUESTIONS)], timeout=90))
            i += 1
            time.sleep(0.05)  # steady traffic that leaves the index build a core

    askers = [threading.Thread(target=keep_asking) for _ in range(2)]
    for asker in askers:
        asker.start()
    try:
        published = subprocess.run(
            ["bash", str(ROOT / "scripts" / "publish-index.sh")],
            env=served.env,
            capture_output=True,
            text=True,
            timeout=400,
        )
        assert published.returncode == 0, published.stderr[-2000:]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(r.status == 200 and r.json()["corpus_version"] != old_version
                   for r in replies[-4:]):  # fmt: skip
                break
            time.sleep(0.5)
        time.sleep(2)
    finally:
        stop.set()
        for asker in askers:
            asker.join(timeout=120)

    new_version, new_texts = _sources(served.url, source_ids)
    assert new_version != old_version
    texts = {old_version: old_texts, new_version: new_texts}
    assert [r.status for r in replies if r.status != 200] == []
    versions = [r.json()["corpus_version"] for r in replies]
    assert set(versions) == {old_version, new_version}, set(versions)
    assert versions[-1] == new_version
    checked = 0
    for reply in replies:
        answer = reply.json()
        for quote in answer["quotes"]:
            source = texts[answer["corpus_version"]][quote["source_id"]]
            assert source[quote["start"] : quote["end"]] == quote["text"], answer["corpus_version"]
            checked += 1
    assert checked > 10
    served.gap = max(r.seconds for r in replies)  # the longest wait during the reload
    print(f"published {old_version} -> {new_version}: {len(replies)} answers, "
          f"longest wait {served.gap:.1f} s")  # fmt: skip
