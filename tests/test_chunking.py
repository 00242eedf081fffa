"""Units and passages: exact offsets, and splitting that copes with this corpus's layout."""

from __future__ import annotations

import pytest

from simqa.chunking import split_document, split_sentences
from simqa.config import Settings
from simqa.corpus import load_corpus
from simqa.records import Document, Source


@pytest.fixture(scope="module")
def split():
    result = {}
    for document in load_corpus(Settings().corpus_dir):
        result[document.id] = (document, *split_document(document))
    return result


def test_every_unit_and_passage_is_exactly_its_span_of_the_display_text(split):
    for document, sentences, passages in split.values():
        assert sentences and passages
        for unit in [*sentences, *passages]:
            assert document.text[unit.start : unit.end] == unit.text
            assert unit.text == unit.text.strip()
        covered = {sid for p in passages for sid in p.sentence_ids}
        assert covered == {s.id for s in sentences}


def _units(split, doc_id):
    return split[doc_id][1]


def _unit_containing(split, doc_id, words):
    return next(s for s in _units(split, doc_id) if words in s.text)


def test_abbreviations_and_initials_do_not_end_a_sentence(split):
    unit = _unit_containing(split, "ahsn-commentary-2023", "(e.g. for establishing")
    assert unit.text.startswith("AHSNs should be clear")  # a table row, whole


def test_chronology_rows_are_single_units_with_their_date(split):
    row = _unit_containing(split, "ahsn-commentary-2023", "commissions independent review")
    assert row.kind == "row"
    assert row.text.startswith("31\tAugust 2021") or "August 2021\t" in row.text


def test_headings_and_contents_lines_are_marked_unquotable(split):
    london = _units(split, "hin-sim-london-2018")
    contents = [s for s in london if s.text.startswith("Executive Summary\t")]
    assert contents and all(s.kind == "toc" and not s.quotable for s in contents)
    heading = next(s for s in london if s.text == "Funding Source")
    assert heading.kind == "heading" and not heading.quotable
    after = _unit_containing(split, "hin-sim-london-2018", "main cost to implement SIM")
    assert after.heading == "Funding Source"
    # A short line ending in an acronym in brackets is a title, not a sentence.
    for title in ("General Data Protection Regulations (GDPR)",
                  "Data Protection Impact Assessment (DPIA)"):
        assert all(not s.quotable for s in london if s.text == title), title
    assert any(s.text == "Data Protection Impact Assessment (DPIA)" for s in london)


def test_a_tables_row_of_column_names_is_not_quotable(split):
    commentary = _units(split, "ahsn-commentary-2023")
    for names in ("Ref\tDate\tDescriptor\tDetail", "Review recommendation\tAHSN Action taken"):
        header = next(s for s in commentary if s.text == names)
        assert not header.quotable
    row = _unit_containing(split, "ahsn-commentary-2023", "commissions independent review")
    assert row.quotable and row.heading != "Ref\tDate\tDescriptor\tDetail"


def test_a_title_page_credit_is_quotable_not_a_heading(split):
    """"Who wrote the SIM London report?" is answered by its title page."""
    london = _units(split, "hin-sim-london-2018")
    credits = [s for s in london if s.text in ("Aileen Jackson - Head of Mental Health",
                                               "Josh Brewster - Project Manager")]
    assert len(credits) == 2 and all(s.quotable for s in credits)


def test_bullets_are_their_own_units(split):
    bullet = _unit_containing(split, "hin-sim-london-2018", "Boots on the ground")
    assert bullet.kind == "bullet" and bullet.text == "- Boots on the ground"


def test_lead_ins_ending_in_a_colon_are_marked(split):
    lead = _unit_containing(split, "ahsn-commentary-2023", "this includes:")
    assert lead.kind == "lead_in"


def test_numbered_sections_are_not_split_at_their_numbers(split):
    unit = _unit_containing(split, "ahsn-commentary-2023", "1.1 In 2017/18")
    assert "seven national spread programmes" in unit.text


def test_a_numbered_section_title_is_one_heading_over_its_section(split):
    commentary = _units(split, "ahsn-commentary-2023")
    for title in ("1. Background", "5. Conclusions"):
        heading = next(s for s in commentary if s.text == title)
        assert heading.kind == "heading" and not heading.quotable
    assert not any(s.quotable and s.text in ("1.", "Background") for s in commentary)
    unit = _unit_containing(split, "ahsn-commentary-2023", "1.2 During 2021 SIM attracted")
    assert unit.heading == "1. Background"
    # A numbered footnote is still a reference, not a heading.
    footnote = _unit_containing(split, "stopsim-response-2021", "1. NHS responses were received")
    assert footnote.quotable


def test_curly_quotes_and_non_breaking_spaces():
    text = "He said “It works.” Then\u00a0it stopped. Dr. Smith agreed. See p. 4 of the plan."
    spans = [text[s:e] for s, e in split_sentences(text, 0, len(text))]
    assert spans == ["He said “It works.”", "Then\u00a0it stopped.", "Dr. Smith agreed.",
                     "See p. 4 of the plan."]


def test_a_document_without_full_stops_still_splits_into_units():
    document = Document(Source(id="d", title="D"), "Title line\nsome words without a stop", "x")
    sentences, passages = split_document(document)
    assert [s.text for s in sentences] == ["Title line", "some words without a stop"]
    assert len(passages) >= 1


def test_a_sentence_broken_off_at_a_page_break_is_one_unit(split):
    unit = _unit_containing(split, "ahsn-commentary-2023", "proof of concept and then the")
    assert unit.text.endswith("further stage of its 'spread'.")
    text = ("The board agreed to fund the\n\nnew service in May. It started in June.\n\n"
            "Funding\nnone")
    document = Document(Source(id="d", title="D"), text, "x")
    sentences, _ = split_document(document)
    assert [s.text for s in sentences] == [
        "The board agreed to fund the\n\nnew service in May.", "It started in June.",
        "Funding", "none"]


def test_a_documents_own_title_is_a_heading_however_long(split):
    document, sentences, _ = split["stopsim-response-2021"]
    title = sentences[0]
    assert len(title.text.split()) > 14 and title.text.startswith("Response To NHS England")
    assert title.kind == "heading" and not title.quotable
