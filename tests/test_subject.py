"""A question that says only "it" asks about what the documents are about."""

from __future__ import annotations

from simqa.subject import corpus_subject, says_it


def test_the_subject_is_the_acronym_every_document_uses_most() -> None:
    texts = ["SIM was run by the AHSN. SIM ended.", "StopSIM opposed SIM.", "The AHSN and SIM."]
    assert corpus_subject(texts, ["sim", "ahsn"]) == "SIM"


def test_a_corpus_about_many_things_has_no_subject() -> None:
    texts = ["The WHO said COVID-19 spreads.", "ACE2 receptors bind the virus.", "WHO advice."]
    assert corpus_subject(texts, ["who", "ace2"]) == ""  # no acronym in every document
    assert corpus_subject(["SIM and AHSN", "AHSN and SIM"], ["sim", "ahsn"]) == ""  # a tie


def test_it_and_the_scheme_stand_for_the_subject() -> None:
    assert says_it("who made it") and says_it("when did the scheme start")
    assert not says_it("who made SIM") and not says_it("what items were bought")


def test_who_made_it_is_asked_about_the_documents_subject(engine) -> None:
    answer = engine.ask("who made it")
    assert answer.status == "answered"
    assert "Paul Jennings" in answer.quotes[0].text
    assert answer.question == "who made it"


def test_an_it_question_about_something_else_is_still_off_topic(engine) -> None:
    for question in ("how much does it cost to keep a rabbit",
                     "printer says offline but it's switched on??"):
        assert engine.ask(question).status == "not_found"
