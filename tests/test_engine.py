"""Engine.ask on the real corpus with the real model: verbatim, attributed, honest."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from simqa import messages
from simqa.config import Settings
from simqa.embedding import ModelLoadError
from simqa.engine import Engine, QuestionError, route_without_model
from simqa.extraction import points_elsewhere
from simqa.metrics import contains_answer
from simqa.ranking import meanings_asked, states_role_of

from .paths import ROOT, SIM_DEV


def _dev_items():
    return [json.loads(line) for line in SIM_DEV.read_text(encoding="utf-8").splitlines()]


def test_every_dev_answer_is_verbatim_and_attributed(engine):
    items = _dev_items()
    answers = engine.ask_many([item["question"] for item in items])
    for answer in answers:
        assert answer.status in {"answered", "not_found", "crisis", "smalltalk"}
        texts = set()
        for quote in answer.quotes:
            document = engine.source(quote.source_id)
            assert document.text[quote.start : quote.end] == quote.text
            assert quote.publisher and quote.date and quote.title
            assert quote.viewer_url == f"/sources/{quote.source_id}#q={quote.start}-{quote.end}"
            assert quote.text not in texts
            texts.add(quote.text)
        assert len(answer.quotes) <= engine.settings.max_quotes


def test_a_well_covered_question_is_answered_from_the_right_place(engine):
    answer = engine.ask("Where did SIM start?")
    assert answer.status == "answered"
    assert "Isle of Wight" in answer.quotes[0].text
    assert answer.quotes[0].role == "answer"


def test_off_topic_questions_are_not_answered(engine):
    for question in ("Who won the 2022 World Cup?", "What is a good recipe for lasagne?",
                     "How do I renew my passport?"):
        answer = engine.ask(question)
        assert answer.status == "not_found", question
        assert all(q.role == "related" for q in answer.quotes)
        assert "couldn't find" in answer.message


def test_everyday_questions_the_topic_check_doubts_and_retrieval_barely_matches_are_refused(
        engine):
    """The topic check leans off-topic without calling it (probability 0.34) and the best
    match is weak (confidence 0.02): no SIM quote is offered as an answer."""
    for question in ("how do i track my amazon parcel", "how do i turn on dark mode on my iphone"):
        answer = engine.ask(question)
        assert answer.status == "not_found", question
        assert answer.quotes == ()


def test_quotes_are_never_bare_headings(engine):
    for question in ("Funding source", "Lessons and tips", "Contents"):
        for quote in engine.ask(question).quotes:
            assert "\n" in quote.text or len(quote.text.split()) > 3 or quote.text.endswith(".")


def test_crisis_comes_first_with_signposting_and_no_quotes(engine):
    answer = engine.ask("I can't go on, I want to end my life. Who developed SIM?")
    assert answer.status == "crisis"
    assert not answer.quotes
    contacts = [s.contact for s in answer.signposting]
    assert contacts[:3] == ["999", "116 123", "111"]
    assert answer.corpus_version == engine.corpus_version


def test_crisis_is_answered_even_when_the_model_cannot_load(tmp_path):
    with pytest.raises(ModelLoadError):
        Engine.load(Settings(model=str(tmp_path / "no-such-model"),
                             index_dir=str(tmp_path / "index")))
    answer = route_without_model("im going to kill myself tonight")
    assert answer is not None and answer.status == "crisis"
    assert route_without_model("Who developed SIM?") is None


def test_greetings_get_a_fixed_reply(engine):
    answer = engine.ask("good morning!")
    assert answer.status == "smalltalk" and not answer.quotes and answer.message


def test_bad_questions_are_refused_clearly(engine):
    for bad in ("", "   ", "x" * (engine.settings.max_question_chars + 1)):
        with pytest.raises(QuestionError):
            engine.ask(bad)
    with pytest.raises(QuestionError):
        engine.ask(None)  # type: ignore[arg-type]


def test_a_folder_of_txt_files_is_answerable(tmp_path, engine):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "zebra-facts.txt").write_text(
        "Zebra facts\n\nZebras live in the grasslands of East Africa. "
        "Each zebra has a unique pattern of stripes.\n", encoding="utf-8")
    local = Engine.load(Settings(corpus_dir=str(corpus), index_dir=str(tmp_path / "i")),
                        embedder=engine.embedder)
    answer = local.ask("Where do zebras live?")
    assert answer.quotes[0].source_id == "zebra-facts"
    assert "East Africa" in answer.quotes[0].text
    assert answer.quotes[0].title == "Zebra facts"
    assert answer.quotes[0].url == ""


def test_personal_details_in_a_question_do_not_change_the_answer(engine):
    plain = engine.ask("Who developed SIM?")
    detailed = engine.ask("Who developed SIM? My email is jo.bloggs@example.com, "
                          "phone 07700 900123, NHS number 943 476 5919")
    assert detailed.status == plain.status
    assert [q.text for q in detailed.quotes] == [q.text for q in plain.quotes]
    assert detailed.question.endswith("943 476 5919")  # echoed as asked


def test_a_definition_question_is_answered_by_the_unit_that_spells_it_out(engine):
    answer = engine.ask("What is SIM?")
    assert answer.status == "answered"
    assert "Serenity Integrated Mentoring (SIM)" in answer.quotes[0].text
    assert "Clinical Commissioning Groups" in engine.ask("whats a CCG").quotes[0].text


def test_batched_answers_and_document_rankings_match_one_at_a_time(engine):
    questions = [item["question"] for item in _dev_items()][:24]
    batched = engine.ask_and_rank_many(questions, k=5)
    for question, (answer, documents) in zip(questions, batched, strict=True):
        alone = engine.ask(question)
        assert answer.status == alone.status
        assert [q.text for q in answer.quotes] == [q.text for q in alone.quotes]
        assert documents == engine.rank_documents(question, k=5)
        assert len(documents) == len(set(documents)) <= 5


def test_a_numbered_point_that_refers_back_is_quoted_with_the_point_before(engine):
    answer = engine.ask("what prompted the AHSN Network to commission the Farrar review?")
    assert answer.status == "answered"
    top = answer.quotes[0].text
    assert "As a consequence of this interest" in top
    assert "attracted interest through social media" in top  # the cause, on the line above


def test_a_short_sentence_about_this_or_these_is_quoted_with_what_it_refers_to(engine):
    from simqa.extraction import quote_span

    sentences, documents = engine.index.sentences, engine.index.documents
    leaning = [i for i, s in enumerate(sentences) if "used this insight" in s.text]
    assert leaning, "the corpus sentence this test relies on is gone"
    for sid in leaning:
        span = quote_span(sentences, documents, sid)
        assert span.start < sentences[sid].start  # the sentence before it comes too
        assert span.text.endswith(sentences[sid].text) or sentences[sid].text in span.text


def test_a_first_or_second_bullet_is_quoted_under_its_lists_lead_in(engine):
    """StopSIM's reasons are bullets under "we consider multiple local reviews insufficient in
    light of the following:"; a bullet alone would not say what it is a reason for."""
    answer = engine.ask("why does stopsim think it isnt enough for each trust to just review "
                        "sim locally")
    assert answer.status == "answered"
    assert any("multiple local reviews insufficient" in q.text for q in answer.quotes)


