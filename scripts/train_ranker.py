"""Learn the ranker's feature weights on public QA data (never on the SIM test sets).

Pairwise logistic regression: within each training question, every (answer-bearing unit,
other candidate) pair is one example of "the first should rank higher". Trained on the even-
numbered COVID-QA questions; the odd ones are held out and reported. Writes the weights that
simqa.ranking loads (src/simqa/ranker_weights.json).

    python scripts/train_ranker.py --benchmark ../shared/benchmarks/covidqa
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm import tqdm

from simqa.config import Settings
from simqa.engine import Engine
from simqa.questions import question_type
from simqa.ranking import FEATURES, feature_matrix

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "src" / "simqa" / "ranker_weights.json"


def candidate_table(engine: Engine, items: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, labels) per question; a label is 1 when the unit overlaps the gold span."""
    vectors = engine._encode([item["question"] for item in items])
    tables = []
    for item, vector in tqdm(list(zip(items, vectors, strict=True)), desc="features"):
        retrieved = engine.retriever.retrieve(item["question"], vector)
        features, _ = feature_matrix(retrieved, engine.index, question_type(item["question"]))
        doc_id = Path(item["doc"]).stem
        text = engine.source(doc_id).text
        gold_start = _locate(text, item["answers"][0], item["answer_spans"][0][0])
        if gold_start < 0:
            continue
        gold_end = gold_start + len(item["answers"][0])
        labels = np.zeros(len(retrieved.ids), dtype=np.int8)
        for row, sid in enumerate(retrieved.ids):
            unit = engine.index.sentences[int(sid)]
            overlap = min(unit.end, gold_end) - max(unit.start, gold_start)
            if unit.doc_id == doc_id and overlap > 0.5 * min(gold_end - gold_start,
                                                             unit.end - unit.start):
                labels[row] = 1
        tables.append((features, labels))
    return tables


def _locate(text: str, answer: str, near: int) -> int:
    best, position = -1, text.find(answer)
    while position >= 0:
        if best < 0 or abs(position - near) < abs(best - near):
            best = position
        position = text.find(answer, position + 1)
    return best


def pairwise(tables: list[tuple[np.ndarray, np.ndarray]], per_question: int = 40,
             seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for features, y in tables:
        positives, negatives = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
        if not len(positives) or not len(negatives):
            continue
        for _ in range(per_question):
            p, n = rng.choice(positives), rng.choice(negatives)
            sign = 1 if rng.random() < 0.5 else -1
            rows.append(sign * (features[p] - features[n]))
            labels.append(int(sign > 0))
    return np.array(rows), np.array(labels)


def top1(tables: list[tuple[np.ndarray, np.ndarray]], weights: np.ndarray) -> float:
    hits = [float(y[int(np.argmax(f @ weights))] == 1) for f, y in tables if len(y)]
    return float(np.mean(hits)) if hits else 0.0


@click.command()
@click.option("--benchmark", default="../shared/benchmarks/covidqa", show_default=True)
@click.option("--index-dir", default="/tmp/simqa-index-covidqa", show_default=True)
@click.option("--out", default=str(WEIGHTS_FILE), show_default=True)
@click.option("--c", "regularisation", default=1.0, show_default=True)
def main(benchmark: str, index_dir: str, out: str, regularisation: float) -> None:
    folder = Path(benchmark)
    items = [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8")]
    engine = Engine.load(Settings.from_env(corpus_dir=str(folder / "corpus"),
                                           index_dir=index_dir), progress=True)
    train = [item for number, item in enumerate(items) if number % 2 == 0]
    held_out = [item for number, item in enumerate(items) if number % 2 == 1]
    train_tables, held_tables = candidate_table(engine, train), candidate_table(engine, held_out)
    x, y = pairwise(train_tables)
    model = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=2000)
    model.fit(x, y)
    weights = model.coef_[0]
    recall = np.mean([y.any() for _, y in held_tables])
    print(f"held-out questions: {len(held_tables)}; an answer unit among candidates: {recall:.3f}")
    print(f"held-out top-1 unit holds the answer: {top1(held_tables, weights):.3f}")
    Path(out).write_text(json.dumps({
        "features": list(FEATURES),
        "weights": [round(float(w), 5) for w in weights],
        "trained_on": f"{folder.name} even-numbered questions ({len(train_tables)})",
        "held_out_top1": round(top1(held_tables, weights), 4),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
