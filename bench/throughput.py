"""Benchmark 3: answers per second with 1, 2, 4 and 8 concurrent clients against the production
server, each client a keep-alive connection asking back to back (a closed loop).

Levels are interleaved in short slices (1, 2, 4, 8, 1, 2, ...) and each level's figure is the
median of its slices, so load from other processes on the machine falls on every level alike.
Bare encode time is measured in this process between slices.
Targets: throughput(2) / throughput(1) >= 1.6; throughput(8) / throughput(2) >= 0.9;
best throughput / (cores / encode p50) >= 0.7 (sustained capacity against the model floor).
Only 200 answers count; 503 "busy" replies are reported apart.
Usage: python bench/throughput.py [--slices 3] [--seconds 6] [--json FILE]
"""

from __future__ import annotations

import os
import time

import click
import common
from common import Row

LEVELS = (1, 2, 4, 8)


def run(server: common.Server | None = None, slices: int = 3,
        seconds: float = 6.0) -> tuple[list[Row], dict]:
    if server is None:
        with common.running_server() as started:
            return run(started, slices, seconds)
    model = common.bare_model()
    asked = common.retrieval_questions()
    common.closed_loop(server.port, 2, 2.0, asked)  # warm-up
    encode_times: list[float] = []
    encode_cpu: list[float] = []
    workers = server.workers()
    results: dict[int, list[dict]] = {level: [] for level in LEVELS}
    for _ in range(slices):
        for level in LEVELS:
            for question in asked[:8]:
                cpu = time.thread_time()
                encode_times.append(common.timed(lambda q=question: model.encode([q])))
                encode_cpu.append(time.thread_time() - cpu)
            cpu = common.cpu_seconds(workers)
            result = common.closed_loop(server.port, level, seconds, asked)
            result["server_cpu_per_answer"] = ((common.cpu_seconds(workers) - cpu)
                                               / max(result["answered"], 1))
            results[level].append(result)
    cores = os.cpu_count() or 1
    encode_p50 = common.p50(encode_times)
    per_level = {}
    for level, slices_done in results.items():
        statuses: dict[int, int] = {}
        for result in slices_done:
            for status, count in result["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        per_level[level] = {
            "per_second": common.p50([r["per_second"] for r in slices_done]),
            "slices": [round(r["per_second"], 2) for r in slices_done],
            "p50_ms": common.p50([r["p50_ms"] for r in slices_done if r["p50_ms"]]),
            "p99_ms": max(r["p99_ms"] for r in slices_done if r["p99_ms"]),
            "statuses": statuses,
            "server_cpu_ms_per_answer": 1000 * common.p50(
                [r["server_cpu_per_answer"] for r in slices_done]),
        }
    floor = cores / encode_p50
    best = max(v["per_second"] for v in per_level.values())
    cpu_per_answer = common.p50([v["server_cpu_ms_per_answer"] for v in per_level.values()])
    encode_cpu_ms = common.p50(encode_cpu) * 1000
    figures = {"encode_p50_ms": encode_p50 * 1000, "encode_cpu_p50_ms": encode_cpu_ms,
               "server_cpu_ms_per_answer": cpu_per_answer, "loadavg": os.getloadavg()[0],
               "cores": cores, "levels": per_level,
               "model_floor_per_second": floor, "best_per_second": best}
    t = {level: per_level[level]["per_second"] for level in LEVELS}
    busy = sum(v["statuses"].get(503, 0) for v in per_level.values())
    rows = [
        Row("3", "throughput(2) / throughput(1)", t[2] / t[1], 1.6, ">=",
            detail=f"{t[1]:.1f} -> {t[2]:.1f} answers/s"),
        Row("3", "throughput(8) / throughput(2)", t[8] / t[2], 0.9, ">=",
            detail=f"t(4) {t[4]:.1f}, t(8) {t[8]:.1f} answers/s; 503s: {busy}"),
        Row("3", "best throughput / (cores / encode p50)", best / floor, 0.7, ">=",
            detail=f"{best:.1f} / {floor:.1f} answers/s; load avg {os.getloadavg()[0]:.1f}"),
        Row("3", "encode CPU / server CPU per answer (info)", encode_cpu_ms / cpu_per_answer,
            None, detail=f"{encode_cpu_ms:.1f} / {cpu_per_answer:.1f} ms CPU: capacity "
                         f"on idle cores, independent of other load"),
    ]
    return rows, figures


@click.command()
@click.option("--slices", default=3, show_default=True, help="Slices per concurrency level.")
@click.option("--seconds", default=6.0, show_default=True, help="Length of one slice.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(slices: int, seconds: float, json_path: str | None) -> None:
    rows, figures = run(slices=slices, seconds=seconds)
    for level, values in figures["levels"].items():
        click.echo(f"{level} clients: {values['per_second']:.1f}/s (slices {values['slices']}), "
                   f"p50 {values['p50_ms']:.0f} ms, p99 {values['p99_ms']:.0f} ms, "
                   f"statuses {values['statuses']}")
    click.echo(common.table(rows))
    common.write_json(json_path, {"machine": common.machine_facts(), "throughput": figures,
                                  "rows": [r.to_dict() for r in rows]})


if __name__ == "__main__":
    main()
