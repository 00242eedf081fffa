"""Load test of the real server (gunicorn, loopback only, bounded in count and time).

1. Finds the capacity: the highest offered rate of POST /api/ask (open loop, new connection
   per request, like separate members of the public) that the server answers in full, with
   zero 5xx and p95 under --slo seconds; then confirms it with a longer run and records p50/p95.
2. Offers 3x that rate: every reply must be 200, 429 or 503 (no 500, no dropped connection).
3. Stops and measures recovery: seconds until a question is answered (200) within --slo again.

Starts its own gunicorn (the project's config, rate limiting off: SIMQA_RATELIMIT_ENABLED=false)
on a free 127.0.0.1 port unless --url names a loopback server already running.
Usage: python bench/load.py [--workers 2] [--quick] [--json FILE]
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click

ROOT = Path(__file__).resolve().parents[1]
SIM_DEV = ROOT.parent / "shared" / "eval" / "sim-dev.jsonl"
FALLBACK_QUESTIONS = [
    "Who developed SIM?",
    "What is Serenity Integrated Mentoring?",
    "What were the StopSIM Coalition's concerns?",
    "What did the independent review find?",
    "When did the AHSN Network stop supporting SIM?",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_REQUESTS_PER_PHASE = 20_000  # a hard bound whatever the rate and duration
CLIENT_THREADS = 64


def questions() -> list[str]:
    if SIM_DEV.exists():
        return [json.loads(line)["question"] for line in SIM_DEV.open(encoding="utf-8")]
    return FALLBACK_QUESTIONS


@dataclass
class Phase:
    name: str
    rate: float  # offered requests per second (0: closed loop)
    seconds: float
    sent: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0  # connection refused/reset, timeouts
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    answered_per_second: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("5"))

    @property
    def rejected(self) -> int:
        return self.server_errors + self.errors + sum(
            n for s, n in self.statuses.items() if s != "200"
        )


def one_request(base: str, question: str, timeout: float = 30.0) -> int:
    """POST /api/ask on a fresh connection; the status, or 0 for a transport failure."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        body = json.dumps({"question": question})
        connection.request("POST", "/api/ask", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _finish(phase: Phase, results: list[tuple[int, float]], elapsed: float) -> Phase:
    counts = Counter(str(status) for status, _ in results if status)
    phase.sent = len(results)
    phase.statuses = dict(sorted(counts.items()))
    phase.errors = sum(1 for status, _ in results if status == 0)
    answered = [seconds for status, seconds in results if status == 200]
    phase.p50 = round(statistics.median(answered), 4) if answered else 0.0
    phase.p95 = round(_percentile(answered, 0.95), 4)
    phase.p99 = round(_percentile(answered, 0.99), 4)
    phase.answered_per_second = round(len(answered) / elapsed, 2) if elapsed else 0.0
    return phase


def closed_loop(base: str, concurrency: int, seconds: float, asked: list[str]) -> Phase:
    """`concurrency` clients, each asking again as soon as it has its answer."""
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    ends = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < ends and len(results) < MAX_REQUESTS_PER_PHASE:
            started = time.perf_counter()
            status = one_request(base, asked[i % len(asked)])
            with lock:
                results.append((status, time.perf_counter() - started))
            i += concurrency

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return _finish(Phase(f"closed loop x{concurrency}", 0, seconds), results, elapsed)


def open_loop(base: str, rate: float, seconds: float, asked: list[str], name: str) -> Phase:
    """Requests sent on a fixed schedule whatever the replies; latency counts from the
    scheduled time, so a server that falls behind is not flattered (no coordinated omission)."""
    total = min(int(rate * seconds), MAX_REQUESTS_PER_PHASE)
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def send(i: int, scheduled: float) -> None:
        status = one_request(base, asked[i % len(asked)])
        with lock:
            results.append((status, time.perf_counter() - scheduled))

    began = time.perf_counter()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        for i in range(total):
            scheduled = began + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, i, scheduled)
    return _finish(Phase(name, round(rate, 2), seconds), results, time.perf_counter() - began)


