"""What a question asks for, and whether a unit holds it: the answer-type signals the ranker
uses."""

import pytest

from simqa.questions import (
    acronyms_to_spell_out,
    demanded_form,
    holds_form,
    measure,
    offers_new,
    question_type,
    role_asked,
)


@pytest.mark.parametrize(("question", "kind"), [
    ("who kicked off NHS England's own review of the SIM model", "who"),
    ("when did SIM London actually go live", "when"),
    ("how many AHSNs are there in england", "number"),
    ("How much did the independent review cost?", "number"),
    ("why do trusts need extra admin help for the SIM project", "why"),
    ("what does AHSN stand for", "definition"),
    ("DPIA?", "definition"),  # a bare term asks what it is
    # A clause opening with "when" or "once" sets the scene; the question comes after it.
    ("when the trusts compared their figures with the police's, what did they find", "other"),
    ("once SIM is running, how often is the cohort list checked", "number"),
    ("when the review came out, who was blamed", "who"),
    ("when and where did operation serenity start", "when"),
    ("when was the review published and what did it find", "when"),
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


@pytest.mark.parametrize("unit", [
    "There is an initial 3-day classroom training requirement.",
    "It was always planned to be a two-year programme of support.",
])
def test_a_hyphenated_duration_is_a_duration(unit):
    assert offers_new("number", unit, "how long is the training for sim staff") == 1.0


def test_a_count_question_takes_a_number_the_question_does_not_already_hold():
    question = "how many of the 15 AHSNs took part"
    assert offers_new("number", "All 15 AHSNs are in England.", question) == 0.0
    assert offers_new("number", "Eleven AHSNs took part in 2019.", question) == 1.0


@pytest.mark.parametrize("unit", [
    "Savings are estimated to be circa £20k per reduction in S136.",
    "The scheme cost 2.5m in its first year.",
    "Detentions fell by 40% in the first year.",
])
def test_a_number_with_a_unit_suffix_is_a_number(unit):
    assert offers_new("number", unit, "roughly how much was saved per S136 avoided?") == 1.0


@pytest.mark.parametrize(("question", "form"), [
    ("what's the phone number for the AHSN Network?", "phone"),
    ("how do I contact the StopSIM Coalition", "contact"),
    ("what is their email address", "email"),
    ("what's the email for StopSIM", "email"),
    ("Who developed SIM? My email is jo@example.com, my phone number is 07700 900123", ""),
    ("How much did the independent review cost?", "money"),
    ("what did the review cost?", "money"),
    ("how much funding did the HIN commit to SIM", "money"),
    ("who paid for the police officers in the london SIM pilots", ""),
    ("how was the SIM police officer post funded", ""),
    ("how many AHSNs are there in england", "count"),
    ("what did the review find about how the AHSNs worked", ""),
    ("what did the review say about costs", ""),
    ("what did the review say about the cost of SIM?", ""),
    ("what did SIM cost the NHS?", "money"),
    ("what budget did the AHSN Network give the London trusts", "money"),
    ("what budget covered the police officer post", ""),
])
def test_the_form_a_question_cannot_be_answered_without(question, form):
    assert demanded_form(question) == form


def test_a_demanded_form_is_held_only_by_text_that_shows_it():
    assert holds_form("money", "funding at the base level of £36 million.")
    assert not holds_form("money", "The main cost to implement SIM is the police officer.")
    assert holds_form("contact", "Write to info@example.org or call 020 7946 0000.")
    assert holds_form("contact", "See Contact us at https://example.org/contact")
    assert not holds_form("contact", "NHS responses were received via email on 11 May 2021.")
    assert holds_form("phone", "call 020 7946 0000") and holds_form("phone", "Samaritans: 116 123")
    assert not holds_form("phone", "See Contact us at https://example.org/contact")
    assert holds_form("email", "Write to info@example.org")
    assert not holds_form("email", "call 020 7946 0000")
    assert holds_form("", "anything")
    assert holds_form("count", "approximately 270 service users") and holds_form(
        "count", "The initial evidence base was a small number of individuals.")
    assert holds_form("count", "there were 20 teams") and holds_form("count", "eight trusts")
    for no_count in ("AHSN Network provides responses to a number of FOI requests in 2021",
                     "30\tJuly 2021\tAHSN Network provides responses", "under section 136",
                     "S136 data did not match", "On 11.05.2021 we received a response [12]"):
        assert not holds_form("count", no_count), no_count


@pytest.mark.parametrize(("question", "acronyms"), [
    ("what do PROMs and PREMs stand for", ["PROMs", "PREMs"]),
    ("what does clahrc stand for?", ["clahrc"]),
    ("whats HIN short for in the stopsim letter", ["HIN"]),
    ("what does HIN do", []),
    ("who is Paul Jennings", []),
])
def test_the_acronyms_a_question_asks_to_spell_out(question, acronyms):
    assert acronyms_to_spell_out(question) == acronyms


@pytest.mark.parametrize(("question", "whose"), [
    ("whats the AHSN meant to do for the trusts", "the ahsn"),
    ("what is the SIM police officer actually supposed to do", "the sim police officer"),
    ("what was the role of the CCGs in SIM?", "the ccgs"),
    ("what was NHS England's role", "nhs england"),
    ("what part did Sir Bruce Keogh play in the roll out", "sir bruce keogh"),
    ("what does a care coordinator do?", "a care coordinator"),
    # Not a question about someone's role.
    ("what did NHS England do after the complaints?", ""),
    ("what is SIM", ""),
    ("who is responsible for the project plan", ""),
])
def test_whose_role_a_question_asks_about(question, whose):
    assert role_asked(question) == whose
