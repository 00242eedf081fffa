"""The gap check: on-topic questions that ask for what the documents never say get
not_found, with related quotes rather than an answer."""

from __future__ import annotations

import json

from .paths import SIM_DEV

# Written for this test, not taken from any question set: each asks about SIM for something
# none of the five documents states.
BEYOND_THE_DOCUMENTS = [
    "what salary did the SIM care coordinators in london get",
    "did any family win compensation in court over SIM",
    "how many people died while they were under SIM",
    "what did the CQC say about SIM London when it inspected in 2021",
    "has the StopSIM coalition ever met the health secretary",
    "which police forces are still running SIM today",
    "what did service users in the North Thames study say about the police officers",
    "how much did the SIM London leaflet cost to print",
]


def test_most_questions_beyond_the_documents_are_refused(engine):
    answers = engine.ask_many(BEYOND_THE_DOCUMENTS)
    answered = [q for q, a in zip(BEYOND_THE_DOCUMENTS, answers, strict=True)
                if a.status == "answered"]
    assert len(answered) <= 3, answered


def test_a_refused_question_still_gets_related_quotes(engine):
    refused = [a for a in engine.ask_many(BEYOND_THE_DOCUMENTS) if a.status == "not_found"]
    with_quotes = [a for a in refused if a.quotes]
    assert with_quotes
    assert all(q.role == "related" for a in with_quotes for q in a.quotes)


def test_few_dev_questions_are_refused_as_unanswered(engine):
    """sim-dev is never trained on (scripts/train_topic.py)."""
    items = [json.loads(line) for line in SIM_DEV.read_text(encoding="utf-8").splitlines()]
    answerable = [i["question"] for i in items if i["answerable"] and i["answers"]]
    searched = [engine._prepare(q).searched for q in answerable]
    flagged = [q for q, s, v in zip(answerable, searched, engine._encode(searched), strict=True)
               if engine._asks_beyond(s, v)]
    assert len(flagged) <= 1, flagged



def test_a_direct_hit_overrules_the_gap_check_and_a_weak_match_does_not(engine):
    """Both questions are ones the gap check flags; only the first has a unit that answers it
    outright ("approximately 20 teams live across the country")."""
    hit = "how many SIM teams were actually running across england when the AHSN programme " \
          "finished?"
    weak = "what proportion of people on sim had a personality disorder diagnosis"
    for question in (hit, weak):
        searched = engine._prepare(question).searched
        assert engine._asks_beyond(searched, engine._encode([searched])[0]) == "gap"
    answered, refused = engine.ask_many([hit, weak])
    assert answered.status == "answered" and "approximately 20 teams" in answered.quotes[0].text
    assert refused.status == "not_found"


def test_asked_whether_sim_was_stopped_the_documents_answer_though_the_gap_check_flags_it(engine):
    """Status questions ("is X still running") are mostly ones the documents cannot answer, so
    the gap check flags this one too; retrieval's confidence in NHS England's letter overrules
    it."""
    question = "has sim been stopped"
    searched = engine._prepare(question).searched
    assert engine._asks_beyond(searched, engine._encode([searched])[0]) == "gap"
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert "ask that SIM and SIM-like models stop" in answer.quotes[0].text
