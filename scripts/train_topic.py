"""Learn the two checks on a question's vector, both logistic regression for this corpus:

The topic check (src/simqa/topic_weights.json): on-topic = questions about the SIM documents,
off-topic = everything else.

On-topic: the answerable questions of corpus/questions/sim_questions_*.jsonl. Off-topic:
tests/data/off_topic_questions.txt (everyday questions and near misses about the NHS, police
and mental health services that the documents do not cover) and the even-numbered COVID-QA and
NFCorpus questions. The threshold is the 1st percentile of the on-topic questions'
cross-validated probabilities, so about 1 in 100 unseen on-topic questions would be refused.
Short questions naming the documents' own terms ("who is Tim Kendall?") are not refused
whatever they score (topic_model.corpus_terms).

The gap check (src/simqa/gap_weights.json): among the questions of
corpus/questions/sim_questions_*.jsonl, the ones the documents do not answer against the ones they
do. Its threshold is the 99.5th percentile of the answerable questions' cross-validated
probabilities, so about 1 in 200 unseen answerable questions would be refused (at 1 in 100,
two sim-dev questions were: a refused answer costs more than a related quote shown for a
question the documents do not answer).

--held-out test sets (simqa format) are reported, never trained on.

    python scripts/train_topic.py --held-out ../shared/eval/sim-dev.jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from simqa.config import Settings
from simqa.corpus import corpus_digest, load_corpus
from simqa.embedding import SentenceTransformerEmbedder
from simqa.gap_model import GapModel
from simqa.topic_model import TopicModel

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
QUESTIONS = ROOT / "corpus" / "questions"
PACKAGE = ROOT / "src" / "simqa"
REFUSED_ON_TOPIC = 0.01  # of on-topic questions the topic check refuses, cross-validated
REFUSED_ANSWERABLE = 0.005  # of answerable questions the gap check refuses, cross-validated


def test_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def learn(x: np.ndarray, y: np.ndarray, regularisation: float) -> tuple[LogisticRegression,
                                                                          np.ndarray]:
    """The fitted regression and each example's probability when it was held out (5-fold)."""
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000)
    unseen = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    return model.fit(x, y), unseen


def cross_validated(check: str, kept: str, kept_refused: np.ndarray, other: str,
                    other_refused: np.ndarray, threshold: float) -> str:
    return (f"{check}: {len(kept_refused)} {kept} and {len(other_refused)} {other} questions; "
            f"threshold {threshold:.3f}; cross-validated: {kept} refused "
            f"{np.mean(kept_refused):.3f}, {other} refused {np.mean(other_refused):.3f}")


@click.command()
@click.option("--benchmarks", default="../shared/benchmarks", show_default=True)
@click.option("--held-out", multiple=True, default=("../shared/eval/sim-dev.jsonl",),
              show_default=True, help="Test sets to report on (repeatable).")
@click.option("--c", "regularisation", default=1.0, show_default=True)
@click.option("--gap-c", "gap_regularisation", default=3.0, show_default=True)
def main(benchmarks: str, held_out: tuple[str, ...], regularisation: float,
         gap_regularisation: float) -> None:
    settings = Settings.from_env()
    embedder = SentenceTransformerEmbedder(settings.model_path, threads=2,
                                           adapter_path=settings.adapter_path)
    corpus = corpus_digest(load_corpus(settings.corpus_dir))
    sim = [item for path in sorted(QUESTIONS.glob("sim_questions_*.jsonl"))
           for item in test_set(path)]
    sim_vectors = embedder.encode_many([item["question"] for item in sim])
    answerable = np.array([bool(item["answerable"]) for item in sim])

    off_topic = lines(DATA / "off_topic_questions.txt")
    for name in ("covidqa", "nfcorpus"):
        off_topic += [item["question"] for item in
                      test_set(Path(benchmarks) / name / "questions.jsonl")][0::2]
    x = np.vstack([sim_vectors[answerable], embedder.encode_many(off_topic)])
    y = np.concatenate([np.ones(answerable.sum()), np.zeros(len(off_topic))])
    model, unseen = learn(x, y, regularisation)
    threshold = float(np.quantile(unseen[y == 1], REFUSED_ON_TOPIC))
    topic = TopicModel(embedder.name, model.coef_[0].astype(np.float32),
                       float(model.intercept_[0]), threshold)
    click.echo(cross_validated("topic check", "on-topic", unseen[y == 1] < threshold,
                               "off-topic", unseen[y == 0] < threshold, threshold))

    y = (~answerable).astype(float)
    model, unseen = learn(sim_vectors, y, gap_regularisation)
    threshold = float(np.quantile(unseen[y == 0], 1 - REFUSED_ANSWERABLE))
    gap = GapModel(embedder.name, model.coef_[0].astype(np.float32),
                   float(model.intercept_[0]), threshold)
    click.echo(cross_validated("gap check", "answerable", unseen[y == 0] >= threshold,
                               "unanswerable", unseen[y == 1] >= threshold, threshold))

    for path in held_out:
        items = test_set(Path(path))
        vectors = embedder.encode_many([item["question"] for item in items])
        refused = [(topic.off_topic(v), gap.asks_beyond(v)) for v in vectors]
        asked = [r for r, i in zip(refused, items, strict=True) if i["answerable"]]
        click.echo(f"{Path(path).name}: answerable refused as off-topic "
                   f"{sum(o for o, _ in asked)} of {len(asked)}, as unanswered "
                   f"{sum(g for _, g in asked)} of {len(asked)}")
        for item, (off, beyond) in zip(items, refused, strict=True):
            if off or beyond or not item["answerable"]:
                verdict = "off-topic" if off else "unanswered" if beyond else "let through"
                click.echo(f"  {verdict:11} {item['question'][:80]}")
    topic.save(PACKAGE / "topic_weights.json", corpus=corpus,
               trained_on=f"{answerable.sum()} on-topic questions (sim_questions_*, "
               f"answerable), {len(off_topic)} off-topic (off_topic_questions.txt, COVID-QA and "
               f"NFCorpus even halves)")
    gap.save(PACKAGE / "gap_weights.json", corpus=corpus,
             trained_on=f"sim_questions_*: {answerable.sum()} answerable, {int(y.sum())} "
             f"not answered by the documents")
    click.echo("wrote src/simqa/topic_weights.json and src/simqa/gap_weights.json")


if __name__ == "__main__":
    main()