def recovery_seconds(base: str, slo: float, limit: float = 60.0) -> float:
    """Seconds from now until a question is answered (200) within `slo` seconds."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        sent = time.perf_counter()
        if one_request(base, "Who developed SIM?", timeout=limit) == 200 and (
            time.perf_counter() - sent <= slo
        ):
            return round(time.monotonic() - started, 2)
        time.sleep(0.1)
    return float("inf")


def run(
    base: str,
    workers: int,
    quick: bool = False,
    slo: float = 1.0,
    log=print,
) -> dict:
    """Every phase against `base`; returns the figures (see bench/README.md)."""
    host = urlsplit(base).hostname
    if host not in LOOPBACK:
        raise click.UsageError("load tests only target loopback servers (127.0.0.1)")
    asked = questions()
    step_seconds, confirm_seconds, overload_seconds = (4, 8, 8) if quick else (8, 30, 20)
    for question in asked[:10]:  # warm-up
        one_request(base, question)
    probe = closed_loop(base, concurrency=workers * 2, seconds=step_seconds, asked=asked)
    log(f"closed loop: {probe.answered_per_second} answers/s, p95 {probe.p95} s")
    ceiling = max(probe.answered_per_second, 1.0)

    steps: list[Phase] = []
    passing = 0.0
    for share in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1):
        rate = ceiling * share
        phase = open_loop(base, rate, step_seconds, asked, f"step {share:.0%}")
        steps.append(phase)
        ok = phase.rejected == 0 and phase.p95 <= slo
        log(f"  {phase.rate:6.1f}/s: {phase.statuses} errors {phase.errors} p95 {phase.p95} s"
            f" {'ok' if ok else 'over'}")  # fmt: skip
        if not ok:
            break
        passing = rate
    time.sleep(2)

    confirmed: Phase | None = None
    rate = passing or ceiling * 0.4
    for _ in range(6):  # noisy machines: step down until a long run holds
        phase = open_loop(base, rate, confirm_seconds, asked, "at capacity")
        log(f"confirm {phase.rate}/s for {confirm_seconds} s: {phase.statuses} errors "
            f"{phase.errors} p50 {phase.p50} p95 {phase.p95} s")  # fmt: skip
        if phase.server_errors == 0 and phase.errors == 0 and phase.rejected == 0:
            confirmed = phase
            break
        rate *= 0.85
        time.sleep(2)
    capacity = confirmed.rate if confirmed else 0.0

    overload = open_loop(base, max(capacity, ceiling * 0.5) * 3, overload_seconds, asked,
                         "3x capacity")  # fmt: skip
    log(f"3x {overload.rate}/s for {overload_seconds} s: {overload.statuses} errors "
        f"{overload.errors} p95 {overload.p95} s")  # fmt: skip
    recovered = recovery_seconds(base, slo)
    log(f"recovered in {recovered} s")
    unexpected = {s: n for s, n in overload.statuses.items() if s not in {"200", "429", "503"}}
    return {
        "base": base,
        "workers": workers,
        "cpus": os.cpu_count(),
        "slo_seconds": slo,
        "closed_loop": asdict(probe),
        "steps": [asdict(s) for s in steps],
        "capacity_per_second": capacity,
        "at_capacity": asdict(confirmed) if confirmed else None,
        "overload": asdict(overload),
        "overload_unexpected": unexpected,
        "recovery_seconds": recovered,
        "holds": bool(
            confirmed
            and confirmed.server_errors == 0
            and not unexpected
            and overload.errors == 0
            and recovered <= 10
        ),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(workers: int, threads: int, env: dict[str, str] | None = None):
    """gunicorn with the project's config on a free loopback port, rate limiting off."""
    port = _free_port()
    environment = {
        **os.environ,
        "SIMQA_WORKERS": str(workers),
        "SIMQA_THREADS": str(threads),
        "SIMQA_RATELIMIT_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf",
        "--bind", f"127.0.0.1:{port}", "app.wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/health")
            ready = connection.getresponse().status == 200
            connection.close()
            if ready:
                # Every worker loads its engine; asking a few times reaches each of them.
                for _ in range(workers * 4):
                    one_request(base, "Who developed SIM?", timeout=120)
                return process, base
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not become ready")


@click.command()
@click.option("--url", default=None, help="A running loopback server (default: start one).")
@click.option("--workers", default=2, show_default=True, help="gunicorn workers to start.")
@click.option("--threads", default=16, show_default=True, help="Threads per worker.")
@click.option("--quick", is_flag=True, help="Short phases (the test suite's run).")
@click.option("--slo", default=1.0, show_default=True, help="p95 seconds that counts as served.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(url, workers, threads, quick, slo, json_path) -> None:
    process = None
    if url is None:
        process, url = start_server(workers, threads)
    try:
        figures = run(url, workers, quick=quick, slo=slo, log=click.echo)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=60)
    at = figures["at_capacity"] or {}
    click.echo(
        f"\ncapacity {figures['capacity_per_second']}/s (p50 {at.get('p50')} s, p95 "
        f"{at.get('p95')} s, statuses {at.get('statuses')}); 3x: {figures['overload']['statuses']}"
        f", transport errors {figures['overload']['errors']}; recovery "
        f"{figures['recovery_seconds']} s; holds: {figures['holds']}"
    )
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    sys.exit(0 if figures["holds"] else 1)


if __name__ == "__main__":
    main()
