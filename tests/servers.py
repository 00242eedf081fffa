"""Real servers for tests: gunicorn serving app.wsgi, and redis-server, on free loopback ports.

Every server is started by the test that needs it and stopped by it (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A model path that cannot load: the worker starts fast and serves the crisis path only.
NO_MODEL = "/nonexistent/simqa-test-model"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


def request(
    url: str,
    method: str = "GET",
    body: bytes | str | dict | None = None,
    headers: dict[str, str] | None = None,
    source: str | None = None,
    timeout: float = 30.0,
) -> Reply:
    """One HTTP request (no redirects, no retries); `source` picks the client's loopback address."""
    assert url.startswith("http://127.0.0.1:"), "tests only talk to loopback servers"
    host_port, _, path = url[len("http://") :].partition("/")
    host, _, port = host_port.partition(":")
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    connection = http.client.HTTPConnection(
        host, int(port), timeout=timeout, source_address=(source, 0) if source else None
    )
    started = time.perf_counter()
    try:
        connection.request(method, "/" + path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Reply(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data,
            time.perf_counter() - started,
        )
    finally:
        connection.close()


def ask(base: str, question: str, **kwargs) -> Reply:
    return request(base + "/api/ask", "POST", {"question": question}, **kwargs)


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    pidfile: Path
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return "".join(self.output)

    def wait_ready(self, timeout: float = 180.0, status: tuple[int, ...] = (200,)) -> None:
        """Until /api/health answers with one of `status` (200: the engine is loaded)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.log()}")
            try:
                last = request(self.url + "/api/health", timeout=5).status
            except OSError:
                last = None
            if last in status:
                return
            time.sleep(0.25)
        raise AssertionError(f"gunicorn not ready (health {last}):\n{self.log()[-4000:]}")

    def reload(self) -> None:
        """`kill -HUP` the master: new workers load the index on disk, old ones finish."""
        os.kill(int(self.pidfile.read_text().strip()), signal.SIGHUP)

    def stop(self, graceful: bool = False) -> None:
        """SIGTERM (graceful: requests finish, workers log their exit) or SIGINT (quick)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def gunicorn(
    env: dict[str, str] | None = None,
    workers: int = 1,
    threads: int = 4,
    tmp_path: Path | None = None,
    ready: tuple[int, ...] | None = (200,),
) -> Iterator[Gunicorn]:
    """gunicorn with the project's own config (as `simqa serve` runs it) on a free port."""
    port = free_port()
    folder = Path(tmp_path or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    pidfile = folder / f"gunicorn-{port}.pid"
    environment = {
        **os.environ,
        "SIMQA_WORKERS": str(workers),
        "SIMQA_THREADS": str(threads),
        "SIMQA_PIDFILE": str(pidfile),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "app.wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    server = Gunicorn(process, port, pidfile)
    reader = threading.Thread(target=lambda: server.output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        if ready:
            server.wait_ready(status=ready)
        yield server
    finally:
        server.stop()
        reader.join(timeout=10)


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


@contextmanager
def redis_server(tmp_path: Path) -> Iterator[int]:
    """A throwaway redis-server on a free loopback port, no persistence; yields the port."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(tmp_path), "--protected-mode", "yes",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError("redis-server did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