def test_only_a_lists_first_two_bullets_take_its_lead_in(engine):
    from simqa.extraction import MAX_UNITS, quote_span

    sentences, documents = engine.index.sentences, engine.index.documents
    runs = [i for i in range(len(sentences) - 3) if sentences[i].kind == "lead_in"
            and all(sentences[j].kind == "bullet" and sentences[j].doc_id == sentences[i].doc_id
                    for j in range(i + 1, i + 4))]
    assert runs, "the corpus has no list of three bullets under a lead-in any more"
    for lead in runs:
        for position in (1, 2):
            span = quote_span(sentences, documents, lead + position)
            assert span.sentence_ids[0] == lead, sentences[lead + position].text
            assert len(span.sentence_ids) <= MAX_UNITS
        assert lead not in quote_span(sentences, documents, lead + 3).sentence_ids


def test_a_table_cell_carried_on_below_a_blank_line_keeps_its_row(engine):
    """Quoted alone, "one AHSN, ... expresses commitment to SIM at the base funding level of
    £36 million." drops the "Only" that ends the row above it."""
    from simqa.extraction import quote_span

    sentences, documents = engine.index.sentences, engine.index.documents
    carried = next(s for s in sentences if s.text.startswith("one AHSN, Health Innovation"))
    span = quote_span(sentences, documents, carried.id)
    assert "Only" in span.text.split("one AHSN")[0]
    # ... and the row, quoted, does not end its cell on "Only".
    row = next(s for s in sentences if s.text.startswith("10\t2017\tLate 2017 AHSN Network"))
    assert "one AHSN, Health Innovation" in quote_span(sentences, documents, row.id).text


