"""What a question asks for, and whether a unit holds it: the answer-type signals the ranker
uses."""

import pytest

from simqa.questions import measure, offers_new, question_type


@pytest.mark.parametrize(("question", "kind"), [
    ("who kicked off NHS England's own review of the SIM model", "who"),
    ("when did SIM London actually go live", "when"),
    ("how many AHSNs are there in england", "number"),
    ("How much did the independent review cost?", "number"),
    ("why do trusts need extra admin help for the SIM project", "why"),
    ("what does AHSN stand for", "definition"),
])
def test_question_types(question, kind):
    assert question_type(question) == kind


@pytest.mark.parametrize(("question", "measured"), [
    ("how long should it take to get SIM going in a trust", "duration"),
    ("How much did the independent review cost?", "money"),
    ("how much was the police officer paid", "money"),
    ("how many AHSNs are there in england", ""),
    ("how much of the budget went on training", "money"),
])
def test_what_a_number_question_measures(question, measured):
    assert measure(question) == measured


def test_a_cost_question_wants_an_amount_of_money_not_any_number():
    question = "How much did the independent review cost?"
    assert offers_new("number", "5.3 The review was welcomed by the Network.", question) == 0.0
    assert offers_new("number", "The review cost £36,000 in all.", question) == 1.0
    assert offers_new("number", "It was funded at £2.5 million a year.", question) == 1.0


def test_a_how_long_question_wants_a_duration():
    question = "how long should it take to get SIM going in a trust"
    unit = "Agree a time frame (3 – 4 months) to implement SIM"
    assert offers_new("number", unit, question) == 1.0
    assert offers_new("number", "There are 9 stages in the process.", question) == 0.0


def test_a_count_question_takes_a_number_the_question_does_not_already_hold():
    question = "how many of the 15 AHSNs took part"
    assert offers_new("number", "All 15 AHSNs are in England.", question) == 0.0
    assert offers_new("number", "Eleven AHSNs took part in 2019.", question) == 1.0
