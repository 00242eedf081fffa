"""`make bench`: benchmarks 1-4 and 6 in one run, one table of ratios against their targets.

One production server serves benchmarks 1, 3 and 6 in turn (6 counts the answers 1 and 3
asked towards its 5,000); benchmark 2 runs in this process, 4 starts its own processes.
Exit status 0 whatever the figures (the table says pass or FAIL); --strict exits 1 on a FAIL.
Usage: python bench/run_all.py [--quick] [--json FILE] [--strict]
"""

from __future__ import annotations

import sys
import time

import click
import coldstart
import common
import latency
import memory
import parts
import throughput


def answers_logged(server: common.Server) -> int:
    return sum(1 for line in list(server.log) if '"POST /api/ask ' in line)


@click.command()
@click.option("--quick", is_flag=True, help="Fewer rounds (a smoke run, not for the record).")
@click.option("--json", "json_path", default=None, help="Write every figure as JSON.")
@click.option("--strict", is_flag=True, help="Exit 1 when any target is missed.")
def main(quick: bool, json_path: str | None, strict: bool) -> None:
    began = time.monotonic()
    facts = common.machine_facts()
    rows: list[common.Row] = []
    figures: dict = {"machine_at_start": facts}

    def step(name: str, result: tuple[list[common.Row], dict]) -> None:
        rows.extend(result[0])
        figures[name] = result[1]
        click.echo(common.table(result[0]) + f"\n({time.monotonic() - began:.0f} s)\n",
                   err=True)

    step("parts", parts.run(rounds=2 if quick else 4))
    with common.running_server() as server:
        warm = memory.warm_up(server, 100 if quick else memory.WARM_UP)
        step("latency", latency.run(server, rounds=2 if quick else 4))
        step("throughput", throughput.run(server, slices=1 if quick else 3,
                                          seconds=3.0 if quick else 6.0))
        step("memory", memory.run(server, requests=1000 if quick else 5000, warm=warm,
                                  already_sent=answers_logged(server)))
    step("coldstart", coldstart.run(rounds=1 if quick else 3, build_rounds=1))
    figures["machine_at_end"] = common.machine_facts()
    figures["seconds"] = time.monotonic() - began
    click.echo(common.table(rows))
    click.echo(f"\n{figures['seconds']:.0f} s; load average {facts['loadavg_1m']} at start, "
               f"{figures['machine_at_end']['loadavg_1m']} at end on {facts['cpus']} cores "
               f"(figures taken while other work shares the machine are noisy).")
    common.write_json(json_path, {"rows": [r.to_dict() for r in rows], **figures})
    if strict and any(r.passed is False for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
