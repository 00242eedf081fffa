"""Serving: the gunicorn config reads its settings from the environment, and a real gunicorn
serves the app, prints the URL to open, and logs neither questions nor client addresses."""

from __future__ import annotations

import json
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "app" / "gunicorn_conf.py"
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "SIMQA_TORCH_THREADS")


def _conf(monkeypatch, **env):
    for name in ("SIMQA_HOST", "SIMQA_PORT", "SIMQA_WORKERS", "SIMQA_THREADS", *THREAD_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_defaults(monkeypatch):
    conf = _conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == 2
    assert conf["worker_class"] == "gthread" and conf["threads"] >= 2
    assert conf["preload_app"] is False
    assert conf["control_socket_disable"] is True
    assert conf["timeout"] >= 60  # a worker loads the model before it serves
    assert os.environ["OMP_NUM_THREADS"] == "1"
    assert "%(h)s" not in conf["access_log_format"]  # no client address
    assert "%(q)s" not in conf["access_log_format"] and "%(r)s" not in conf["access_log_format"]


def test_gunicorn_settings_from_the_environment(monkeypatch):
    conf = _conf(
        monkeypatch,
        SIMQA_HOST="0.0.0.0",
        SIMQA_PORT="9001",
        SIMQA_WORKERS="3",
        SIMQA_THREADS="8",
        SIMQA_TORCH_THREADS="2",
    )
    assert conf["bind"] == ["0.0.0.0:9001"]
    assert conf["workers"] == 3
    assert conf["threads"] == 8
    assert os.environ["OMP_NUM_THREADS"] == "2"
    assert os.environ["MKL_NUM_THREADS"] == "2"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, data=None, timeout=10.0):
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_gunicorn_serves_the_app(engine, tmp_path):
    # `engine` makes sure the index is built before the worker looks for it.
    port = _free_port()
    env = {**os.environ, "SIMQA_WORKERS": "1", "SIMQA_THREADS": "2", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "app.wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    question = "Who developed SIM? My email is jo.bloggs@example.com"
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, _ = _get(base + "/api/health", timeout=2)
            except OSError:
                status = None
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, "".join(output)[-3000:]
        status, body = _get(base + "/api/ask", json.dumps({"question": question}).encode())
        assert status == 200
        answer = json.loads(body)
        # The appended email may lower confidence; answered or not, the quote is the same.
        assert answer["status"] in {"answered", "not_found"}
        assert "Paul Jennings" in answer["quotes"][0]["text"]
        status, page = _get(base + "/")
        assert status == 200 and b"What I know" in page
        status, body = _get(base + "/api/ask", b"{not json")
        assert status == 400 and json.loads(body)["error"]["code"] == "invalid_json"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        reader.join(timeout=5)
    log = "".join(output)
    assert f"open http://127.0.0.1:{port}/" in log
    assert "POST /api/ask" in log  # the access log is on
    assert "Control socket" not in log
    assert "jo.bloggs" not in log and "Who developed" not in log
    assert "127.0.0.1 - -" not in log  # no client address in access lines
