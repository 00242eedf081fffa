"""Benchmark 5 (`make bench-scale`): the same measurements over larger corpora.

Corpora: the project corpus, COVID-QA (98 articles), NFCorpus (3,633 abstracts), both read
from ../shared/benchmarks, and a generated corpus of N passages (default 100,000) written by
this script at run time into the work folder (never into the repository). Each corpus is
measured in its own process, so RSS is that corpus's alone:
  build time (all cores) and units/s; index size on disk; load time; RSS after the model
  alone and after the index; Engine.ask p50 / bare encode p50 (interleaved); retrieval p50 /
  encode p50; and, over the corpus's own sentence vectors and real query vectors, exact FAISS
  search (IndexFlatIP) against HNSW and IVF: recall@60 (the dense candidates retrieval takes)
  and time per search.
An index already in the work folder is reused (its build time is then the recorded one).
Usage: python bench/scale.py [--corpora project,covidqa,nfcorpus,generated]
                             [--generated-passages 100000] [--work DIR] [--json FILE]
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import click
import common

BENCHMARKS = common.SHARED / "benchmarks"
CORPORA = ("project", "covidqa", "nfcorpus", "generated")
QUERIES = 60
K = 60  # retrieval.DENSE_CANDIDATES


# ---------------------------------------------------------------- the generated corpus


def generate_corpus(folder: Path, passages: int, seed: int = 13) -> Path:
    """Plain .txt documents of 10 sections each, a heading and a 1-2 sentence paragraph per
    section, from a word-bigram model of the COVID-QA and NFCorpus texts: unique text with a
    realistic vocabulary, one passage per section. Deterministic for a seed."""
    corpus = folder / "corpus"
    marker = corpus / ".complete"
    if marker.exists() and marker.read_text() == str(passages):
        return corpus
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    rng = random.Random(seed)
    following: dict[str, list[str]] = {}
    sources = sorted((BENCHMARKS / "nfcorpus" / "corpus").glob("*.txt"))[:1500]
    sources += sorted((BENCHMARKS / "covidqa" / "corpus").glob("*.txt"))[:40]
    for path in sources:
        tokens = re.findall(r"[A-Za-z][a-z]+|[0-9]+", path.read_text(encoding="utf-8"))
        for a, b in zip(tokens, tokens[1:], strict=False):
            following.setdefault(a.lower(), []).append(b.lower())
    starts = [w for w, nexts in following.items() if len(nexts) > 20]

    def sentence(low: int, high: int) -> str:
        word = rng.choice(starts)
        words = [word]
        for _ in range(rng.randint(low, high) - 1):
            word = rng.choice(following.get(word) or starts)
            words.append(word)
        return " ".join(words).capitalize() + "."

    per_document = 10
    for number in range(0, passages, per_document):
        sections = []
        for _ in range(min(per_document, passages - number)):
            heading = sentence(2, 4)[:-1].title()
            body = " ".join(sentence(8, 18) for _ in range(rng.randint(1, 2)))
            sections.append(f"{heading}\n\n{body}")
        name = f"generated-{number // per_document:06d}.txt"
        (corpus / name).write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    marker.write_text(str(passages))
    return corpus


def corpus_folder(name: str, work: Path, generated: int) -> Path:
    if name == "project":
        from simqa.config import Settings

        return Path(Settings.from_env().corpus_dir)
    if name == "generated":
        return generate_corpus(work / f"generated-{generated}", generated)
    return BENCHMARKS / name / "corpus"


def corpus_questions(name: str) -> list[str]:
    path = BENCHMARKS / name / "questions.jsonl"
    if name in ("project", "generated") or not path.exists():
        return common.retrieval_questions()
    lines = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [item["question"] for item in lines[:QUERIES]]


# ---------------------------------------------------------------- one corpus (child process)


def measure(name: str, corpus: Path, index_dir: Path, rounds: int) -> dict:
    import faiss
    import numpy as np
    import torch

    from simqa.config import Settings
    from simqa.corpus import load_corpus
    from simqa.embedding import SentenceTransformerEmbedder
    from simqa.engine import Engine
    from simqa.store import build_index, read_manifest

    out: dict = {"corpus": name, "rss_start_mib": common.rss_mib(os.getpid())}
    settings = Settings.from_env(corpus_dir=str(corpus), index_dir=str(index_dir),
                                 auto_build=False)
    embedder = SentenceTransformerEmbedder(settings.model_path, adapter_path=settings.adapter_path,
                                           threads=1)
    out["rss_model_mib"] = common.rss_mib(os.getpid())
    documents = load_corpus(corpus)
    manifest = read_manifest(index_dir)
    if manifest is None:
        began = time.perf_counter()
        build_index(documents, embedder, index_dir, progress=True)
        out["build_s"] = time.perf_counter() - began
        manifest = read_manifest(index_dir)
    else:
        out["build_s"] = manifest.get("build_seconds")
        out["build_reused"] = True
    out["counts"] = manifest["counts"]
    out["build_units_per_s"] = (manifest["counts"]["sentences"] / out["build_s"]
                                if out["build_s"] else None)
    version_dir = index_dir / (index_dir / "CURRENT").read_text().strip()
    out["index_mib"] = sum(f.stat().st_size for f in version_dir.rglob("*") if f.is_file()) / 2**20
    del documents
    torch.set_num_threads(1)
    began = time.perf_counter()
    try:
        engine = Engine.load(settings, embedder=embedder)
    except Exception:  # built by older code: measure it as it is (performance, not answers)
        from simqa.retrieval import Retriever
        from simqa.store import load_index

        index = load_index(index_dir)
        engine = Engine(settings, embedder, index, Retriever(index))
        out["index_version_mismatch"] = True
    out["load_s"] = time.perf_counter() - began
    out["rss_loaded_mib"] = common.rss_mib(os.getpid())

    from parts import _Timed

    model = embedder._model
    asked = corpus_questions(name)
    retrieve = _Timed(engine.retriever, "retrieve")
    for question in asked[:5]:
        engine.ask(question)
        model.encode([question])
    retrieve.take()
    encodes, asks, retrievals = [], [], []
    for _ in range(rounds):
        for question in asked:
            encodes.append(common.timed(lambda q=question: model.encode([q])))
            asks.append(common.timed(lambda q=question: engine.ask(q)))
            retrievals.append(retrieve.take())
    out["queries"] = len(asks)
    out["encode_p50_ms"] = common.p50(encodes) * 1000
    out["ask_p50_ms"] = common.p50(asks) * 1000
    out["ask_p99_ms"] = common.percentile(asks, 99) * 1000
    out["retrieval_p50_ms"] = common.p50(retrievals) * 1000
    out["ask_ratio"] = out["ask_p50_ms"] / out["encode_p50_ms"]
    out["retrieval_ratio"] = out["retrieval_p50_ms"] / out["encode_p50_ms"]
    out["rss_after_queries_mib"] = common.rss_mib(os.getpid())

    vectors = np.ascontiguousarray(engine.index.sentence_vectors, dtype=np.float32)
    queries = np.ascontiguousarray(embedder.encode_many(asked), dtype=np.float32)
    out["faiss"] = compare_faiss(faiss, np, vectors, queries)
    return out


def compare_faiss(faiss, np, vectors, queries) -> dict:
    """Recall@K of approximate indexes against exact inner-product search, and ms/search."""
    count, dimension = vectors.shape
    k = min(K, count)
    faiss.omp_set_num_threads(1)
    exact = faiss.IndexFlatIP(dimension)
    exact.add(vectors)
    results = {}

    def timed_search(index):
        for row in queries[:5]:
            index.search(row.reshape(1, -1), k)
        began = time.perf_counter()
        found = [index.search(row.reshape(1, -1), k)[1][0] for row in queries]
        return found, (time.perf_counter() - began) / len(queries) * 1000

    truth, exact_ms = timed_search(exact)
    results["flat"] = {"recall": 1.0, "ms": exact_ms, "build_s": 0.0}
    candidates = {}
    if count >= 1000:
        candidates["hnsw32_ef128"] = ("hnsw", 128)
        candidates["hnsw32_ef256"] = ("hnsw", 256)
        nlist = int(4 * count ** 0.5)
        candidates[f"ivf{nlist}_probe{max(8, nlist // 16)}"] = ("ivf", nlist)
    for label, (kind, parameter) in candidates.items():
        began = time.perf_counter()
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.add(vectors)
            index.hnsw.efSearch = parameter
        else:
            quantizer = faiss.IndexFlatIP(dimension)
            index = faiss.IndexIVFFlat(quantizer, dimension, parameter,
                                       faiss.METRIC_INNER_PRODUCT)
            index.train(vectors)
            index.add(vectors)
            index.nprobe = max(8, parameter // 16)
        build_s = time.perf_counter() - began
        found, ms = timed_search(index)
        recall = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, truth,
                                                                          strict=True)]))
        results[label] = {"recall": recall, "ms": ms, "build_s": build_s}
    return results


# ---------------------------------------------------------------- parent


def markdown(results: list[dict]) -> str:
    head = ("| corpus | docs | units | passages | build s | units/s | index MiB | load s | "
            "RSS model / +index MiB | ask/encode p50 | retrieval/encode p50 | exact ms | "
            "HNSW/IVF recall@60, ms |\n|" + "---|" * 14)
    lines = [head]
    for r in results:
        c = r["counts"]
        approx = "; ".join(f"{name} {v['recall']:.3f}, {v['ms']:.2f}" for name, v in
                           r["faiss"].items() if name != "flat") or "n/a (small)"
        lines.append(
            f"| {r['corpus']} | {c['documents']} | {c['sentences']} | {c['passages']} | "
            f"{r['build_s']:.0f} | {r['build_units_per_s'] or 0:.0f} | {r['index_mib']:.1f} | "
            f"{r['load_s']:.1f} | {r['rss_model_mib']:.0f} / "
            f"+{r['rss_loaded_mib'] - r['rss_model_mib']:.0f} | {r['ask_ratio']:.2f} | "
            f"{r['retrieval_ratio']:.3f} | {r['faiss']['flat']['ms']:.2f} | {approx} |")
    return "\n".join(lines)


@click.command()
@click.option("--corpora", default=",".join(CORPORA), show_default=True)
@click.option("--generated-passages", default=100_000, show_default=True)
@click.option("--work", default="/tmp/simqa-scale", show_default=True,
              help="Generated corpus and indexes (outside the repository).")
@click.option("--rounds", default=2, show_default=True, help="Passes over the questions.")
@click.option("--json", "json_path", default=None, help="Write the figures as JSON.")
@click.option("--child", default=None, hidden=True)
def main(corpora: str, generated_passages: int, work: str, rounds: int,
         json_path: str | None, child: str | None) -> None:
    work_dir = Path(work)
    if child:
        name, corpus, index_dir = child.split("|")
        print("RESULT " + json.dumps(measure(name, Path(corpus), Path(index_dir), rounds)),
              flush=True)
        return
    results = []
    for name in corpora.split(","):
        corpus = corpus_folder(name, work_dir, generated_passages)
        suffix = f"-{generated_passages}" if name == "generated" else ""
        index_dir = work_dir / f"index-{name}{suffix}"
        click.echo(f"{name}: {corpus} -> {index_dir}", err=True)
        process = subprocess.run(
            [sys.executable, __file__, "--child", f"{name}|{corpus}|{index_dir}",
             "--rounds", str(rounds)],
            stdout=subprocess.PIPE, text=True, env={**os.environ}, check=True)
        line = next(x for x in process.stdout.splitlines() if x.startswith("RESULT "))
        results.append(json.loads(line[len("RESULT "):]))
        click.echo(json.dumps(results[-1]), err=True)
    click.echo(markdown(results))
    common.write_json(json_path, {"machine": common.machine_facts(), "scale": results})


if __name__ == "__main__":
    main()