@pytest.mark.parametrize(("question", "status"), [
    ("Who is Phil Jennings?", "not_found"),  # the documents name Paul Jennings, never Phil
    ("who is Paul Jennings", "answered"),
    ("who is Prof Tim Kendall", "answered"),  # "Prof": a word the documents use begins so
    ("what does CLAHRC stand for", "not_found"),  # used, never spelt out
    ("what do PROMs and PREMs stand for", "not_found"),
    ("what does NHSE/I stand for", "answered"),  # spelt out, bracketed, not learnt
    ("what does SHIPP stand for", "answered"),
])
def test_who_or_what_questions_the_documents_cannot_answer_are_refused(engine, question,
                                                                       status):
    assert engine.ask(question).status == status


def test_a_quote_never_ends_on_a_lead_in(engine):
    """"An extract from this statement reads as follows:" was quoted without the extract."""
    answer = engine.ask("what did nhs england reply to stopsim")
    assert any("does not mandate the ‘SIM’ model" in q.text for q in answer.quotes)
    questions = [item["question"] for item in _dev_items()] + [
        "what did nhs england reply to stopsim", "how did NHS England respond to StopSIM",
        "when was SIM part of the NHS Innovation Accelerator?"]
    for answer in engine.ask_many(questions):
        for quote in answer.quotes:
            assert not quote.text.rstrip().endswith(":"), (answer.question, quote.text)


def test_a_name_holding_a_contested_word_does_not_make_a_question_contested(engine):
    """"RightCare" is not "right": the lead text says nothing of sides taken."""
    from simqa import messages

    answer = engine.ask("What role did NHS RightCare play before the AHSNs got involved?")
    assert answer.status == "answered"
    assert answer.message != messages.ANSWERED_CONTESTED


def test_a_contested_question_is_answered_from_both_sides(engine):
    answer = engine.ask("who's actually responsible for SIM, the AHSNs or NHS England?")
    assert answer.status == "answered"
    assert len({q.publisher for q in answer.quotes}) >= 2
    assert "StopSIM" in " ".join(q.publisher for q in answer.quotes)


@pytest.mark.parametrize("question", [
    "is it right that police were involved in mental health care",  # HIN was the other side
    "did SIM put patients in danger",  # "danger" was not a contested word
])
def test_a_contested_question_hears_the_side_furthest_from_the_answers(engine, question):
    """The other side is the publisher whose stated perspective is furthest from the answer's:
    for the AHSN Network, the StopSIM Coalition, not the AHSN for south London."""
    answer = engine.ask(question)
    publishers = [q.publisher for q in answer.quotes]
    assert answer.status == "answered"
    assert publishers[0] == "The AHSN Network" and "The StopSIM Coalition" in publishers


@pytest.mark.parametrize("question", [
    "what's the phone number for the StopSIM Coalition?",
    "what is the email address of the Health Innovation Network?",
    "How much did the AHSN Network's independent review cost?",
    "what did the SIM police officer cost?",
    "how many people complained to the AHSN Network about SIM in 2021",
])
def test_no_quote_is_offered_for_contact_details_or_an_amount_the_documents_never_give(
        engine, question):
    answer = engine.ask(question)
    assert answer.status == "not_found"
    assert all(q.role == "related" for q in answer.quotes)


@pytest.mark.parametrize(("question", "first_quote_holds"), [
    # A count or an amount the documents do give.
    ("how many service users had SIM supported by March 2020", "approximately 270 service users"),
    ("How much funding did the Health Innovation Network commit to SIM?", "£36 million"),
    # The documents mention Tim Kendall three times; only one says what he does.
    ("who is Tim Kendall", "Tim Kendall (National Clinical Director"),
    # The report's title page credits its authors.
    ("who wrote the sim london report", "Aileen Jackson - Head of Mental Health"),
    # The unit that states the role asked about, over ones that only name the AHSNs.
    ("what is an AHSN expected to do when SIM is being set up at a trust",
     "The role of the AHSN is"),
    ("what role did NHS England play in overseeing the CCGs",
     "NHS England retains accountability and responsibility"),
    # "we received a response from ..." goes on through its lead-in to what was said.
    ("what did nhs england say back to stopsim in may 2021", "does not mandate the ‘SIM’ model"),
])
def test_the_first_quote_holds_what_was_asked(engine, question, first_quote_holds):
    answer = engine.ask(question)
    assert answer.status == "answered"
    assert first_quote_holds in answer.quotes[0].text


