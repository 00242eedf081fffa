"""Engine.ask p50 against the bare model.encode([question]) p50, interleaved in one run.

The ratio is what counts (the machines are noisy): target <= 2.0. Also times an index build of
the project corpus. Usage: python bench/latency.py [--rounds 5] [--json FILE]
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import click

from simqa.config import Settings
from simqa.corpus import load_corpus
from simqa.engine import Engine
from simqa.store import build_index

SIM_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "sim-dev.jsonl"
FALLBACK_QUESTIONS = ["Who developed SIM?", "Where did SIM start?", "What is the AHSN Network?",
                      "When did the AHSN Network stop supporting SIM?"]


def questions() -> list[str]:
    if SIM_DEV.exists():
        return [json.loads(line)["question"] for line in SIM_DEV.open(encoding="utf-8")]
    return FALLBACK_QUESTIONS


def p50(values: list[float]) -> float:
    return statistics.median(values)


@click.command()
@click.option("--rounds", default=5, show_default=True)
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(rounds: int, json_path: str | None) -> None:
    engine = Engine.load(Settings.from_env())
    model = engine.embedder._model  # the same SentenceTransformer the engine uses
    asked = questions()
    for question in asked[:5]:  # warm-up
        engine.ask(question)
        model.encode([question])
    encode_times, ask_times = [], []
    for _ in range(rounds):
        for question in asked:
            started = time.perf_counter()
            model.encode([question])
            encode_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            engine.ask(question)
            ask_times.append(time.perf_counter() - started)
    documents = load_corpus(engine.settings.corpus_dir)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        build_index(documents, engine.embedder, folder)
        build_seconds = time.perf_counter() - started
    figures = {
        "questions": len(asked) * rounds,
        "encode_p50_ms": round(p50(encode_times) * 1000, 2),
        "ask_p50_ms": round(p50(ask_times) * 1000, 2),
        "ask_over_encode_p50": round(p50(ask_times) / p50(encode_times), 3),
        "target_ratio": 2.0,
        "index_build_seconds": round(build_seconds, 2),
        "target_build_seconds": 60,
    }
    click.echo(f"{'measure':<28}{'value':>10}  target")
    click.echo(f"{'encode p50 (ms)':<28}{figures['encode_p50_ms']:>10}")
    click.echo(f"{'Engine.ask p50 (ms)':<28}{figures['ask_p50_ms']:>10}")
    click.echo(f"{'ask / encode (p50 ratio)':<28}{figures['ask_over_encode_p50']:>10}  <= 2.0")
    click.echo(f"{'index build, 5 docs (s)':<28}{figures['index_build_seconds']:>10}  < 60")
    if json_path:
        Path(json_path).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
