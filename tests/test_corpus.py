"""The corpus loader: display text drops markup and page furniture but never changes words."""

from __future__ import annotations

import re

import pytest

from simqa.config import Settings
from simqa.corpus import CorpusError, load_corpus, to_display_text

CORPUS = Settings().corpus_dir


@pytest.fixture(scope="module")
def documents():
    return {d.id: d for d in load_corpus(CORPUS)}


def test_all_five_documents_load_with_their_metadata(documents):
    assert set(documents) == {
        "ahsn-commentary-2023", "ahsn-statements-2021-2022", "ahsn-review-news-2023",
        "stopsim-response-2021", "hin-sim-london-2018",
    }
    stopsim = documents["stopsim-response-2021"].source
    assert stopsim.publisher == "The StopSIM Coalition"
    assert stopsim.date == "2021-05-12"
    assert stopsim.url.startswith("https://stopsim.co.uk/")


def test_html_tags_and_markdown_links_are_gone_but_their_words_stay(documents):
    commentary = documents["ahsn-commentary-2023"].text
    london = documents["hin-sim-london-2018"].text
    assert not re.search(r"</?(p|i)>", commentary)
    assert "](#)" not in london and "[Kings Fund" not in london
    assert "Kings Fund Report, Adoption and Spread of Innovation in the NHS January 2018" in london
    assert "should regularly refresh the purpose of their 'national innovations'" in commentary


def test_markdown_backslash_escapes_show_their_character(documents):
    london = documents["hin-sim-london-2018"].text
    assert "Data Protection Impact Assessment (DPIA)" in london and "\\(" not in london
    assert to_display_text(r"3\*4 \(a\) C:\Users\me").text == r"3*4 (a) C:\Users\me"


def test_table_rows_keep_their_cells_apart(documents):
    commentary = documents["ahsn-commentary-2023"].text
    assert "August 2021\tAHSN Network commissions independent review" in commentary


def test_page_furniture_after_exclude_from_is_cut(documents):
    assert "Until tackling health inequalities" not in documents["ahsn-statements-2021-2022"].text
    assert "Ten principles of health equity" not in documents["ahsn-review-news-2023"].text
    assert "Post Navigation" not in documents["stopsim-response-2021"].text
    assert documents["stopsim-response-2021"].text.endswith("[accessed 11 May 2021].")


def test_every_display_character_maps_back_to_the_same_original_character():
    original = 'A <p><i>cell</i></p> <p>next</p> and [a link](#) and *Review* here.'
    display = to_display_text(original)
    assert display.text == "A cell next and a link and Review here."
    for position, char in enumerate(display.text):
        source_char = original[display.original_offsets[position]]
        assert char == source_char or char == " "


def test_a_folder_of_plain_text_files_needs_no_sources_toml(tmp_path):
    (tmp_path / "first-report.txt").write_text("Alpha is a report.\n", encoding="utf-8")
    (tmp_path / "notes_on_beta.md").write_text("Beta is a note.\n", encoding="utf-8")
    documents = load_corpus(tmp_path)
    assert [d.id for d in documents] == ["first-report", "notes_on_beta"]
    assert documents[0].source.title == "First report"
    assert documents[1].source.title == "Notes on beta"


def test_a_missing_or_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="no .txt or .md"):
        load_corpus(tmp_path)


def test_sources_toml_naming_a_missing_file_is_a_clear_error(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "gone"\ntitle = "Gone"\n')
    with pytest.raises(CorpusError, match="no gone.txt"):
        load_corpus(tmp_path)
