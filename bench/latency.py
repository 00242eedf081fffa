"""Benchmark 1: p50 of POST /api/ask over loopback against the production server, divided by the
p50 of the bare model.encode([question]) in this process, interleaved question by question.

Target: ratio <= 1.5. Only questions that reach retrieval are asked (crisis and small-talk
answers never encode). Usage: python bench/latency.py [--rounds 5] [--json FILE]
"""

from __future__ import annotations

import time

import click
import common
from common import Row


def run(server: common.Server | None = None, rounds: int = 5) -> tuple[list[Row], dict]:
    if server is None:
        with common.running_server() as started:
            return run(started, rounds)
    model = common.bare_model()
    asked = common.retrieval_questions()
    client = common.Client(server.port)
    for question in asked[:10]:  # warm-up: both sides reach steady state
        client.ask(question)
        model.encode([question])
    encode_times: list[float] = []
    http_times: list[float] = []
    for _ in range(rounds):
        for question in asked:
            encode_times.append(common.timed(lambda q=question: model.encode([q])))
            began = time.perf_counter()
            status, _ = client.ask(question)
            http_times.append(time.perf_counter() - began)
            if status != 200:
                raise RuntimeError(f"POST /api/ask answered {status} for {question!r}")
    client.close()
    figures = {
        "requests": len(http_times),
        "encode_p50_ms": common.p50(encode_times) * 1000,
        "encode_p99_ms": common.percentile(encode_times, 99) * 1000,
        "http_p50_ms": common.p50(http_times) * 1000,
        "http_p99_ms": common.percentile(http_times, 99) * 1000,
    }
    figures["ratio_p50"] = figures["http_p50_ms"] / figures["encode_p50_ms"]
    rows = [Row("1", "HTTP ask p50 / bare encode p50", figures["ratio_p50"], 1.5,
                detail=f"{figures['http_p50_ms']:.1f} / {figures['encode_p50_ms']:.1f} ms, "
                       f"n={len(http_times)}")]
    return rows, figures


@click.command()
@click.option("--rounds", default=5, show_default=True, help="Passes over the dev questions.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(rounds: int, json_path: str | None) -> None:
    rows, figures = run(rounds=rounds)
    click.echo(common.table(rows))
    common.write_json(json_path, {"machine": common.machine_facts(), "latency": figures,
                                  "rows": [r.to_dict() for r in rows]})


if __name__ == "__main__":
    main()
