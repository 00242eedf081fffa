"""Acronyms learnt from the documents' own wording."""

from __future__ import annotations

import pytest

from simqa.lexicon import Lexicon, learn_acronyms


@pytest.mark.parametrize(("text", "acronym", "long_form"), [
    ("Serenity Integrated Mentoring (SIM) began", "sim", "Serenity Integrated Mentoring"),
    ("SIM (Serenity Integrated Mentoring) began", "sim", "Serenity Integrated Mentoring"),
    ('known locally as "SHIPP", Surrey High Intensity Partnership Programme.', "shipp",
     "Surrey High Intensity Partnership Programme"),
    ("The NHS - National Health Service runs it.", "nhs", "National Health Service"),
    ("PID stands for Patient Identifiable Data here.", "pid", "Patient Identifiable Data"),
    # A connective's initial may be in the acronym.
    ("a Memorandum of Understanding (MOU) was signed", "mou", "Memorandum of Understanding"),
    ("Freedom of Information (FOI) requests", "foi", "Freedom of Information"),
    ("the Department of Health (DH) said", "dh", "Department of Health"),
])
def test_an_acronym_spelt_out_beside_it_is_learnt(text, acronym, long_form):
    assert learn_acronyms([text])[acronym] == [long_form]


@pytest.mark.parametrize("text", [
    "SIM, London and Surrey took part.",  # the words after it do not spell it
    "The MOU, Information Sharing Agreement and DPIA were signed.",
])
def test_capitalised_words_after_an_acronym_are_not_taken_for_its_long_form(text):
    assert learn_acronyms([text]) == {}


def test_a_long_form_reads_as_its_acronym_and_keeps_its_words_when_the_acronym_has_two():
    lexicon = Lexicon({"hin": ["High Intensity Network", "Health Innovation Network"],
                       "ccg": ["Clinical Commissioning Group"]})
    assert lexicon.tokens("Clinical Commissioning Groups") == ["ccg"]
    assert lexicon.tokens("the Health Innovation Network") == ["hin", "health", "innov", "network"]
    assert "innov" not in lexicon.tokens("the High Intensity Network")


@pytest.mark.parametrize("written", [
    "Information Commissioners Office", "the Information Commissioner's Office",
    "the Information Commissioners’ Office", "information commissioner office", "the ICO",
])
def test_a_long_form_reads_as_its_acronym_however_its_possessive_or_plural_is_written(written):
    lexicon = Lexicon({"ico": ["Information Commissioners Office"]})
    assert lexicon.tokens(written) == ["ico"]
