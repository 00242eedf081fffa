"""The question bank: questions written about the corpus vote for the units that answered them,
and a question closest to one the documents do not answer is refused."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from simqa.config import Settings
from simqa.corpus import CorpusError
from simqa.engine import Engine
from simqa.metrics import contains_answer
from simqa.question_bank import FOLDER, BankQuestion, answering_units, read_questions
from simqa.records import Sentence

from .paths import ROOT

QUESTIONS = ROOT / "corpus" / FOLDER


def _written() -> list[dict]:
    return [json.loads(line) for path in sorted(QUESTIONS.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_index_holds_every_question_written_about_the_corpus(engine):
    bank = engine.index.question_bank
    written = _written()
    assert bank is not None and len(bank) == len(written)
    assert engine.index.manifest["counts"]["questions"] == len(written)
    described = engine.index.manifest["question_bank"]
    assert described["questions"] == len(written) and described["writers"] >= 20
    assert described["vouch_below"] < 0 < described["refuse_above"] == pytest.approx(
        bank.refuse_above, abs=1e-4)
    assert int(bank.answerable.sum()) == sum(q["answerable"] for q in written)
    found = sum(bool(units) for units in bank.units)
    assert found >= 0.95 * bank.answerable.sum()


def test_each_question_points_at_units_that_hold_its_answer(engine):
    bank = engine.index.question_bank
    for question, units in zip(read_questions(engine.settings.corpus_dir), bank.units,
                               strict=True):
        for unit in units:
            assert contains_answer(engine.index.sentences[unit].text, question.answers)
        assert bool(units) <= question.answerable


def test_a_question_votes_for_the_units_its_writer_quoted_not_every_unit_with_its_words():
    def unit(sid: int, text: str) -> Sentence:
        return Sentence(id=sid, doc_id="d", start=0, end=len(text), text=text, passage_id=0)

    units = [unit(0, "NHS England replied to the coalition by email on 11 May 2021."),
             unit(1, "14. Accountability in the NHS. Available online [accessed 11 May 2021].")]
    asked = BankQuestion("when did nhs england reply", True, ("11 May 2021",), "w",
                         ("NHS England replied to the coalition by email on 11 May 2021.",))
    assert answering_units([asked], units) == [[0]]
    # A quote that matches no unit (copied wrongly) leaves every unit holding the answer.
    misquoted = replace(asked, evidence=("The reply came in May.",))
    assert answering_units([misquoted], units) == [[0, 1]]


def test_a_writer_can_be_held_out_of_the_bank(engine):
    bank = engine.index.question_bank
    group = bank.groups[0]
    held_out = bank.without(group)
    assert group not in held_out.groups
    assert len(held_out) == len(bank) - bank.groups.count(group)


def test_questions_asked_as_written_are_mostly_answered_with_their_answer(engine):
    written = [q for q in _written() if q["answerable"]][::25]
    answers = engine.ask_many([q["question"] for q in written])
    right = [contains_answer(a.quotes[0].text, q["answers"]) if a.quotes else False
             for q, a in zip(written, answers, strict=True)]
    assert np.mean(right) >= 0.9, np.mean(right)


def test_questions_the_documents_do_not_answer_are_refused_as_written(engine):
    unanswerable = [q["question"] for q in _written() if not q["answerable"]][::8]
    statuses = [a.status for a in engine.ask_many(unanswerable)]
    assert statuses.count("answered") <= 0.1 * len(statuses), statuses


def test_the_bank_can_be_switched_off(engine):
    settings = Settings.from_env(question_bank=False)
    without = Engine.load(settings, embedder=engine.embedder)
    assert without.retriever.bank is None
    unanswerable = [q["question"] for q in _written() if not q["answerable"]][::8]
    refused_with = sum(a.status != "answered" for a in engine.ask_many(unanswerable))
    refused_without = sum(a.status != "answered" for a in without.ask_many(unanswerable))
    assert refused_with > refused_without


def _small_corpus(folder, known: dict | None):
    """One document, and (unless None) one known question about it."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text("The alpha programme was launched in Leeds in 2019.\n",
                                      encoding="utf-8")
    if known is not None:
        (corpus / FOLDER).mkdir()
        (corpus / FOLDER / "set.jsonl").write_text(json.dumps(known) + "\n", encoding="utf-8")
    return corpus


def test_changed_questions_make_the_index_stale(tmp_path, engine):
    asked = {"id": "w1-001", "question": "where did alpha start", "answerable": True,
             "answers": ["launched in Leeds"]}
    corpus = _small_corpus(tmp_path, asked)
    settings = Settings(corpus_dir=str(corpus), index_dir=str(tmp_path / "index"))
    first = Engine.load(settings, embedder=engine.embedder)
    assert first.index.question_bank.units == ((0,),)
    (corpus / FOLDER / "set.jsonl").write_text(
        json.dumps({**asked, "question": "which city was alpha launched in"}) + "\n",
        encoding="utf-8")
    second = Engine.load(settings, embedder=engine.embedder)
    assert second.corpus_version != first.corpus_version


def test_a_corpus_without_questions_has_no_bank(tmp_path, engine):
    corpus = _small_corpus(tmp_path, None)
    built = Engine.load(Settings(corpus_dir=str(corpus), index_dir=str(tmp_path / "index")),
                        embedder=engine.embedder)
    assert built.index.question_bank is None and built.retriever.bank is None
    assert built.ask("Where was the alpha programme launched?").status == "answered"


def test_a_malformed_questions_file_is_a_clear_error(tmp_path):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "bad.jsonl").write_text('{"question": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:1"):
        read_questions(tmp_path)


def test_eval_warns_when_test_questions_are_in_the_bank(tmp_path):
    from click.testing import CliRunner

    from simqa.eval_cli import eval_command

    known = {"id": "w1-001", "question": "Where was alpha launched?", "answerable": True,
             "answers": ["launched in Leeds"]}
    corpus = _small_corpus(tmp_path, known)
    unseen = {**known, "id": "t-1", "question": "In which year did alpha start?",
              "answers": ["2019"]}
    tests = tmp_path / "test.jsonl"
    tests.write_text("\n".join(json.dumps(q) for q in (known, unseen)) + "\n", encoding="utf-8")
    report = tmp_path / "run.json"
    result = CliRunner().invoke(eval_command, [
        str(tests), "--corpus", str(corpus), "--index-dir", str(tmp_path / "index"),
        "--json", str(report), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "1 of 2 questions are in the corpus's question bank" in result.output
    assert json.loads(report.read_text())["meta"]["questions_in_bank"] == 1


def test_the_gap_check_does_not_refuse_what_the_bank_knows_is_answered(engine):
    """The gap check learns from a vector alone; known answered questions clearly closer than
    any unanswered one override it."""
    answerable = [q["question"] for q in _written() if q["answerable"]]
    vectors = engine._encode(answerable)
    bank = engine.index.question_bank
    flagged = [q for q, v in zip(answerable, vectors, strict=True)
               if engine._gap_model.asks_beyond(v) and bank.unanswered(v) is False]
    assert flagged
    assert [a.status for a in engine.ask_many(flagged)] == ["answered"] * len(flagged)


def test_the_kept_test_sets_are_not_in_the_bank():
    """eval/ figures are held out only while none of its questions is in the bank."""
    from simqa.datasets import load_dataset
    from simqa.metrics import normalize

    known = {normalize(q.text) for q in read_questions(ROOT / "corpus")}
    kept = sorted((ROOT / "eval").glob("*.jsonl"))
    assert kept
    for path in kept:
        items = load_dataset(path, strict=True).items
        assert items and not [i.question for i in items if normalize(i.question) in known]