def test_a_role_is_the_role_of_whoever_the_text_says_it_is(engine):
    lexicon = engine.index.lexicon
    ahsn_role = ("The role of the AHSN is to work with the national programme manager and the "
                 "Mental Health Trust(s) and police to complete all the steps.")
    assert states_role_of(set(lexicon.tokens("the AHSN")), ahsn_role, lexicon)
    assert not states_role_of(set(lexicon.tokens("the police")), ahsn_role, lexicon)
    assert states_role_of(set(lexicon.tokens("the trust IG lead")),
                          "The Trust IG lead is usually responsible for updating the Trust "
                          "privacy notices.", lexicon)
    answer = engine.ask("what is the role of the police in SIM")
    assert answer.status == "answered"
    assert not answer.quotes[0].text.startswith("The role of the AHSN")


def test_a_bare_acronym_gets_each_meaning_and_one_never_spelt_out_is_not_defined(engine):
    hin, nia = engine.ask_many(["HIN", "what is NIA"])
    said = " ".join(quote.text for quote in hin.quotes)
    assert hin.status == "answered"
    assert "High Intensity Network (HIN)" in said and "Health Innovation Network (HIN)" in said
    # The documents use "NIA" but never say what it stands for: no confident definition.
    assert nia.status == "not_found" or nia.message == messages.ANSWERED_TENTATIVE


def test_every_quote_is_one_to_three_whole_units_and_quotes_never_overlap(engine):
    items = _dev_items()
    units = engine.index.sentences
    for answer in engine.ask_many([item["question"] for item in items]):
        quoted: list[str] = []  # a document may say the same sentence twice: quote it once
        for quote in answer.quotes:
            inside = [u for u in units if u.doc_id == quote.source_id
                      and quote.start <= u.start and u.end <= quote.end]
            assert 1 <= len(inside) <= 3, quote.text
            assert inside[0].start == quote.start and inside[-1].end == quote.end
            quoted += [" ".join(u.text.split()) for u in inside]
        assert len(quoted) == len(set(quoted)), answer.question
        for i, a in enumerate(answer.quotes):
            for b in answer.quotes[i + 1:]:
                assert a.source_id != b.source_id or a.end <= b.start or b.end <= a.start


def test_a_strong_unit_next_to_the_answer_joins_its_quote(engine):
    from simqa.extraction import joined_span, quote_span

    units, documents = engine.index.sentences, engine.index.documents
    first = next(i for i in range(len(units) - 3)
                 if len({units[j].doc_id for j in range(i, i + 4)}) == 1
                 and all(units[j].kind == "sentence" for j in range(i, i + 4)))
    one, two = (quote_span(units, documents, i) for i in (first, first + 1))
    joined = joined_span(one, two, units, documents)
    assert joined is not None and joined.sentence_ids == (first, first + 1)
    assert joined.text == documents[joined.doc_id].text[joined.start:joined.end]
    four = quote_span(units, documents, first + 3)
    assert joined_span(one, four, units, documents) is None  # not consecutive


