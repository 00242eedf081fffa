"""Learn the ranker's and the abstention model's weights on public QA data, never on SIM sets.

Ranker: pairwise logistic regression. Within each training question every (answer-bearing
unit, other candidate) pair is one example of "the first should rank higher".
Abstention: logistic regression on abstention.SIGNALS. Each training question is asked twice:
as it is (label: does the top unit hold the answer?) and with its gold document's units
removed, which makes an on-topic question the corpus cannot answer (label 0).

Trained on the even-numbered COVID-QA questions; the odd-numbered ones are held out and
reported. Writes src/simqa/ranker_weights.json and src/simqa/abstention_weights.json.

    python scripts/train_ranker.py --benchmark ../shared/benchmarks/covidqa
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm import tqdm

from simqa import abstention, ranking
from simqa.config import Settings
from simqa.embedding import SentenceTransformerEmbedder
from simqa.engine import Engine
from simqa.questions import question_type
from simqa.retrieval import Retrieved, Retriever
from simqa.store import IndexError_, load_index

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "simqa"


@dataclass
class Item:
    question: str
    retrieved: Retrieved
    features: np.ndarray
    labels: np.ndarray
    gold_doc: str


def prepare(engine: Engine, questions: list[dict]) -> list[Item]:
    vectors = engine._encode([q["question"] for q in questions])
    items = []
    for question, vector in tqdm(list(zip(questions, vectors, strict=True)), desc="candidates"):
        retrieved = engine.retriever.retrieve(question["question"], vector)
        doc_id = Path(question["doc"]).stem
        text = engine.source(doc_id).text
        answer = question["answers"][0]
        start = _locate(text, answer, question["answer_spans"][0][0])
        if start < 0:
            continue
        end = start + len(answer)
        labels = np.zeros(len(retrieved.ids), dtype=np.int8)
        for row, sid in enumerate(retrieved.ids):
            unit = engine.index.sentences[int(sid)]
            overlap = min(unit.end, end) - max(unit.start, start)
            if unit.doc_id == doc_id and overlap > 0.5 * min(end - start, unit.end - unit.start):
                labels[row] = 1
        features, _ = ranking.feature_matrix(retrieved, engine.index,
                                             question_type(question["question"]),
                                             question["question"])
        items.append(Item(question["question"], retrieved, features, labels, doc_id))
    return items


def _locate(text: str, answer: str, near: int) -> int:
    best, position = -1, text.find(answer)
    while position >= 0:
        if best < 0 or abs(position - near) < abs(best - near):
            best = position
        position = text.find(answer, position + 1)
    return best


def pairwise(items: list[Item], per_question: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for item in items:
        positives = np.flatnonzero(item.labels == 1)
        negatives = np.flatnonzero(item.labels == 0)
        if not len(positives) or not len(negatives):
            continue
        for _ in range(per_question):
            p, n = rng.choice(positives), rng.choice(negatives)
            sign = 1 if rng.random() < 0.5 else -1
            rows.append(sign * (item.features[p] - item.features[n]))
            labels.append(int(sign > 0))
    return np.array(rows), np.array(labels)


def top1(items: list[Item], weights: np.ndarray) -> float:
    return float(np.mean([item.labels[int(np.argmax(item.features @ weights))] == 1
                          for item in items]))


def abstention_table(engine: Engine, items: list[Item], weights: dict[str, float]):
    rows, labels = [], []
    for item in items:
        ranked = ranking.rank(item.question, item.retrieved, engine.index, weights)
        correct = item.labels[list(item.retrieved.ids).index(int(ranked.sentence_ids[0]))]
        rows.append(abstention.signals(ranked, engine.index))
        labels.append(int(correct))
        keep = np.array([engine.index.sentences[int(i)].doc_id != item.gold_doc
                         for i in item.retrieved.ids])
        if keep.sum() >= 2:
            without = ranking.rank(item.question, item.retrieved.subset(keep), engine.index,
                                   weights)
            rows.append(abstention.signals(without, engine.index))
            labels.append(0)
    return np.array(rows), np.array(labels)


@click.command()
@click.option("--benchmark", default="../shared/benchmarks/covidqa", show_default=True)
@click.option("--index-dir", default="/tmp/simqa-index-covidqa", show_default=True)
@click.option("--c", "regularisation", default=1.0, show_default=True)
def main(benchmark: str, index_dir: str, regularisation: float) -> None:
    folder = Path(benchmark)
    questions = [json.loads(line) for line in (folder / "questions.jsonl").open(encoding="utf-8")]
    settings = Settings.from_env(corpus_dir=str(folder / "corpus"), index_dir=index_dir)
    try:
        # Whatever code built it: the features are read the same way.
        index = load_index(index_dir)
        embedder = SentenceTransformerEmbedder(settings.model_path, threads=2)
        engine = Engine(settings, embedder, index, Retriever(index))
    except IndexError_:
        engine = Engine.load(settings, progress=True)
    train = prepare(engine, questions[0::2])
    held = prepare(engine, questions[1::2])
    x, y = pairwise(train)
    ranker = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=5000).fit(x, y)
    vector = ranker.coef_[0]
    weights = dict(zip(ranking.FEATURES, map(float, vector), strict=True))
    fallback = np.array([ranking.load_weights(Path("/nonexistent"))[f] for f in ranking.FEATURES])
    click.echo(f"held-out questions {len(held)}; answer unit among candidates "
               f"{np.mean([i.labels.any() for i in held]):.3f}")
    click.echo(f"held-out top-1: learnt {top1(held, vector):.3f}, "
               f"hand-set {top1(held, fallback):.3f}")
    (PACKAGE / "ranker_weights.json").write_text(json.dumps({
        "features": list(ranking.FEATURES),
        "weights": [round(w, 5) for w in vector.tolist()],
        "trained_on": f"{folder.name}: even-numbered questions ({len(train)})",
        "held_out_top1": round(top1(held, vector), 4),
    }, indent=2) + "\n", encoding="utf-8")

    ax, ay = abstention_table(engine, train, weights)
    # Signals are on different scales; bias is the last column, so no separate intercept.
    model = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=5000).fit(ax, ay)
    hx, hy = abstention_table(engine, held, weights)
    accuracy = float(np.mean((model.predict_proba(hx)[:, 1] >= 0.5) == hy))
    click.echo(f"abstention held-out accuracy at 0.5: {accuracy:.3f} (positives {hy.mean():.2f})")
    (PACKAGE / "abstention_weights.json").write_text(json.dumps({
        "signals": list(abstention.SIGNALS),
        "weights": [round(float(w), 5) for w in model.coef_[0]],
        "trained_on": f"{folder.name}: even-numbered questions, as asked and without their "
                      f"gold document ({len(ay)} examples)",
        "held_out_accuracy_at_0.5": round(accuracy, 4),
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
