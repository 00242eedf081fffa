"""Typo repair: unknown words become the closest word the documents use; real words stay."""

from __future__ import annotations

import pytest

from simqa.spelling import Speller

DOCUMENTS = [
    "Serenity Integrated Mentoring was developed by Sergeant Paul Jennings.",
    "Clinical Commissioning Groups commission services; the trial ended in 2021.",
]


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.from_texts(DOCUMENTS)


@pytest.mark.parametrize(("typed", "meant"), [
    ("who is Sergent Paul Jenings", "who is Sergeant Paul Jennings"),
    ("whats a Clinical Comissioning Group", "whats a Clinical Commissioning Group"),
    ("what is serentiy integarted mentoring", "what is serenity integrated mentoring"),
    ("what was Sergent Jenings's role", "what was Sergeant Jennings's role"),
])
def test_misspelt_document_words_are_repaired(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


@pytest.mark.parametrize("question", [
    "did the trail go cold",  # "trail" is English, though one letter from "trial"
    "what did Javid's successor say",  # unknown, but nothing in the documents is close
    "is SIMM the same as SIM",  # capitals: an acronym, not a typo
    "who ran it",  # too short to guess
    "whats a good recipe for lasagne",
    "whose job is it to update the trust's privacy notice",
    "couldn't the trial have stopped",
])
def test_real_words_names_and_acronyms_are_left_alone(speller: Speller, question: str) -> None:
    assert speller.correct(question) == question


def test_a_typo_gets_the_answer_the_correct_spelling_gets(engine) -> None:
    for typed, meant in (("who is Sergent Paul Jenings", "who is Sergeant Paul Jennings"),
                         ("whats a Clinical Comissioning Group",
                          "whats a Clinical Commissioning Group")):
        answer, expected = engine.ask(typed), engine.ask(meant)
        assert answer.status == expected.status == "answered", typed
        assert answer.quotes[0].text == expected.quotes[0].text, typed
        assert answer.question == typed  # echoed as asked