def _hard_unanswerable() -> list[str]:
    path = ROOT / "eval" / "sim-hard-unanswerable.jsonl"
    return [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_an_unsure_answer_says_the_documents_may_not_answer_exactly(engine):
    questions = ["Where did SIM start?", "Who developed SIM?"]
    always = replace(engine, settings=engine.settings.with_(tentative_below=1.01))
    never = replace(engine, settings=engine.settings.with_(tentative_below=0.0))
    for sure_of_nothing, sure_of_all in zip(always.ask_many(questions), never.ask_many(questions),
                                            strict=True):
        assert sure_of_nothing.status == sure_of_all.status == "answered"
        assert sure_of_nothing.message == messages.ANSWERED_TENTATIVE
        assert sure_of_all.message != messages.ANSWERED_TENTATIVE
        assert sure_of_nothing.quotes == sure_of_all.quotes


def test_near_misses_are_hedged_far_more_often_than_right_answers(engine):
    """The hard set's answers are all wrong (the documents do not answer those questions);
    sim-dev's right answers should rarely be hedged."""
    near_misses = [a for a in engine.ask_many(_hard_unanswerable()) if a.status == "answered"]
    hedged = sum(a.message == messages.ANSWERED_TENTATIVE for a in near_misses)
    items = [i for i in _dev_items() if i.get("answerable")]
    right = [a for a, i in zip(engine.ask_many([i["question"] for i in items]), items,
                               strict=True)
             if a.status == "answered" and contains_answer(a.quotes[0].text, i["answers"])]
    near_miss_rate = hedged / len(near_misses)
    right_rate = sum(a.message == messages.ANSWERED_TENTATIVE for a in right) / len(right)
    assert near_miss_rate >= 0.15
    # A right answer found with little confidence is hedged too, rightly: about 1 in 10.
    assert right_rate <= 0.15 and 2.5 * right_rate <= near_miss_rate


@pytest.mark.parametrize("question", ["what does HIN stand for?", "who are the HIN"])
def test_an_acronym_with_two_meanings_is_quoted_with_each(engine, question):
    answer = engine.ask(question)
    assert answer.status == "answered"
    quoted = " ".join(q.text.lower() for q in answer.quotes)
    assert "high intensity network" in quoted and "health innovation network" in quoted


def test_an_acronym_glossed_without_brackets_is_answered_with_its_long_form(engine):
    # The chronology gives 'known locally as "SHIPP", Surrey High Intensity Partnership
    # Programme' and never puts either in brackets.
    answer = engine.ask("what does SHIPP stand for")
    assert answer.status == "answered"
    assert "Surrey High Intensity Partnership Programme" in answer.quotes[0].text


def test_a_how_long_question_is_answered_by_a_hyphenated_duration(engine):
    # "an initial 3-day classroom training requirement": a duration without a space.
    answer = engine.ask("how long is the classroom training for new SIM staff")
    assert answer.status == "answered"
    assert "3-day" in answer.quotes[0].text


def test_spellings_of_one_long_form_are_one_meaning(engine):
    assert meanings_asked(("ahsn",), engine.index) == ()  # two spellings, one meaning
    assert {m for _, m in meanings_asked(("hin",), engine.index)} == {
        "high intensity network", "health innovation network"}


@pytest.mark.parametrize(("question", "meant", "other"), [
    ("what is the Health Innovation Network", "Health Innovation Network",
     "High Intensity Network"),
    ("what is the High Intensity Network", "High Intensity Network", "Health Innovation Network"),
])
def test_a_question_that_spells_out_one_meaning_of_hin_gets_that_one(engine, question, meant,
                                                                      other):
    answer = engine.ask(question)
    assert meant in answer.quotes[0].text
    assert not any(other in q.text and meant not in q.text for q in answer.quotes), [
        q.text for q in answer.quotes]


def test_a_bibliography_entry_is_never_a_supporting_quote(engine):
    citation = ("[Internet]", "Available from:", "[accessed")
    questions = [item["question"] for item in _dev_items()] + [
        "Who developed SIM?", "who ran the High Intensity Network"]
    for answer in engine.ask_many(questions):
        for quote in answer.quotes[1:]:
            assert not any(mark in quote.text for mark in citation), (answer.question, quote.text)


def test_directions_to_somewhere_else_are_never_quoted(engine):
    """"Please click here for the SIM London leaflet template." points to a link the quote
    does not carry: it is neither a quote nor part of one."""
    pointers = [unit.text for unit in engine.index.sentences if points_elsewhere(unit)]
    assert "Please click here for the SIM London leaflet template." in pointers
    questions = [item["question"] for item in _dev_items()] + [
        "Could another trust reuse the SIM London leaflet?",
        "What was the AHSN's part in the High Intensity Network's work?",
        "where can I see the SIM London leaflet",
        "where is the AHSN Network response to the review"]
    for answer in engine.ask_many(questions):
        for quote in answer.quotes:
            assert not any(p in quote.text for p in pointers), (answer.question, quote.text)
