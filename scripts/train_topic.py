"""Learn the topic check (src/simqa/topic_weights.json): logistic regression on question
vectors, on-topic = questions about the SIM documents, off-topic = everything else.

On-topic: the answerable questions of tests/data/sim_questions_*.jsonl. Off-topic:
tests/data/off_topic_questions.txt (everyday questions and near misses about the NHS, police
and mental health services that the documents do not cover) and the even-numbered COVID-QA and
NFCorpus questions. The threshold is the 1st percentile of the on-topic questions'
cross-validated probabilities, so about 1 in 100 unseen on-topic questions would be refused.
Short questions naming the documents' own terms ("who is Tim Kendall?") are not refused
whatever they score (topic_model.corpus_terms).
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
from simqa.topic_model import TopicModel

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUTPUT = ROOT / "src" / "simqa" / "topic_weights.json"
REFUSED_ON_TOPIC = 0.01


def test_set(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@click.command()
@click.option("--benchmarks", default="../shared/benchmarks", show_default=True)
@click.option("--held-out", multiple=True, default=("../shared/eval/sim-dev.jsonl",),
              show_default=True, help="Test sets to report on (repeatable).")
@click.option("--c", "regularisation", default=1.0, show_default=True)
def main(benchmarks: str, held_out: tuple[str, ...], regularisation: float) -> None:
    settings = Settings.from_env()
    embedder = SentenceTransformerEmbedder(settings.model_path, threads=2,
                                           adapter_path=settings.adapter_path)
    on_topic = [item["question"] for path in sorted(DATA.glob("sim_questions_*.jsonl"))
                for item in test_set(path) if item["answerable"]]
    off_topic = lines(DATA / "off_topic_questions.txt")
    for name in ("covidqa", "nfcorpus"):
        off_topic += [item["question"] for item in
                      test_set(Path(benchmarks) / name / "questions.jsonl")][0::2]
    x = np.vstack([embedder.encode_many(on_topic), embedder.encode_many(off_topic)])
    y = np.concatenate([np.ones(len(on_topic)), np.zeros(len(off_topic))])
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000)
    unseen = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    threshold = float(np.quantile(unseen[y == 1], REFUSED_ON_TOPIC))
    model.fit(x, y)
    check = TopicModel(embedder.name, model.coef_[0].astype(np.float32),
                       float(model.intercept_[0]), threshold)
    click.echo(f"trained on {len(on_topic)} on-topic and {len(off_topic)} off-topic questions; "
               f"threshold {threshold:.3f}; cross-validated: on-topic refused "
               f"{np.mean(unseen[y == 1] < threshold):.3f}, off-topic let through "
               f"{np.mean(unseen[y == 0] >= threshold):.3f}")
    for path in held_out:
        items = test_set(Path(path))
        vectors = embedder.encode_many([item["question"] for item in items])
        refused = [check.off_topic(v) for v in vectors]
        answerable = [r for r, i in zip(refused, items, strict=True) if i["answerable"]]
        click.echo(f"{Path(path).name}: answerable refused {np.mean(answerable):.3f} "
                   f"({sum(answerable)} of {len(answerable)})")
        for item, off in zip(items, refused, strict=True):
            if off or not item["answerable"]:
                click.echo(f"  {'off' if off else 'on '} {item['question'][:90]}")
    check.save(OUTPUT, corpus=corpus_digest(load_corpus(settings.corpus_dir)),
               trained_on=f"{len(on_topic)} on-topic questions (sim_questions_*, answerable), "
               f"{len(off_topic)} off-topic (off_topic_questions.txt, COVID-QA and NFCorpus "
               f"even halves)")
    click.echo(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
