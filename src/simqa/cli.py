"""The `simqa` command: index, ask, serve, eval."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time

import click

from simqa.config import PROJECT_ROOT, Settings
from simqa.eval_cli import eval_command


def _settings(corpus: str | None, index_dir: str | None) -> Settings:
    try:
        return Settings.from_env(corpus_dir=corpus, index_dir=index_dir)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _load_engine(settings: Settings, progress: bool = True):
    from simqa.corpus import CorpusError
    from simqa.embedding import ModelLoadError
    from simqa.engine import Engine
    from simqa.store import IndexError_

    try:
        return Engine.load(settings, progress=progress)
    except (CorpusError, ModelLoadError, IndexError_) as error:
        raise click.ClickException(str(error)) from None


@click.group()
@click.version_option(package_name="simqa")
def main() -> None:
    """simqa answers questions about Serenity Integrated Mentoring (SIM) with verbatim,
    attributed quotes from five published documents, or says it could not find an answer."""


@main.command("index")
@click.option("--corpus", help="Corpus folder (default: SIMQA_CORPUS_DIR or ./corpus).")
@click.option("--index-dir", help="Index folder (default: SIMQA_INDEX_DIR or ./index).")
def index_command(corpus: str | None, index_dir: str | None) -> None:
    """Build (or rebuild) the index: vectors, units with offsets, BM25, manifest."""
    from simqa.corpus import CorpusError, load_corpus
    from simqa.embedding import ModelLoadError, SentenceTransformerEmbedder
    from simqa.question_bank import read_questions
    from simqa.store import build_index

    settings = _settings(corpus, index_dir)
    started = time.perf_counter()
    try:
        documents = load_corpus(settings.corpus_dir)
        embedder = SentenceTransformerEmbedder(settings.model_path,
                                               adapter_path=settings.adapter_path,
                                               threads=os.cpu_count() or 1)
        path = build_index(documents, embedder, settings.index_dir, progress=True,
                           questions=read_questions(settings.corpus_dir))
    except (CorpusError, ModelLoadError) as error:
        raise click.ClickException(str(error)) from None
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    asked = f", {counts['questions']} known questions" if counts.get("questions") else ""
    click.echo(f"built {path} in {time.perf_counter() - started:.1f} s: {counts['documents']} "
               f"documents, {counts['sentences']} units, {counts['passages']} passages{asked}; "
               f"corpus_version {manifest['corpus_version']}")


@main.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print Answer.to_dict() as JSON.")
@click.option("--corpus", help="Corpus folder.")
@click.option("--index-dir", help="Index folder.")
def ask_command(question: str | None, as_json: bool, corpus: str | None,
                index_dir: str | None) -> None:
    """Answer QUESTION, or read questions one per line until end of input."""
    from simqa.engine import QuestionError

    engine = _load_engine(_settings(corpus, index_dir), progress=not as_json)
    questions = [question] if question else _interactive()
    for text in questions:
        try:
            answer = engine.ask(text)
        except QuestionError as error:
            click.echo(f"Sorry: {error}.", err=True)
            continue
        if as_json:
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(format_answer(answer))


def _interactive():
    if sys.stdin.isatty():
        click.echo("Ask a question about SIM (Ctrl-D to stop).")
    while True:
        try:
            line = input("> " if sys.stdin.isatty() else "")
        except EOFError:
            return
        if line.strip():
            yield line


# A line break inside a sentence (a page break in the original) before a lower-case word that
# is not a list letter ("d)"): printed as a space. Lists and table rows keep their breaks.
_BROKEN_LINE = re.compile(r"([A-Za-z,;])[ \t]*\n\s*(?![a-z]\))(?=[a-z])")


def format_answer(answer) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 100)
    lines = [click.style(answer.message, bold=True)]
    for signpost in answer.signposting:
        lines.append(f"  • {signpost.name}: {signpost.contact}. {signpost.detail}")
    labels = {"answer": "Answer", "support": "Also", "related": "Related (not an answer)"}
    for quote in answer.quotes:
        lines.append("")
        lines.append(click.style(f"{labels.get(quote.role, quote.role)} — {quote.publisher} "
                                 f"({quote.date}):", fg="cyan"))
        for paragraph in _BROKEN_LINE.sub(r"\1 ", quote.text).split("\n"):
            lines.append(click.wrap_text(f"“{paragraph.strip()}”" if paragraph.strip() else "",
                                         width, initial_indent="  ", subsequent_indent="  "))
        lines.append(f"  {quote.title}")
        lines.append(f"  {quote.viewer_url}  ·  {quote.url}")
    return "\n".join(lines)


def _index_is_current(settings: Settings) -> bool:
    """True when the index was built from this corpus and model and its files match their
    checksums: then serve need not load the model here (each worker loads and checks it)."""
    import hashlib

    from simqa.corpus import CorpusError, load_corpus
    from simqa.embedding import ModelLoadError, model_name
    from simqa.question_bank import read_questions
    from simqa.store import corpus_version, current_path, read_manifest

    manifest = read_manifest(settings.index_dir)
    path = current_path(settings.index_dir)
    if not manifest or path is None or not manifest.get("files"):
        return False
    try:
        documents = load_corpus(settings.corpus_dir)
        questions = read_questions(settings.corpus_dir)
    except CorpusError:
        return False  # _load_engine reports it
    try:
        name = model_name(settings.model_path, settings.adapter_path)
    except ModelLoadError:
        return False  # _load_engine reports it
    expected = corpus_version(documents, name, int(manifest.get("dimension") or 0), questions)
    if manifest.get("corpus_version") != expected:
        return False
    for name, digest in manifest["files"].items():
        file = path / name
        if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != digest:
            return False
    return True


@main.command("serve")
@click.option("--host", default=None, help="Address to bind (default SIMQA_HOST or 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default SIMQA_PORT or 8000).")
@click.option("--workers", default=None, type=int, help="gunicorn worker processes.")
def serve_command(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the chat page and JSON API with gunicorn (building the index first if needed)."""
    settings = _settings(None, None)
    if not _index_is_current(settings):
        _load_engine(settings)  # build the index once, before the workers start
    host = host or os.environ.get("SIMQA_HOST") or "127.0.0.1"
    port = port or int(os.environ.get("SIMQA_PORT") or 8000)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    argv = [gunicorn, "-c", "python:app.gunicorn_conf", "--chdir", str(PROJECT_ROOT),
            "--bind", f"{host}:{port}"]
    if workers:
        argv += ["--workers", str(workers)]
    click.echo(f"simqa: serving on http://{host}:{port}/ (workers load the model, ~10 s)")
    os.execv(argv[0], [*argv, "app.wsgi:app"])


main.add_command(eval_command)
