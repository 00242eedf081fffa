"""How much typos cost: answer@1 on a test set's answerable questions as written, and with
typos put into their content words (dropped, swapped, changed or doubled letters), with and
without the engine's typo repair (simqa/spelling.py).

Usage: python scripts/typo_robustness.py [DATASET] [--seeds 3] [--typos 2]
"""

from __future__ import annotations

import random

import click

from simqa import Engine, Settings
from simqa.datasets import load_dataset
from simqa.lexicon import STOP_WORDS
from simqa.metrics import contains_answer


class _NoRepair:
    def correct(self, text: str) -> str:
        return text


def misspell(word: str, rng: random.Random) -> str:
    place = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:place] + word[place + 1:]
    if kind == 1:
        return word[:place] + word[place + 1] + word[place] + word[place + 2:]
    if kind == 2:
        return word[:place] + rng.choice("aeiourstnl") + word[place + 1:]
    return word[:place] + word[place] + word[place:]


def with_typos(question: str, count: int, rng: random.Random) -> str:
    words = question.split(" ")
    content = [i for i, w in enumerate(words) if w.isalpha() and len(w) >= 4
               and w.lower() not in STOP_WORDS and not w.isupper()]
    for i in rng.sample(content, min(count, len(content))):
        words[i] = misspell(words[i], rng)
    return " ".join(words)


def answer_at_1(engine: Engine, questions: list[str], golds: list[tuple[str, ...]]) -> float:
    hits = 0
    for answer, gold in zip(engine.ask_many(questions), golds, strict=True):
        hits += answer.status == "answered" and contains_answer(answer.quotes[0].text, gold)
    return hits / len(questions)


@click.command()
@click.argument("dataset", default="../shared/eval/sim-dev.jsonl")
@click.option("--seeds", default=3, show_default=True, help="Typo draws to average over.")
@click.option("--typos", default=2, show_default=True, help="Misspelt words per question.")
def main(dataset: str, seeds: int, typos: int) -> None:
    engine = Engine.load(Settings.from_env())
    items = [i for i in load_dataset(dataset).items if i.answerable and i.answers]
    questions = [i.question for i in items]
    golds = [tuple(i.answers) for i in items]
    click.echo(f"{len(items)} answerable questions; as written: "
               f"answer@1 {answer_at_1(engine, questions, golds):.3f}")
    repair = engine._speller
    for seed in range(seeds):
        rng = random.Random(seed)
        typed = [with_typos(q, typos, rng) for q in questions]
        engine.__dict__["_speller"] = repair
        repaired = answer_at_1(engine, typed, golds)
        engine.__dict__["_speller"] = _NoRepair()
        raw = answer_at_1(engine, typed, golds)
        click.echo(f"seed {seed}, {typos} typos a question: answer@1 {raw:.3f} without repair, "
                   f"{repaired:.3f} with")
    engine.__dict__["_speller"] = repair


if __name__ == "__main__":
    main()
