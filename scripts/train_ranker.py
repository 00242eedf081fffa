"""Learn the ranker's and the abstention model's weights.

Ranker: pairwise logistic regression. Within each training question every (answer-bearing
unit, other candidate) pair is one example of "the first should rank higher". Training
questions: the even-numbered COVID-QA questions (the odd-numbered ones are held out and
reported) and the answerable questions of the SIM dev set, whose style (conversational
paraphrases over policy documents with tables and lists) COVID-QA lacks. A SIM question's
answer-bearing units are those holding one of its gold phrases, narrowed to the ones its
evidence quotes (question_bank.answering_units). Because the dev set then
trains the ranker, its figures are reported leave-one-out: each dev question is answered by
weights learnt without it, which estimates a held-out set in the same style.
Abstention: logistic regression on abstention.SIGNALS. Each training question is asked twice:
as it is (label: does the top unit hold the answer?) and with its answer removed (COVID-QA:
its gold document's units; SIM: the units holding a gold phrase), which makes an on-topic
question the corpus cannot answer (label 0). The SIM set's unanswerable questions are label 0
as asked. Leave-one-out covers both models, so the reported sweep over thresholds estimates
each threshold on unseen questions.

Writes src/simqa/ranker_weights.json and src/simqa/abstention_weights.json.

    python scripts/train_ranker.py --benchmark ../shared/benchmarks/covidqa \
        --sim-dev ../shared/eval/sim-dev.jsonl
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
from simqa.metrics import contains_answer
from simqa.question_bank import BankQuestion, answering_units, group_of, read_questions
from simqa.questions import question_type
from simqa.retrieval import Retrieved, Retriever
from simqa.store import IndexError_, StaleIndex, load_index

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "simqa"


@dataclass
class Item:
    question: str
    retrieved: Retrieved
    features: np.ndarray
    labels: np.ndarray
    gold_doc: str  # COVID-QA: the answer's document; "" for SIM questions
    answerable: bool = True
    gold_phrases: tuple[str, ...] = ()


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


def prepare_phrases(engine: Engine, questions: list[dict], in_bank: str = "") -> list[Item]:
    """The answerable and unanswerable items of a simqa test set that reach retrieval; a unit
    is answer-bearing when it holds a gold phrase (checked as answer@1 checks quotes) and is
    in the evidence its writer quoted, as the question bank decides (answering_units).
    in_bank: the set's file stem when the corpus's question bank holds it; each question is
    then retrieved with its writer's questions taken out of the bank, as a new writer's
    question would be."""
    items = []
    retrievers: dict[str, Retriever] = {}
    answer_units = answering_units([_as_bank_question(q) for q in questions],
                                   engine.index.sentences)
    for question, units in zip(questions, answer_units, strict=True):
        if question.get("type") == "crisis":
            continue
        routed, searchable, _ = engine._prepare(question["question"])
        if routed is not None:
            continue
        vector = engine._encode([searchable])[0]
        retriever = engine.retriever
        if in_bank and retriever.bank is not None:
            group = group_of(in_bank, question["id"])
            if group not in retrievers:
                retrievers[group] = Retriever(engine.index, retriever.bank.without(group))
            retriever = retrievers[group]
        retrieved = retriever.retrieve(searchable, vector)
        golds = tuple(question.get("answers") or ())
        labels = np.isin(retrieved.ids, units).astype(np.int8)
        features, _ = ranking.feature_matrix(retrieved, engine.index,
                                             question_type(question["question"]),
                                             question["question"])
        items.append(Item(question["question"], retrieved, features, labels, "",
                          bool(question.get("answerable")), golds))
    return items


def _as_bank_question(question: dict) -> BankQuestion:
    answerable = bool(question.get("answerable"))
    return BankQuestion(question["question"], answerable,
                        tuple(question.get("answers") or ()) if answerable else (), "",
                        tuple(e.get("quote", "") for e in question.get("evidence") or ()
                              if e.get("quote")))


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


def fit_ranker(covid: list[Item], sim: list[Item], sim_pairs: int,
               regularisation: float) -> dict[str, float]:
    x, y = pairwise(covid) if covid else (np.zeros((0, len(ranking.FEATURES))), np.zeros(0))
    answerable = [item for item in sim if item.answerable]
    if answerable:
        sx, sy = pairwise(answerable, per_question=sim_pairs, seed=1)
        x, y = np.vstack([x, sx]), np.concatenate([y, sy])
    model = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=5000)
    return dict(zip(ranking.FEATURES, map(float, model.fit(x, y).coef_[0]), strict=True))


def top1(items: list[Item], weights: dict[str, float]) -> float:
    vector = np.array([weights[f] for f in ranking.FEATURES])
    return float(np.mean([item.labels[int(np.argmax(item.features @ vector))] == 1
                          for item in items]))


def abstention_table(engine: Engine, items: list[Item], weights: dict[str, float]):
    """Signals and labels: each item as asked, and (answerable items) with its answer removed.
    Without its gold document, the words only that document uses are words the corpus never
    uses."""
    only_in = _words_only_in(engine.index)
    rows, labels = [], []
    for item in items:
        ranked = ranking.rank(item.question, item.retrieved, engine.index, weights)
        correct = item.labels[list(item.retrieved.ids).index(int(ranked.sentence_ids[0]))]
        rows.append(abstention.signals(ranked, engine.index))
        labels.append(int(correct))
        if not item.answerable:
            continue
        absent: frozenset[str] = frozenset()
        if item.gold_doc:
            keep = np.array([engine.index.sentences[int(i)].doc_id != item.gold_doc
                             for i in item.retrieved.ids])
            absent = only_in[item.gold_doc]
        else:
            keep = item.labels == 0
        if keep.sum() >= 2:
            without = ranking.rank(item.question, item.retrieved.subset(keep), engine.index,
                                   weights)
            rows.append(abstention.signals(without, engine.index, absent))
            labels.append(0)
    return np.array(rows), np.array(labels)


def _words_only_in(index) -> dict[str, frozenset[str]]:
    documents: dict[str, set[str]] = {}
    for sentence, tokens in zip(index.sentences, index.sentence_tokens, strict=True):
        documents.setdefault(sentence.doc_id, set()).update(tokens)
    count: dict[str, int] = {}
    for words in documents.values():
        for word in words:
            count[word] = count.get(word, 0) + 1
    return {doc: frozenset(w for w in words if count[w] == 1) for doc, words in documents.items()}


def fit_abstention(covid_table, sim_table, sim_weight: float,
                   regularisation: float) -> np.ndarray:
    x, y = covid_table
    weight = np.ones(len(y))
    if sim_table is not None and len(sim_table[1]):
        x, y = np.vstack([x, sim_table[0]]), np.concatenate([y, sim_table[1]])
        weight = np.concatenate([weight, np.full(len(sim_table[1]), sim_weight)])
    # Signals are on different scales; bias is the last column, so no separate intercept.
    model = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=5000)
    return model.fit(x, y, sample_weight=weight).coef_[0]


@dataclass
class Outcome:
    answerable: bool
    confidence: float
    top_holds_gold: bool


def leave_one_out(engine: Engine, covid: list[Item], covid_table, sim: list[Item],
                  extras: list[Item], sim_pairs: int, sim_weight: float,
                  regularisation: float) -> list[Outcome]:
    """Each SIM question answered by a ranker and an abstention model learnt without it."""
    outcomes = []
    for i, item in enumerate(tqdm(sim, desc="leave one out")):
        others = sim[:i] + sim[i + 1:] + extras
        weights = fit_ranker(covid, others, sim_pairs, regularisation)
        engine.ranker_weights = weights
        unanswered = [o for o in extras if not o.answerable]
        engine.abstention_weights = fit_abstention(
            covid_table, abstention_table(engine, sim[:i] + sim[i + 1:] + unanswered, weights),
            sim_weight, regularisation)
        answer = engine.ask(item.question)
        top = answer.quotes[0].text if answer.quotes else ""
        outcomes.append(Outcome(item.answerable, answer.confidence,
                                contains_answer(top, item.gold_phrases)))
    engine.ranker_weights = engine.abstention_weights = None
    return outcomes


def sweep(outcomes: list[Outcome], thresholds: list[float]) -> list[str]:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    lines = []
    for t in thresholds:
        answer = np.mean([o.confidence >= t and o.top_holds_gold for o in answerable])
        wrongly = np.mean([o.confidence < t for o in answerable])
        abstained = np.mean([o.confidence < t for o in unanswerable]) if unanswerable else 0.0
        lines.append(f"  threshold {t:.3f}: answer@1 {answer:.3f}, wrongly abstained "
                     f"{wrongly:.3f}, correct abstention {abstained:.3f}")
    return lines


@click.command()
@click.option("--benchmark", default="../shared/benchmarks/covidqa", show_default=True)
@click.option("--index-dir", default="/tmp/simqa-index-covidqa", show_default=True)
@click.option("--sim-dev", default="../shared/eval/sim-dev.jsonl", show_default=True,
              help="A simqa test set to train on too ('' for COVID-QA only).")
@click.option("--extra", multiple=True, default=(), show_default=True,
              help="Further simqa test sets to train on (repeatable); never left out.")
@click.option("--sim-pairs", default=160, show_default=True,
              help="Ranker training pairs per SIM question (a COVID-QA question gives 40).")
@click.option("--sim-weight", default=0.0, show_default=True,
              help="Weight of a SIM abstention example (a COVID-QA one weighs 1). 0 by "
                   "default: weights 1 and 4 abstained less well leave-one-out.")
@click.option("--c", "regularisation", default=1.0, show_default=True)
@click.option("--loo/--no-loo", default=True, show_default=True,
              help="Report the SIM set leave-one-out (about two minutes).")
def main(benchmark: str, index_dir: str, sim_dev: str, extra: tuple[str, ...], sim_pairs: int,
         sim_weight: float, regularisation: float, loo: bool) -> None:
    folder = Path(benchmark)
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()]
    settings = Settings.from_env(corpus_dir=str(folder / "corpus"), index_dir=index_dir)
    embedder = SentenceTransformerEmbedder(settings.model_path, threads=2,
                                           adapter_path=settings.adapter_path)
    try:
        # Whatever code built it, the features are read the same way; but vectors of another
        # model (or adapter) would not match the questions'.
        index = load_index(index_dir)
        if index.manifest.get("model") != embedder.name:
            raise StaleIndex(f"{index_dir} holds {index.manifest.get('model')} vectors")
        engine = Engine(settings, embedder, index, Retriever(index))
    except IndexError_:
        engine = Engine.load(settings, progress=True, embedder=embedder)
    train = prepare(engine, questions[0::2])
    held = prepare(engine, questions[1::2])
    sim_engine, sim, extras = None, [], []
    if sim_dev or extra:
        sim_engine = Engine.load(Settings.from_env(), embedder=engine.embedder)
    if sim_dev:
        sim = prepare_phrases(sim_engine, _read_jsonl(sim_dev))
    banked = {q.group.split("/")[0] for q in read_questions(sim_engine.settings.corpus_dir)} \
        if sim_engine is not None else set()
    for path in extra:
        stem = Path(path).stem
        extras += prepare_phrases(sim_engine, _read_jsonl(path), stem if stem in banked else "")
    weights = fit_ranker(train, sim + extras, sim_pairs, regularisation)
    fallback = ranking.load_weights(Path("/nonexistent"))
    click.echo(f"held-out questions {len(held)}; answer unit among candidates "
               f"{np.mean([i.labels.any() for i in held]):.3f}")
    click.echo(f"held-out top-1: learnt {top1(held, weights):.3f}, "
               f"hand-set {top1(held, fallback):.3f}")
    answerable = sum(item.answerable for item in sim)
    trained_on = f"{folder.name}: even-numbered questions ({len(train)})"
    if sim:
        trained_on += f"; {Path(sim_dev).name}: answerable questions ({answerable})"
    if extras:
        trained_on += (f"; {', '.join(Path(p).name for p in extra)}: answerable questions "
                       f"({sum(item.answerable for item in extras)})")
    (PACKAGE / "ranker_weights.json").write_text(json.dumps({
        "features": list(ranking.FEATURES),
        "weights": [round(weights[f], 5) for f in ranking.FEATURES],
        "trained_on": trained_on,
        "held_out_top1": round(top1(held, weights), 4),
    }, indent=2) + "\n", encoding="utf-8")

    covid_table = abstention_table(engine, train, weights)
    # Only the extra sets' unanswerable questions: the adapter was learnt on their answerable
    # ones, so those would look surer than unseen questions do.
    unanswered = [item for item in extras if not item.answerable]
    sim_table = abstention_table(sim_engine, sim + unanswered, weights) if sim_engine else None
    coefficients = fit_abstention(covid_table, sim_table, sim_weight, regularisation)
    hx, hy = abstention_table(engine, held, weights)
    accuracy = float(np.mean((1 / (1 + np.exp(-(hx @ coefficients))) >= 0.5) == hy))
    click.echo(f"abstention held-out accuracy at 0.5: {accuracy:.3f} (positives {hy.mean():.2f})")
    abstention_on = (f"{folder.name}: even-numbered questions, as asked and without their "
                     f"gold document ({len(covid_table[1])} examples)")
    if sim_table is not None:
        names = ", ".join(Path(p).name for p in ((sim_dev,) if sim_dev else ()) + extra)
        abstention_on += (f"; {names}: as asked and without their gold units, "
                          f"weight {sim_weight:g} ({len(sim_table[1])} examples)")
    (PACKAGE / "abstention_weights.json").write_text(json.dumps({
        "signals": list(abstention.SIGNALS),
        "weights": [round(float(w), 5) for w in coefficients],
        "trained_on": abstention_on,
        "held_out_accuracy_at_0.5": round(accuracy, 4),
    }, indent=2) + "\n", encoding="utf-8")

    if loo and sim_engine is not None and sim:
        outcomes = leave_one_out(sim_engine, train, covid_table, sim, extras, sim_pairs,
                                 sim_weight, regularisation)
        unit = np.mean([o.top_holds_gold for o in outcomes if o.answerable])
        click.echo(f"{Path(sim_dev).name} leave-one-out ({answerable} answerable, "
                   f"{len(sim) - answerable} unanswerable questions reaching retrieval); top "
                   f"quote holds a gold phrase {unit:.3f}; configured threshold "
                   f"{sim_engine.settings.abstain_threshold}:")
        for line in sweep(outcomes, [round(0.005 * i, 3) for i in range(41)]):
            click.echo(line)


def _read_jsonl(path: str) -> list[dict]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


if __name__ == "__main__":
    main()
