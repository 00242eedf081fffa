"""Benchmark 2: the parts of one answer, each divided by the bare encode time, in one process.

For every question, interleaved: the bare model.encode([question]), then Engine.ask(question)
with its two stages timed from outside (the engine's code is not changed for this):
  retrieval = Retriever.retrieve: FAISS searches, the context matrix search and BM25 scores;
  extraction + JSON = the rest of ask after the encode and retrieval (routing, ranking,
  confidence, quote spans, citations), plus Answer.to_dict() and json.dumps.
Targets: retrieval / encode <= 0.1; extraction + JSON / encode <= 0.2 (p50 over p50).
With --profile, cProfile of the non-encode part names where its time goes.
Usage: python bench/parts.py [--rounds 5] [--profile] [--json FILE]
"""

from __future__ import annotations

import json
import time

import click
import common
from common import Row


class _Timed:
    """Wraps one method of an object and records how long each call took."""

    def __init__(self, owner: object, name: str) -> None:
        self.calls: list[float] = []
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.calls.append(time.perf_counter() - began)

        setattr(owner, name, wrapper)

    def take(self) -> float:
        total = sum(self.calls)
        self.calls.clear()
        return total


def load_engine():
    from simqa.config import Settings
    from simqa.engine import Engine

    return Engine.load(Settings.from_env())


def run(rounds: int = 5, engine=None, profile: bool = False) -> tuple[list[Row], dict]:
    engine = engine or load_engine()
    model = engine.embedder._model  # the engine's own SentenceTransformer
    encode = _Timed(engine.embedder, "encode_many")
    retrieve = _Timed(engine.retriever, "retrieve")
    asked = common.retrieval_questions()
    for question in asked[:10]:
        json.dumps(engine.ask(question).to_dict())
        model.encode([question])
    encode.take()
    retrieve.take()
    bare, inner_encode, retrieval, rest, whole = [], [], [], [], []
    for _ in range(rounds):
        for question in asked:
            bare.append(common.timed(lambda q=question: model.encode([q])))
            began = time.perf_counter()
            answer = engine.ask(question)
            asked_seconds = time.perf_counter() - began
            began = time.perf_counter()
            json.dumps(answer.to_dict(), ensure_ascii=False)
            json_seconds = time.perf_counter() - began
            encoded, retrieved = encode.take(), retrieve.take()
            inner_encode.append(encoded)
            retrieval.append(retrieved)
            rest.append(asked_seconds - encoded - retrieved + json_seconds)
            whole.append(asked_seconds + json_seconds)
    encode_p50 = common.p50(bare)
    figures = {
        "questions": len(bare),
        "encode_p50_ms": encode_p50 * 1000,
        "engine_encode_p50_ms": common.p50(inner_encode) * 1000,
        "retrieval_p50_ms": common.p50(retrieval) * 1000,
        "extraction_json_p50_ms": common.p50(rest) * 1000,
        "ask_p50_ms": common.p50(whole) * 1000,
    }
    figures["retrieval_ratio"] = figures["retrieval_p50_ms"] / figures["encode_p50_ms"]
    figures["extraction_ratio"] = figures["extraction_json_p50_ms"] / figures["encode_p50_ms"]
    figures["ask_ratio"] = figures["ask_p50_ms"] / figures["encode_p50_ms"]
    if profile:
        figures["profile"] = _profile(engine, asked)
    rows = [
        Row("2", "retrieval (FAISS + BM25) p50 / encode p50", figures["retrieval_ratio"], 0.1,
            detail=f"{figures['retrieval_p50_ms']:.2f} / {figures['encode_p50_ms']:.1f} ms"),
        Row("2", "extraction + JSON p50 / encode p50", figures["extraction_ratio"], 0.2,
            detail=f"{figures['extraction_json_p50_ms']:.2f} / {figures['encode_p50_ms']:.1f} ms"),
        Row("2", "Engine.ask + JSON p50 / encode p50 (info)", figures["ask_ratio"], None,
            detail=f"{figures['ask_p50_ms']:.1f} ms in process"),
    ]
    return rows, figures


def _profile(engine, asked: list[str], top: int = 25) -> str:
    """cProfile of everything after the encode, for every question once."""
    import cProfile
    import io
    import pstats

    vectors = engine.embedder.encode_many(asked)
    profiler = cProfile.Profile()
    profiler.enable()
    for question, vector in zip(asked, vectors, strict=True):
        engine.embedder.encode_many = lambda texts, v=vector: v.reshape(1, -1)
        json.dumps(engine.ask(question).to_dict(), ensure_ascii=False)
    profiler.disable()
    del engine.embedder.encode_many
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


@click.command()
@click.option("--rounds", default=5, show_default=True, help="Passes over the dev questions.")
@click.option("--profile", is_flag=True, help="Also print a cProfile of the non-encode part.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
def main(rounds: int, profile: bool, json_path: str | None) -> None:
    rows, figures = run(rounds=rounds, profile=profile)
    click.echo(common.table(rows))
    if profile:
        click.echo(figures["profile"])
    common.write_json(json_path, {"machine": common.machine_facts(), "parts": figures,
                                  "rows": [r.to_dict() for r in rows]})


if __name__ == "__main__":
    main()
