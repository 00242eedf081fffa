"""Benchmark 6: resident memory of each worker after 5,000 answers, divided by after warm-up.

Starts the production server, sends 200 warm-up questions from 8 clients, reads each worker's
RSS, sends questions until the server has answered 5,000 in all and at least 1,000 of them here
(dev questions, then recombinations of their words so that every cache keyed by text sees new
keys), and reads RSS again.
Target: the largest per-worker ratio <= 1.05.
Usage: python bench/memory.py [--requests 5000] [--clients 2] [--json FILE]
"""

from __future__ import annotations

import click
import common
from common import Row

WARM_UP = 200
MIN_OWN = 1000  # sent here even when other benchmarks already passed the total


def warm_up(server: common.Server, count: int = WARM_UP) -> dict[int, float]:
    """Send `count` questions from 8 clients (the most any benchmark uses at once, so every
    thread that will ever hold an answer in flight has done so), on new connections so every
    worker gets its share; return each worker's RSS (MiB) afterwards."""
    asked = common.varied_questions(count, seed=1)
    _send(server, asked, clients=8)
    return {pid: common.rss_mib(pid) for pid in server.workers()}


def _send(server: common.Server, asked: list[str], clients: int) -> dict[int, int]:
    import threading

    statuses: dict[int, int] = {}
    lock = threading.Lock()
    position = iter(range(len(asked)))

    def loop() -> None:
        client = common.Client(server.port, fresh=True)
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            status, _ = client.ask(asked[index])
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        client.close()

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def run(server: common.Server | None = None, requests: int = 5000, clients: int = 2,
        warm: dict[int, float] | None = None, already_sent: int = 0) -> tuple[list[Row], dict]:
    """`warm` and `already_sent` let a caller that already warmed this server up (and sent
    other benchmarks' requests to it) count those towards the total."""
    if server is None:
        with common.running_server() as started:
            return run(started, requests, clients)
    if warm is None:
        warm = warm_up(server)
        already_sent = WARM_UP
    remaining = max(requests - already_sent, MIN_OWN)
    statuses = _send(server, common.varied_questions(remaining, seed=2), clients)
    after = {pid: common.rss_mib(pid) for pid in server.workers()}
    ratios = {pid: after[pid] / warm[pid] for pid in warm if pid in after}
    figures = {"requests": already_sent + remaining, "statuses": statuses,
               "rss_warm_mib": warm, "rss_after_mib": after, "ratios": ratios,
               "replaced_workers": sorted(set(warm) ^ set(after))}
    worst = max(ratios.values()) if ratios else float("nan")
    detail = ", ".join(f"{warm[p]:.0f} -> {after[p]:.0f} MiB" for p in ratios)
    rows = [Row("6", f"worker RSS after {figures['requests']} / after warm-up", worst, 1.05,
                detail=detail)]
    return rows, figures


@click.command()
@click.option("--requests", default=5000, show_default=True, help="Answers in all.")
@click.option("--clients", default=2, show_default=True, help="Concurrent clients.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(requests: int, clients: int, json_path: str | None) -> None:
    rows, figures = run(requests=requests, clients=clients)
    click.echo(common.table(rows))
    common.write_json(json_path, {"machine": common.machine_facts(), "memory": figures,
                                  "rows": [r.to_dict() for r in rows]})


if __name__ == "__main__":
    main()
