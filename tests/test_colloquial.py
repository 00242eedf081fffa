"""Everyday British words are searched as the documents' own terms."""

from __future__ import annotations

import pytest

from simqa.colloquial import formal


@pytest.mark.parametrize(("asked", "searched"), [
    ("who footed the bill for the coppers", "who funded the police officers"),
    ("did the old bill have a say", "did police have a say"),
    ("when did they scrap it", "when did they stop it"),
    ("was she sectioned after A&E", "was she sectioned (detained under the Mental Health Act) "
     "after the Emergency Department"),
    ("what did the bigwigs say", "what did the senior leaders say"),
])
def test_everyday_words_become_the_documents_terms(asked: str, searched: str) -> None:
    assert formal(asked) == searched


@pytest.mark.parametrize("text", [
    "how big was the bill for the review",  # "the bill" alone is what someone pays
    "is the review a cop out",
    "David Copperfield",
    "what is the scrapbook",
])
def test_words_that_mean_something_else_here_are_left_alone(text: str) -> None:
    assert formal(text) == text


def test_a_question_in_everyday_words_finds_what_the_documents_say(engine) -> None:
    answer = engine.ask("why did nhs england scrap sim")
    assert answer.status == "answered"
    assert any("ask that SIM and SIM-like models stop" in q.text for q in answer.quotes)
