"""The ONNX experiment: sentence-transformers `backend="onnx"` against the default torch backend.

Loads the bundled model both ways (ONNX exported on the fly by optimum, one ONNX Runtime thread,
like one torch thread), checks the vectors agree, then, interleaved in one process:
  encode p50 and p99 of model.encode([question]) for each backend;
  Engine.ask p50 and p99 with each backend (each with an index built by that backend);
  whether every dev-set answer is identical (then every dev metric is too);
  index build time with each backend.
Needs optimum-onnx and onnxruntime. optimum-onnx (0.1.0, the newest) requires
transformers < 4.58 and so cannot be installed beside this project's sentence-transformers 6 /
transformers 5; bench/README.md shows the side environment this was run in.
Usage: python bench/onnx_backend.py [--rounds 5] [--work /tmp/simqa-onnx] [--json FILE]
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import common


def embedder_for(backend: str, model_path: str):
    import onnxruntime
    from sentence_transformers import SentenceTransformer

    from simqa.embedding import SentenceTransformerEmbedder, model_name

    embedder = SentenceTransformerEmbedder.__new__(SentenceTransformerEmbedder)
    if backend == "onnx":
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        embedder._model = SentenceTransformer(
            model_path, device="cpu", backend="onnx",
            model_kwargs={"session_options": options, "export": True})
    else:
        embedder._model = SentenceTransformer(model_path, device="cpu")
    embedder.name = model_name(model_path)
    embedder.dimension = 384
    embedder.batch_size = 64
    return embedder


@click.command()
@click.option("--rounds", default=5, show_default=True)
@click.option("--work", default="/tmp/simqa-onnx", show_default=True)
@click.option("--json", "json_path", default=None)
def main(rounds: int, work: str, json_path: str | None) -> None:
    import numpy as np
    import torch

    from simqa.config import Settings
    from simqa.corpus import load_corpus
    from simqa.engine import Engine
    from simqa.store import build_index

    torch.set_num_threads(1)
    settings = Settings.from_env()
    documents = load_corpus(settings.corpus_dir)
    engines, builds = {}, {}
    for backend in ("torch", "onnx"):
        embedder = embedder_for(backend, settings.model_path)
        folder = Path(work) / f"index-{backend}"
        began = time.perf_counter()
        build_index(documents, embedder, folder)
        builds[backend] = time.perf_counter() - began
        engines[backend] = Engine.load(settings.with_(index_dir=str(folder)), embedder=embedder)
    asked = common.retrieval_questions()
    every = common.questions()
    a = engines["torch"].embedder.encode_many(asked)
    b = engines["onnx"].embedder.encode_many(asked)
    figures: dict = {"max_abs_vector_difference": float(np.abs(a - b).max()),
                     "build_s": builds}
    answers = {k: [x.to_dict() for x in e.ask_many(every)] for k, e in engines.items()}
    for listing in answers.values():
        for answer in listing:
            answer.pop("corpus_version", None)
    figures["answers_identical"] = sum(x == y for x, y in zip(*answers.values(), strict=True))
    figures["answers"] = len(every)
    encode = {k: [] for k in engines}
    ask = {k: [] for k in engines}
    for question in asked[:5]:
        for engine in engines.values():
            engine.ask(question)
    for _ in range(rounds):
        for question in asked:
            for backend, engine in engines.items():
                model = engine.embedder._model
                encode[backend].append(common.timed(lambda q=question, m=model: m.encode([q])))
                ask[backend].append(common.timed(lambda q=question, e=engine: e.ask(q)))
    for backend in engines:
        for name, values in (("encode", encode[backend]), ("ask", ask[backend])):
            figures[f"{backend}_{name}_p50_ms"] = common.p50(values) * 1000
            figures[f"{backend}_{name}_p99_ms"] = common.percentile(values, 99) * 1000
    click.echo(json.dumps(figures, indent=2))
    common.write_json(json_path, {"machine": common.machine_facts(), "onnx": figures})


if __name__ == "__main__":
    main()
