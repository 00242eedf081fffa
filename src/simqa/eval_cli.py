"""`simqa eval`: run a test set through simqa or a baseline and report, compare and gate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from simqa.config import PROJECT_ROOT, Settings

SYSTEMS = ("simqa", "bm25", "dense")


def cache_dir() -> Path:
    """Where indexes of other corpora are cached: $SIMQA_CACHE_DIR or ~/.cache/simqa."""
    explicit = os.environ.get("SIMQA_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "simqa"


def corpus_hash(folder: str | Path) -> str:
    """Hash of every file name and byte in a corpus folder (top level), for cache keys."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\x00")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()

    try:
        return {"git_commit": git("rev-parse", "HEAD"),
                "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": "unknown", "git_dirty": None}


def resolve_settings(corpus: str | None, index_dir: str | None, threshold: float | None,
                     threads: int | None = None) -> Settings:
    """Project settings; another corpus gets its own index, cached by the corpus hash."""
    settings = Settings.from_env()
    if threshold is not None:
        settings = settings.with_(abstain_threshold=threshold)
    if threads is not None:
        settings = settings.with_(torch_threads=threads)
    if corpus and Path(corpus).resolve() != Path(settings.corpus_dir).resolve():
        index = index_dir or str(cache_dir() / f"index-{corpus_hash(corpus)}")
        return settings.with_(corpus_dir=str(Path(corpus).resolve()), index_dir=index)
    if index_dir:
        return settings.with_(index_dir=index_dir)
    return settings


def load_system(system: str, settings: Settings, progress: bool) -> tuple[Any, dict[str, Any]]:
    if system == "simqa":
        from simqa.engine import Engine

        engine = Engine.load(settings, progress=progress)
        return engine, {"model": getattr(engine, "model_name", ""),
                        "corpus_version": getattr(engine, "corpus_version", ""),
                        "index_dir": settings.index_dir}
    from simqa.baselines import load_baseline

    baseline = load_baseline(system, settings, cache_dir=cache_dir(), progress=progress)
    return baseline, {"model": baseline.model_name, "corpus_version": baseline.corpus_version}


@click.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=True, path_type=str))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="Corpus folder to answer from (default: the benchmark's corpus/ or the "
                   "project corpus). Its index is cached by corpus hash.")
@click.option("--index-dir", type=click.Path(file_okay=False), default=None,
              help="Index folder for --corpus (default: ~/.cache/simqa/index-<corpus hash>).")
