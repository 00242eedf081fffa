"""Answers to every dev question as JSON, to prove a performance change left them identical.

    python bench/answers.py --out /tmp/before.json      # before the change
    python bench/answers.py --compare /tmp/before.json  # after: exit 1 if any answer differs

Uses Engine.ask_many (one batched encode) and Answer.to_dict(), the API body.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import common


@click.command()
@click.option("--out", default=None, help="Write the answers here.")
@click.option("--compare", "baseline", default=None, help="Compare with an earlier --out.")
def main(out: str | None, baseline: str | None) -> None:
    from simqa.config import Settings
    from simqa.engine import Engine

    engine = Engine.load(Settings.from_env())
    asked = common.questions()
    answers = [a.to_dict() for a in engine.ask_many(asked)]
    for answer in answers:  # the index's hash changes with store.py's code, answers must not
        answer.pop("corpus_version", None)
    if out:
        Path(out).write_text(json.dumps(answers, indent=1, ensure_ascii=False), encoding="utf-8")
    if baseline:
        before = json.loads(Path(baseline).read_text(encoding="utf-8"))
        changed = [q for q, a, b in zip(asked, answers, before, strict=True) if a != b]
        for question in changed:
            click.echo(f"changed: {question}")
        click.echo(f"{len(asked) - len(changed)} of {len(asked)} answers identical")
        if changed:
            sys.exit(1)


if __name__ == "__main__":
    main()
