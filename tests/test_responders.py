"""Questions asking how someone responded or what they said about something: refused when
the documents name that body but never report it responding, answered as before when they
do."""

from __future__ import annotations

import pytest

from simqa.responders import ResponseRecord, asked_responders, names_of

# Written for this test, not taken from any question set.
SILENT_BODIES = [
    "What did the High Intensity Network say back to the coalition?",
    "Did Simon Stevens respond to being copied into the coalition's letter?",
    "has the ambulance service said sorry",
    "what did Sir Tom Winsor think of SIM?",
    "has the metropolitan police said sorry for SIM",
]
BODIES_THAT_RESPOND = [
    "How did the AHSN Network respond to the concerns about SIM?",
    "How did NHS England reply to the StopSIM Coalition?",
    "How did the StopSIM Coalition respond to NHS England's statement?",
    "How did Hampshire Constabulary react to the Isle of Wight figures?",
    "what did HM Inspectorate of Policing say about SIM?",
    "what did Mike Farrar say about the evidence for SIM?",
]


@pytest.mark.parametrize(("question", "bodies"), [
    ("What did the High Intensity Network say in response to the campaign?",
     ["high intensity network"]),
    ("did paul jennings ever publicly respond to the review", ["paul jennings"]),
    ("Did the National Police Chiefs’ Council reply?", ["national police chiefs council"]),
    ("how did Paul Jennings or the HIN react", ["paul jennings", "hin"]),
    ("how has #StopSIM responded", ["stopsim"]),
    ("what has Sir Tom Winsor said about SIM", ["sir tom winsor"]),
])
def test_the_body_asked_about_is_found(question, bodies):
    assert asked_responders(question) == bodies


@pytest.mark.parametrize("question", [
    "What did the High Intensity Network say SIM was?",
    "how did they respond",
    "who developed SIM?",
    "what was the response to the review?",
])
def test_questions_asking_for_no_ones_response_name_no_body(question):
    assert asked_responders(question) == []


def test_a_plural_and_an_acronym_take_their_other_names():
    acronyms = {"hin": ["High Intensity Network", "Health Innovation Network"]}
    assert names_of("hin", acronyms) == ["hin", "high intensity network",
                                         "health innovation network"]
    assert names_of("ahsns", {}) == ["ahsns", "ahsn"]


def never_responds(names, own_words, documents, publishers):
    return ResponseRecord(own_words, documents, publishers, {}).never_responds(names)


def test_a_body_named_only_as_a_subject_or_in_a_heading_never_responds():
    units = ["Paul Jennings led the training.", "The board wrote to NHS England."]
    document = "Aileen Jackson - Head of Mental Health\n\n" + " ".join(units)
    assert never_responds(["paul jennings"], units, [document], publishers=[])
    assert never_responds(["aileen jackson"], units, [document], publishers=[])
    assert not never_responds(["board"], units, [document], publishers=[])


def test_a_body_never_named_or_a_publisher_is_left_to_other_checks():
    units = ["Paul Jennings led the training."]
    assert not never_responds(["royal college of psychiatrists"], units, units, publishers=[])
    assert not never_responds(["stopsim coalition"], units, units,
                              publishers=["The StopSIM Coalition"])


def test_responses_of_bodies_the_documents_never_show_responding_are_refused(engine):
    answers = engine.ask_many(SILENT_BODIES)
    assert [a.status for a in answers] == ["not_found"] * len(SILENT_BODIES)
    assert all(q.role == "related" for a in answers for q in a.quotes)


def test_responses_of_bodies_that_do_respond_are_still_answered(engine):
    answers = engine.ask_many(BODIES_THAT_RESPOND)
    assert [a.status for a in answers] == ["answered"] * len(BODIES_THAT_RESPOND)


def test_an_apology_is_unreported_only_where_no_unit_mentions_one():
    def asks_unreported_apology(question, units):
        return ResponseRecord(units, units, [], {}).unreported_apology(question)
    assert asks_unreported_apology("did the trust ever apologise?", ["We regret nothing."]) is False
    assert asks_unreported_apology("has anyone said sorry", ["The trust ran SIM."])
    assert not asks_unreported_apology("did the trust respond?", ["The trust ran SIM."])