@click.option("--system", type=click.Choice(SYSTEMS), default="simqa", show_default=True,
              help="simqa, or a baseline: bm25 (top sentence), dense (MiniLM top 3-sentence "
                   "passage).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="Write every metric, per-item result, settings and versions as JSON.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None,
              help="Write one CSV row per question.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), default=None,
              help="Write a self-contained HTML report with plots.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="A previous --json: list questions that got better or worse.")
@click.option("--fail-under", "fail_under", default=None, metavar="SPEC",
              help="Exit 1 if a metric misses its bound, e.g. 'answer@1=0.8,abstention=0.9'. "
                   "'=' means 'at least' (at most for wrongly_abstained, crisis_fpr, latency); "
                   ">= and <= are explicit.")
@click.option("--threshold", type=float, default=None,
              help="Override the abstention threshold (default: the configured one).")
@click.option("--threads", type=click.IntRange(min=0), default=None,
              help="Torch threads for the model (default: the torch_threads setting; 0 = all). "
                   "More threads build a large corpus's index faster.")
@click.option("--strict", is_flag=True, help="Refuse a test set with any malformed line.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N questions (quick runs).")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Questions encoded together (simqa only). Latency figures are then each "
                   "question's share of its batch's encode plus its own ranking; 1 times "
                   "every question alone, as one user sees it.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def eval_command(dataset: str, corpus: str | None, index_dir: str | None, system: str,
                 json_path: str | None, csv_path: str | None, report_path: str | None,
                 baseline_path: str | None, fail_under: str | None, threshold: float | None,
                 threads: int | None, strict: bool, limit: int | None, batch_size: int,
                 quiet: bool) -> None:
    """Evaluate answers on DATASET: a simqa JSONL test set or a benchmark folder.

    A benchmark folder holds questions.jsonl and corpus/; simqa then answers from that corpus.
    """
    from simqa.datasets import DatasetError, load_dataset
    from simqa.evaluation import evaluate
    from simqa.reporting import (
        check_bounds,
        compare,
        comparison_summary,
        parse_bounds,
        run_dict,
        terminal_summary,
        write_csv,
        write_json,
    )
    from simqa.scoring import score_run

    try:
        bounds = parse_bounds(fail_under) if fail_under else []
    except (KeyError, ValueError) as error:
        raise click.BadParameter(str(error).strip('"'), param_hint="--fail-under") from None
    old = None
    if baseline_path:
        old = json.loads(Path(baseline_path).read_text(encoding="utf-8"))
    try:
        data_set = load_dataset(dataset, strict=strict)
    except DatasetError as error:
        raise click.ClickException(str(error)) from None
    for problem in data_set.problems:
        click.echo(f"skipped: {problem}", err=True)
    data_set = data_set.limited(limit)
    if not data_set.items:
        raise click.ClickException(f"{dataset}: no usable questions")

    settings = resolve_settings(corpus or data_set.corpus_dir, index_dir, threshold, threads)
    started = dt.datetime.now(dt.UTC)
    began = time.perf_counter()
    click.echo(f"loading {system} for corpus {settings.corpus_dir} ...", err=True)
    subject, facts = load_system(system, settings, progress=not quiet)
    load_seconds = time.perf_counter() - began
    meta = {
        "system": system, **facts, "simqa_version": _version(), **git_commit(),
        "abstain_threshold": settings.abstain_threshold, "corpus_dir": settings.corpus_dir,
        "settings": dataclasses.asdict(settings), "started_at": started.isoformat(
            timespec="seconds"), "load_s": round(load_seconds, 3),
        "python": sys.version.split()[0], "platform": platform.platform(),
        "limit": limit, "batch_size": batch_size if system == "simqa" else 1,
    }
    if system == "simqa":
        meta["questions_in_bank"] = _warn_if_in_bank(data_set, settings)
    run = evaluate(subject, data_set, name=system, progress=not quiet,
                   threshold=settings.abstain_threshold if system == "simqa" else None,
                   corpus_dir=settings.corpus_dir, meta=meta, batch_size=batch_size)
    run.meta["duration_s"] = round(time.perf_counter() - began, 3)
    data = run_dict(run, score_run(run))
    click.echo(terminal_summary(data))

    diff = None
    if old is not None:
        try:
            diff = compare(old, data)
        except ValueError as error:
            raise click.ClickException(f"--baseline {baseline_path}: {error}") from None
        data["comparison"] = {"baseline": baseline_path, **diff}
        click.echo(comparison_summary(diff))
    if json_path:
        write_json(data, json_path)
    if csv_path:
        write_csv(data, csv_path, max_quotes=max(3, settings.max_quotes))
    if report_path:
        from simqa.report_html import write_html

        write_html(data, report_path, diff)
    for path in filter(None, (json_path, csv_path, report_path)):
        click.echo(f"wrote {path}", err=True)

    failures = check_bounds(data["metrics"], bounds)
    if failures:
        for message in failures:
            click.echo(f"FAIL: {message}", err=True)
        sys.exit(1)
    if bounds:
        click.echo("all bounds hold: " + ", ".join(str(b) for b in bounds), err=True)


def _warn_if_in_bank(data_set: Any, settings: Settings) -> int:
    """How many test questions the question bank holds word for word (their figures are then
    not held out); said on stderr when any."""
    from simqa.metrics import normalize
    from simqa.question_bank import read_questions

    if not settings.question_bank:
        return 0
    known = {normalize(q.text) for q in read_questions(settings.corpus_dir)}
    count = sum(normalize(item.question) in known for item in data_set.items)
    if count:
        click.echo(f"warning: {count} of {len(data_set.items)} questions are in the corpus's "
                   f"question bank ({settings.corpus_dir}/questions/), so their figures are not "
                   f"held out; SIMQA_QUESTION_BANK=false evaluates without it", err=True)
    return count


def _version() -> str:
    try:
        from simqa import __version__

        return __version__
    except ImportError:
        return "unknown"
