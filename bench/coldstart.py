"""Benchmark 4: cold start and index build, as ratios to the model's own costs.

Cold start, each in a fresh process, interleaved round by round:
  model     process start -> SentenceTransformer(bundled model) loaded (imports included);
  server    `simqa serve` start -> first 200 answer to POST /api/ask, index already built;
  cli       `simqa ask QUESTION --json` start -> answer printed (informational).
Index build, in this process, interleaved: build_index of the project corpus into a temporary
folder against embedder.encode_documents of the same unit texts (what the build encodes).
Targets: server / model <= 1.3; build / encode <= 1.3 (medians).
Usage: python bench/coldstart.py [--rounds 3] [--build-rounds 1] [--json FILE]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

import click
import common
from common import Row

QUESTION = "Who developed SIM?"
MODEL_ONLY = (
    "import sys\n"
    "from sentence_transformers import SentenceTransformer\n"
    "SentenceTransformer(sys.argv[1], device='cpu')\n"
    "print('ready', flush=True)\n"
)


def model_seconds(model_path: str) -> float:
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", MODEL_ONLY, model_path],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=common.server_env())
    for line in process.stdout:
        if line.startswith("ready"):
            break
    seconds = time.monotonic() - began
    process.wait()
    return seconds


def server_seconds() -> float:
    server = common.start_server()
    try:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError("server exited:\n" + "".join(server.log)[-3000:])
            try:
                status, _ = common.Client(server.port, timeout=600).ask(QUESTION)
            except OSError:  # not listening yet
                time.sleep(0.05)
                continue
            if status == 200:
                return time.monotonic() - server.started
            time.sleep(0.05)
    finally:
        server.stop()


def cli_seconds() -> float:
    began = time.monotonic()
    result = subprocess.run([common.simqa_executable(), "ask", QUESTION, "--json"],
                            capture_output=True, text=True, env=common.server_env(),
                            cwd=common.ROOT, check=True)
    seconds = time.monotonic() - began
    json.loads(result.stdout)
    return seconds


def build_figures(rounds: int) -> dict:
    from simqa.config import Settings
    from simqa.corpus import load_corpus
    from simqa.embedding import SentenceTransformerEmbedder, encode_questions
    from simqa.question_bank import read_questions
    from simqa.store import build_index, load_index

    settings = Settings.from_env()
    embedder = SentenceTransformerEmbedder(settings.model_path, adapter_path=settings.adapter_path,
                                           threads=settings.torch_threads)
    documents = load_corpus(settings.corpus_dir)
    questions = read_questions(settings.corpus_dir)
    asked = [q.text for q in questions]
    encodes: list[float] = []
    builds: list[float] = []

    def encode_all() -> None:
        embedder.encode_documents(texts)
        if asked:
            encode_questions(embedder, asked)

    with tempfile.TemporaryDirectory() as folder:
        # Warm-up, and the unit texts to encode.
        build_index(documents, embedder, folder, questions=questions)
        texts = [s.text for s in load_index(folder).sentences]
        for _ in range(rounds):
            encodes.append(common.timed(encode_all))
            builds.append(common.timed(
                lambda: build_index(documents, embedder, folder, questions=questions)))
        encodes.append(common.timed(encode_all))
    return {"units": len(texts), "questions": len(asked), "encode_s": encodes, "build_s": builds,
            "build_ratio": common.p50(builds) / common.p50(encodes)}


def run(rounds: int = 3, build_rounds: int = 1) -> tuple[list[Row], dict]:
    from simqa.config import Settings

    model_path = Settings.from_env().model_path
    cli_seconds()  # builds the index if it is missing or stale, and warms the page cache
    model_seconds(model_path)
    timings: dict[str, list[float]] = {"model": [], "server": [], "cli": []}
    for _ in range(rounds):
        timings["model"].append(model_seconds(model_path))
        timings["server"].append(server_seconds())
        timings["cli"].append(cli_seconds())
    medians = {name: common.p50(values) for name, values in timings.items()}
    build = build_figures(build_rounds)
    figures = {"cold_start_s": timings, "medians_s": medians, "build": build}
    rows = [
        Row("4", "server start -> first answer / model load", medians["server"] / medians["model"],
            1.3, detail=f"{medians['server']:.1f} / {medians['model']:.1f} s"),
        Row("4", "CLI start -> answer / model load (info)", medians["cli"] / medians["model"],
            None, detail=f"{medians['cli']:.1f} s"),
        Row("4", "index build / encode of its units and questions", build["build_ratio"], 1.3,
            detail=f"{common.p50(build['build_s']):.1f} / {common.p50(build['encode_s']):.1f} s, "
                   f"{build['units']} units"),
    ]
    return rows, figures


@click.command()
@click.option("--rounds", default=3, show_default=True, help="Cold starts of each kind.")
@click.option("--build-rounds", default=1, show_default=True, help="Index builds.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(rounds: int, build_rounds: int, json_path: str | None) -> None:
    rows, figures = run(rounds, build_rounds)
    click.echo(common.table(rows))
    common.write_json(json_path, {"machine": common.machine_facts(), "coldstart": figures,
                                  "rows": [r.to_dict() for r in rows]})


if __name__ == "__main__":
    main()
