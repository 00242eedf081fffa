"""Shared by the benchmarks: thread pinning, questions, a production server, HTTP, RSS, tables.

Importing this module pins the numeric libraries to one thread per process (what each gunicorn
worker does, app/gunicorn_conf.py) unless the environment already says otherwise; import it
before numpy or torch. The benchmarks import simqa, numpy and torch inside functions for that
reason.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SIM_DEV = SHARED / "eval" / "sim-dev.jsonl"
FALLBACK_QUESTIONS = ["Who developed SIM?", "Where did SIM start?", "What is the AHSN Network?",
                      "When did the AHSN Network stop supporting SIM?"]

THREADS = os.environ.get("SIMQA_TORCH_THREADS", "").strip() or "1"
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, THREADS)
os.environ.setdefault("SIMQA_TORCH_THREADS", THREADS)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


# ---------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0-100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def p50(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Row:
    """One line of the benchmark table: a measured ratio against its target."""

    benchmark: str
    measure: str
    value: float
    target: float | None = None
    op: str = "<="  # value op target passes
    detail: str = ""

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.op == "<=" else self.value >= self.target

    def to_dict(self) -> dict:
        return {**asdict(self), "passed": self.passed}


def table(rows: list[Row]) -> str:
    lines = [f"{'#':<3}{'measure':<46}{'value':>10}  {'target':<10}{'result':<7}detail",
             "-" * 100]
    for row in rows:
        target = f"{row.op} {row.target:g}" if row.target is not None else ""
        result = {True: "pass", False: "FAIL", None: ""}[row.passed]
        lines.append(f"{row.benchmark:<3}{row.measure:<46}{row.value:>10.3f}  {target:<10}"
                     f"{result:<7}{row.detail}")
    return "\n".join(lines)


def write_json(path: str | Path | None, payload: dict) -> None:
    if path:
        Path(path).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def machine_facts() -> dict:
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "loadavg_1m": round(load[0], 2),
            "loadavg_5m": round(load[1], 2), "threads_per_process": THREADS,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S")}


# ---------------------------------------------------------------- questions


def questions() -> list[str]:
    """The dev-set questions (answerable, unanswerable, crisis, small talk), in file order."""
    if SIM_DEV.exists():
        return [json.loads(line)["question"] for line in SIM_DEV.open(encoding="utf-8")
                if line.strip()]
    return list(FALLBACK_QUESTIONS)


def retrieval_questions() -> list[str]:
    """Dev questions that reach retrieval (crisis and small talk never touch the model)."""
    from simqa.engine import route_without_model

    return [q for q in questions() if route_without_model(q) is None]


def varied_questions(count: int, seed: int = 7) -> list[str]:
    """`count` questions: the dev questions, then recombinations of their words, so caches keyed
    by question text see new keys the way real traffic would."""
    base = questions()
    words = sorted({w for q in base for w in re.findall(r"[A-Za-z']+", q)})
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        question = base[len(out) % len(base)]
        if len(out) >= len(base):
            extra = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
            question = f"{question.rstrip('?')} {extra}?"
        out.append(question)
    return out


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident set size of one process in MiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes (all their threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(found)


def simqa_executable() -> str:
    return shutil.which("simqa", path=os.path.dirname(sys.executable)) or "simqa"


@dataclass
class Server:
    """The production server as `simqa serve` starts it (gunicorn, app/gunicorn_conf.py)."""

    process: subprocess.Popen
    port: int
    started: float
    log: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def ready_workers(self) -> set[int]:
        text = "".join(self.log)
        return {int(pid) for pid in re.findall(r"simqa worker (\d+) ready", text)}

    def wait_ready(self, timeout: float = 600.0) -> float:
        """Seconds from start until every worker has loaded its engine (and answers health)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited {self.process.returncode}:\n"
                                   + "".join(self.log)[-4000:])
            workers = self.workers()
            if workers and set(workers) <= self.ready_workers():
                return time.monotonic() - self.started
            time.sleep(0.05)
        raise RuntimeError("server not ready:\n" + "".join(self.log)[-4000:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           # One client address sends every request: per-client limits would refuse most.
           "SIMQA_RATELIMIT_ENABLED": "false"}
    env.update(extra or {})
    return env


def start_server(extra_env: dict[str, str] | None = None, workers: int | None = None) -> Server:
    port = free_port()
    command = [simqa_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(extra_env),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace")
    server = Server(process, port, started)
    threading.Thread(target=lambda: server.log.extend(process.stdout), daemon=True).start()
    return server


@contextmanager
def running_server(extra_env: dict[str, str] | None = None,
                   workers: int | None = None) -> Iterator[Server]:
    server = start_server(extra_env, workers)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- HTTP


class Client:
    """One keep-alive HTTP/1.1 connection, like one browser tab; reconnects when closed.

    With fresh=True every request opens its own connection, like separate members of the
    public: gunicorn's workers then share the requests (a kept-alive connection stays with the
    worker that accepted it, so two keep-alive clients can both land on one worker)."""

    def __init__(self, port: int, timeout: float = 60.0, fresh: bool = False) -> None:
        self.port = port
        self.timeout = timeout
        self.fresh = fresh
        self._connection: http.client.HTTPConnection | None = None

    def ask(self, question: str) -> tuple[int, bytes]:
        body = json.dumps({"question": question}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.fresh:
            headers["Connection"] = "close"
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                              timeout=self.timeout)
            try:
                self._connection.request("POST", "/api/ask", body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
                if self.fresh or response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, data
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def closed_loop(port: int, clients: int, seconds: float, question_list: list[str],
                on_reply: Callable[[int], None] | None = None, fresh: bool = True) -> dict:
    """`clients` threads each asking back-to-back for `seconds` (a new connection per request
    unless fresh=False): answers/s and statuses."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    counter = iter(range(10**9))

    def client_loop() -> None:
        client = Client(port, fresh=fresh)
        try:
            while time.monotonic() < stop_at:
                with lock:
                    question = question_list[next(counter) % len(question_list)]
                began = time.perf_counter()
                try:
                    status, _ = client.ask(question)
                except OSError:
                    status = 0
                elapsed = time.perf_counter() - began
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        latencies.append(elapsed)
                if on_reply:
                    on_reply(status)
        finally:
            client.close()

    began = time.monotonic()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    answered = statuses.get(200, 0)
    return {"clients": clients, "seconds": elapsed, "answered": answered,
            "per_second": answered / elapsed, "statuses": statuses,
            "p50_ms": p50(latencies) * 1000 if latencies else None,
            "p99_ms": percentile(latencies, 99) * 1000 if latencies else None}


# ---------------------------------------------------------------- model


def bare_model():
    """The bundled model as sentence-transformers loads it, on the engine's thread count: the
    floor every ratio is measured against."""
    import torch
    from sentence_transformers import SentenceTransformer

    from simqa.config import Settings

    torch.set_num_threads(int(THREADS))
    return SentenceTransformer(Settings.from_env().model_path, device="cpu")


def timed(function: Callable[[], object]) -> float:
    began = time.perf_counter()
    function()
    return time.perf_counter() - began
