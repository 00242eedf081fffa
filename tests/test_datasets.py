"""Loading simqa JSONL test sets and benchmark folders, with malformed lines reported."""

import json
from pathlib import Path

import pytest

from simqa.datasets import DatasetError, doc_id, load_dataset

SHARED = Path(__file__).resolve().parents[2] / "shared"

GOOD = [
    {"id": "a1", "question": "Who developed SIM?", "answerable": True, "answers": ["Paul Jennings"],
     "evidence": [{"doc": "stopsim-response-2021", "quote": "developed by Paul Jennings"}],
     "type": "who"},
    {"id": "a2", "question": "Who won the World Cup?", "answerable": False, "answers": [],
     "evidence": [], "type": "unanswerable"},
    {"id": "a3", "question": "i want to end it all", "answerable": False, "type": "crisis"},
    {"id": "a4", "question": "hello!", "answerable": False, "type": "chit-chat"},
]


def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def test_loads_simqa_jsonl_with_expected_statuses(tmp_path):
    ds = load_dataset(write_jsonl(tmp_path / "set.jsonl", GOOD))
    assert ds.name == "set" and ds.problems == () and ds.corpus_dir is None
    assert [i.expected_status for i in ds.items] == ["answered", "not_found", "crisis", "smalltalk"]
    first = ds.items[0]
    assert first.answers == ("Paul Jennings",)
    assert first.gold_docs == {"stopsim-response-2021"}
    assert first.line == 1 and first.type == "who"
    assert ds.items[2].is_crisis


MALFORMED = [
    GOOD[0],
    "{not json",
    {"id": "b", "question": "", "answerable": True},
    {"id": "c", "question": "fine?", "answerable": "yes"},
    {"id": "d", "question": "fine?", "answers": "one phrase is accepted"},
    [1, 2],
    {"id": "a1", "question": "duplicate id"},
    {"id": "e", "question": "q", "answerable": False, "answers": ["x"]},
    {"id": "f", "question": "q", "evidence": [{"quote": "no doc"}]},
    {"id": "g", "question": "q", "doc": "x.txt", "answer_spans": [[5, 2]]},
    {"id": "h", "question": "q", "relevant_docs": {"MED-1.txt": "high"}},
    {"id": "i", "question": "q", "expected_status": "maybe", "answerable": False},
    "",
    {"id": "j", "question": "last good one"},
]


def test_malformed_lines_are_reported_with_file_and_line_and_skipped(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", MALFORMED)
    ds = load_dataset(path)
    assert [i.id for i in ds.items] == ["a1", "d", "j"]
    assert ds.items[1].answers == ("one phrase is accepted",)
    lines = [p.line for p in ds.problems]
    assert lines == [2, 3, 4, 6, 7, 8, 9, 10, 11, 12]
    rendered = [str(p) for p in ds.problems]
    assert rendered[0].startswith(f"{path}:2: not valid JSON")
    assert "duplicate id 'a1' (first on line 1)" in rendered[4]
    assert "'answerable' must be true or false" in rendered[2]


def test_strict_refuses_a_file_with_any_malformed_line(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", MALFORMED)
    with pytest.raises(DatasetError) as info:
        load_dataset(path, strict=True)
    message = str(info.value)
    assert "10 malformed line(s)" in message and f"{path}:12:" in message


def test_missing_and_empty_inputs(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "nope.jsonl")
    with pytest.raises(DatasetError, match="no questions.jsonl"):
        load_dataset(tmp_path)
    empty = write_jsonl(tmp_path / "empty.jsonl", [])
    assert load_dataset(empty).problems[0].message == "the file holds no items"
    with pytest.raises(DatasetError):
        load_dataset(empty, strict=True)


def test_benchmark_folder_finds_questions_and_corpus(tmp_path):
    (tmp_path / "bench" / "corpus").mkdir(parents=True)
    (tmp_path / "bench" / "corpus" / "12-some-paper.txt").write_text("Title\n\nBody.")
    write_jsonl(tmp_path / "bench" / "questions.jsonl", [
        {"id": "7", "question": "What?", "answerable": True, "answers": ["Body."],
         "doc": "12-some-paper.txt", "context_doc": "12-some-paper.txt", "answer_spans": [[7, 12]]},
        {"id": "PLAIN-1", "question": "Statins?", "answers": [], "doc": "MED-10.txt",
         "relevant_docs": {"MED-10.txt": 2, "MED-11.txt": 1, "MED-12.txt": 0}},
    ])
    ds = load_dataset(tmp_path / "bench")
    assert ds.name == "bench"
    assert ds.corpus_dir == str((tmp_path / "bench" / "corpus").resolve())
    qa, retrieval = ds.items
    assert qa.spans[0].doc == "12-some-paper" and (qa.spans[0].start, qa.spans[0].end) == (7, 12)
    assert qa.spans[0].text == "Body."
    assert qa.gold_docs == {"12-some-paper"}
    assert retrieval.relevant_docs == (("MED-10", 2), ("MED-11", 1))
    assert retrieval.gold_docs == {"MED-10", "MED-11"}
    # pointing at the questions file itself finds the same corpus
    assert load_dataset(tmp_path / "bench" / "questions.jsonl").corpus_dir == ds.corpus_dir


def test_doc_id_is_the_file_stem():
    assert doc_id("630-foo.txt") == "630-foo"
    assert doc_id("corpus/MED-1.txt") == "MED-1"
    assert doc_id("stopsim-response-2021") == "stopsim-response-2021"


def test_limited_keeps_the_first_items(tmp_path):
    ds = load_dataset(write_jsonl(tmp_path / "set.jsonl", GOOD))
    assert [i.id for i in ds.limited(2).items] == ["a1", "a2"]
    assert ds.limited(None) is ds


@pytest.mark.skipif(not (SHARED / "eval").is_dir(), reason="../shared not present")
def test_shared_sets_load_cleanly():
    dev = load_dataset(SHARED / "eval" / "sim-dev.jsonl", strict=True)
    assert len(dev.items) == 60
    assert sum(i.is_crisis for i in dev.items) == 3
    covid = load_dataset(SHARED / "benchmarks" / "covidqa", strict=True)
    assert len(covid.items) == 1380 and all(i.spans for i in covid.items)
    nf = load_dataset(SHARED / "benchmarks" / "nfcorpus", strict=True)
    assert len(nf.items) == 323 and all(i.relevant_docs for i in nf.items)
