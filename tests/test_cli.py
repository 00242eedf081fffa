"""The simqa command as a user runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from simqa.cli import format_answer, main
from simqa.records import Answer, Quote


def test_ask_json_prints_exactly_the_answer_dict():
    result = CliRunner().invoke(main, ["ask", "--json", "Where did SIM start?"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["status"] == "answered"
    assert {"status", "question", "message", "quotes", "signposting", "corpus_version"} <= set(body)
    assert "Isle of Wight" in body["quotes"][0]["text"]


def test_ask_prints_a_readable_attributed_answer():
    result = CliRunner().invoke(main, ["ask", "Where did SIM start?"])
    assert result.exit_code == 0, result.output
    assert "Isle of Wight" in result.output
    assert "The AHSN Network" in result.output or "Health Innovation Network" in result.output
    assert "/sources/" in result.output


def test_a_sentence_broken_by_a_page_break_is_printed_as_one():
    text = "Two stages are proof of concept and then the\n\nfurther stage of its spread."
    quote = Quote(source_id="d", start=0, end=len(text), text=text, score=1.0, role="answer",
                  title="T", publisher="P", date="2023", viewer_url="/sources/d#q=0-73")
    printed = format_answer(Answer(status="answered", question="q", message="m",
                                   quotes=(quote,)))
    assert "and then the further stage of its spread." in " ".join(printed.split())
    assert "“further" not in printed


def test_ask_reads_questions_from_standard_input():
    result = CliRunner().invoke(main, ["ask"], input="hello\nI want to kill myself\n")
    assert result.exit_code == 0, result.output
    assert "116 123" in result.output


def test_a_missing_corpus_is_a_clear_error_not_a_traceback(tmp_path):
    result = CliRunner().invoke(main, ["ask", "--corpus", str(tmp_path / "none"), "hi there"])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help():
    for command in ("index", "ask", "serve", "eval"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
