"""The topic check: questions the documents are not about get not_found and no quotes."""

from __future__ import annotations

import json

import pytest

from simqa.config import Settings
from simqa.engine import Engine

from .paths import SIM_DEV


@pytest.mark.parametrize("question", [
    "What is the capital of France?",
    "how do I renew my passport online",
    "whats the best way to cook rice",
    "who won the champions league last year",
    # Words that all come up in one unit, but never side by side.
    "what's the meaning of life",
])
def test_questions_about_something_else_get_no_quotes(engine, question):
    answer = engine.ask(question)
    assert (answer.status, answer.quotes) == ("not_found", ())


@pytest.mark.parametrize("question", [
    "whats a CCG", "what is a clinical commissioning group", "Who developed SIM?",
    "who is Tim Kendall", "who is Paul Jennings",
])
def test_short_questions_naming_the_documents_terms_are_on_topic(engine, question):
    assert engine.ask(question).status == "answered"


@pytest.mark.parametrize("question", ["what is s136", "what is S.136?", "whats a s136"])
def test_a_section_of_an_act_the_documents_cite_is_on_topic(engine, question):
    """The model reads "s136" as noise; the documents cite section 136 throughout."""
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert any("136" in quote.text for quote in answer.quotes)


@pytest.mark.parametrize(("question", "named"), [
    ("who is Claire Murdoch", "Claire Murdoch"),
    ("who is Martin Hewitt", "Martin Hewitt"),
    ("what were the recommendations of the independent review", "recommendations"),
])
def test_short_questions_in_the_documents_own_wording_are_on_topic(engine, question, named):
    """No context and no term of the documents' own, but their wording: a question about them."""
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert any(named in quote.text for quote in answer.quotes)


def test_few_dev_questions_are_taken_for_off_topic(engine):
    """sim-dev is never trained on (scripts/train_topic.py)."""
    items = [json.loads(line) for line in SIM_DEV.read_text(encoding="utf-8").splitlines()]
    answerable = [i["question"] for i in items if i["answerable"] and i["answers"]]
    refused = [q for q, a in zip(answerable, engine.ask_many(answerable), strict=True)
               if a.status == "not_found" and not a.quotes]
    assert len(refused) <= 1, refused


def test_the_question_checks_belong_to_their_corpus(engine, tmp_path):
    """The topic and gap checks say what these documents cover and leave out."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zebra-facts.txt").write_text(
        "Zebra facts\n\nZebras are African equines with black and white stripes.\n",
        encoding="utf-8")
    other = Engine.load(Settings(corpus_dir=str(corpus), index_dir=str(tmp_path / "index")),
                        embedder=engine.embedder)
    assert engine._topic_model is not None and other._topic_model is None
    assert engine._gap_model is not None and other._gap_model is None
    assert other.ask("what colour are zebras?").status == "answered"
