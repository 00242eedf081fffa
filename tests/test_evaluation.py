"""The harness and its outputs on a scripted system whose every answer is known in advance."""

import csv
import json
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from simqa.datasets import load_dataset
from simqa.evaluation import evaluate
from simqa.records import Answer, Quote
from simqa.report_html import render
from simqa.reporting import (
    check_bounds,
    compare,
    comparison_summary,
    parse_bounds,
    run_dict,
    terminal_summary,
    write_csv,
)
from simqa.scoring import score_run

from .paths import SIM_DEV


def approx(value):
    return pytest.approx(value, abs=1e-6)  # the JSON rounds to 6 decimals

TEXTS = {
    "doc-a": "SIM was developed by Paul Jennings. It started on the Isle of Wight in 2013.",
    "doc-b": "The StopSIM Coalition opposed SIM. Police were embedded in teams.",
}

ITEMS = [
    {"id": "q1", "question": "who developed SIM", "answers": ["developed by Paul Jennings"],
     "evidence": [{"doc": "doc-a", "quote": "SIM was developed by Paul Jennings."}], "type": "who"},
    {"id": "q2", "question": "where did SIM start", "answers": ["Isle of Wight"],
     "evidence": [{"doc": "doc-a", "quote": "It started on the Isle of Wight in 2013."}],
     "type": "where"},
    {"id": "q3", "question": "who opposed SIM", "answers": ["StopSIM Coalition"],
     "evidence": [{"doc": "doc-b", "quote": "x"}], "type": "who"},
    {"id": "q4", "question": "what did it cost", "answerable": False, "type": "unanswerable"},
    {"id": "q5", "question": "who won the cup", "answerable": False, "type": "unanswerable"},
    {"id": "q6", "question": "i want to die", "answerable": False, "type": "crisis"},
    {"id": "q7", "question": "hello", "answerable": False, "type": "chit-chat"},
]


def quote(doc: str, phrase: str, score: float, role: str = "answer", text: str | None = None):
    start = TEXTS[doc].index(phrase)
    return Quote(doc, start, start + len(phrase), phrase if text is None else text, score,
                 role=role)


SCRIPT = {
    # right at rank 1
    "who developed SIM": Answer("answered", "", "", (
        quote("doc-a", "SIM was developed by Paul Jennings.", 0.9),)),
    # right at rank 2, wrong document first
    "where did SIM start": Answer("answered", "", "", (
        quote("doc-b", "Police were embedded in teams.", 0.7),
        quote("doc-a", "It started on the Isle of Wight in 2013.", 0.6, "support"))),
    # wrongly abstained; its related quote would have been right
    "who opposed SIM": Answer("not_found", "", "", (
        quote("doc-b", "The StopSIM Coalition opposed SIM.", 0.4, "related"),)),
    # correct abstention
    "what did it cost": Answer("not_found", "", "", (
        quote("doc-a", "It started on the Isle of Wight in 2013.", 0.3, "related"),)),
    # a confident wrong answer, and its quote is not verbatim
    "who won the cup": Answer("answered", "", "", (
        quote("doc-b", "Police were embedded in teams.", 0.8, text="Police won."),)),
    "i want to die": Answer("crisis", "", ""),
    "hello": Answer("crisis", "", ""),  # a crisis false positive
}


class ScriptedSystem:
    def ask(self, question):
        return SCRIPT[question]

    def source(self, doc_id):
        return SimpleNamespace(text=TEXTS[doc_id])


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in ITEMS) + "\n", encoding="utf-8")
    return load_dataset(path)


@pytest.fixture
def data(dataset):
    run = evaluate(ScriptedSystem(), dataset, threshold=0.5, progress=False,
                   meta={"model": "scripted", "corpus_version": "v1"})
    return run_dict(run, score_run(run))


def test_metrics_on_the_scripted_run(data):
    got = data["metrics"]
    assert got["answer@1"] == approx(1 / 3)
    assert got["answer@3"] == approx(2 / 3)
    assert got["mrr"] == approx((1 + 0.5) / 3)
    assert got["source@1"] == approx(1 / 3)
    assert got["abstention"] == 0.5
    assert got["wrongly_abstained"] == approx(1 / 3)
    # abstained on q3 (wrong) and q4 (right): precision 1/2, recall 1/2
    assert got["abstention_precision"] == 0.5 and got["abstention_f1"] == 0.5
    assert got["crisis_recall"] == 1.0
    assert got["crisis_fpr"] == approx(1 / 6)
    assert got["verbatim"] == approx(5 / 6)  # 6 quotes, one not verbatim
    assert got["status_accuracy"] == approx(4 / 7)
    assert got["quote_length"] == approx((35 + 30 + 11) / 3)
    assert "coverage" not in got and "recall@10" not in got  # nothing to measure them on
    assert data["counts"]["answer@1"] == 3 and data["counts"]["abstention"] == 2


def test_per_type_breakdown_and_failures(data):
    assert data["type_counts"] == {"chit-chat": 1, "crisis": 1, "unanswerable": 2,
                                   "where": 1, "who": 2}
    assert data["by_type"]["who"]["answer@1"] == 0.5
    assert data["by_type"]["chit-chat"]["status_accuracy"] == 0.0
    failed = {i["id"] for i in data["items"] if i["failed"]}
    assert failed == {"q2", "q3", "q5", "q7"}


def test_threshold_sweep_marks_the_configured_threshold(data):
    sweep = data["sweep"]
    assert sweep["configured_threshold"] == 0.5
    at = {r["threshold"]: r for r in sweep["rows"]}
    # answered iff top score >= 0.5: q1 right, q2 wrong top quote, q3 abstained
    assert at[0.5]["answer_accuracy"] == approx(1 / 3)
    assert at[0.5]["abstention_accuracy"] == 0.5  # q4 abstained, q5 (0.8) answered
    # at 0 every related quote counts as answered: q3's related quote is right
    assert at[0.0]["answer_accuracy"] == approx(2 / 3)
    assert at[0.0]["abstention_accuracy"] == 0.0


def test_terminal_summary_names_metrics_and_types(data):
    text = terminal_summary(data)
    assert "answer@1" in text and "0.333" in text
    assert "crisis_fpr" in text and "unanswerable" in text
    assert "4 of 7 questions failed" in text


def test_csv_has_one_row_per_question(data, tmp_path):
    write_csv(data, tmp_path / "r.csv")
    with open(tmp_path / "r.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [i["id"] for i in ITEMS]
    q2 = rows[1]
    assert q2["quote1_source"] == "doc-b" and q2["quote2_source"] == "doc-a"
    assert int(q2["quote2_start"]) == TEXTS["doc-a"].index("It started")
    assert q2["answer@1"] == "0.0" and q2["answer@3"] == "1.0"
    assert q2["gold_answers"] == "Isle of Wight" and q2["gold_docs"] == "doc-a"
    assert rows[5]["answer@1"] == "" and rows[5]["crisis_recall"] == "1.0"


def test_bounds_parse_and_fail_by_name(data):
    bounds = parse_bounds("answer@1=0.3, abstention=0.9 ,wrongly_abstained=0.05,crisis_fpr<=0.2")
    assert [str(b) for b in bounds] == ["answer@1 >= 0.3", "abstention >= 0.9",
                                        "wrongly_abstained <= 0.05", "crisis_fpr <= 0.2"]
    failures = check_bounds(data["metrics"], bounds)
    assert len(failures) == 2
    assert failures[0].startswith("abstention = 0.500, wanted abstention >= 0.9")
    assert failures[1].startswith("wrongly_abstained = 0.333")
    assert check_bounds(data["metrics"], parse_bounds("ndcg=0.3"))[0].startswith(
        "ndcg@10 was not measured")
    with pytest.raises(KeyError, match="unknown metric 'acc'"):
        parse_bounds("acc=1")
    with pytest.raises(ValueError, match="cannot read bound"):
        parse_bounds("answer@1>0.8")


def test_baseline_comparison_lists_better_and_worse(data):
    old = json.loads(json.dumps(data))
    old["metrics"]["answer@1"] = 0.5
    for item in old["items"]:
        if item["id"] == "q2":
            item["failed"] = False
        if item["id"] == "q1":
            item["failed"] = True
    diff = compare(old, data)
    assert diff["metrics"]["answer@1"]["delta"] == approx(1 / 3 - 0.5)
    assert [e["id"] for e in diff["better"]] == ["q1"]
    assert [e["id"] for e in diff["worse"]] == ["q2"]
    text = comparison_summary(diff)
    assert "worse" in text and "q2: where did SIM start" in text
    with pytest.raises(ValueError):
        compare({"metrics": {}}, data)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.external, self.rows = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("src", "href"):
            if attrs.get(key) and not attrs[key].startswith("#"):
                self.external.append(attrs[key])
        if tag == "tr" and "data-status" in attrs:
            self.rows += 1


def test_html_report_is_self_contained_with_plots_and_table(data):
    html = render(data, compare(data, data))
    parser = _Collector()
    parser.feed(html)
    assert {"plot-types", "plot-sweep", "plot-latency", "plot-sweep-marker", "items",
            "summary", "comparison", "filter-text", "by-type"} <= parser.ids
    assert parser.external == []
    assert parser.rows == len(ITEMS)
    assert "NOT VERBATIM" in html
    # failures come first in the table
    assert html.index("<code>q2</code>") < html.index("<code>q1</code>")


def test_results_are_deterministic(dataset):
    def metrics():
        run = evaluate(ScriptedSystem(), dataset, threshold=0.5, progress=False)
        scored = run_dict(run, score_run(run))
        return {k: v for k, v in scored["metrics"].items() if not k.startswith("latency")}

    assert metrics() == metrics()


def test_baseline_sentence_splitter_keeps_offsets():
    from simqa.baselines import split_sentences

    text = "Title line\n\nFirst one. Second (2013) one! \u201cThird\u201d? fourth stays.\n  Last"
    spans = split_sentences(text)
    pieces = [text[s:e] for s, e in spans]
    assert pieces == ["Title line", "First one.", "Second (2013) one!",
                      "\u201cThird\u201d? fourth stays.", "Last"]


def test_a_question_that_raises_is_a_failed_result_not_a_crash(dataset):
    class Flaky(ScriptedSystem):
        def ask(self, question):
            if question == "hello":
                raise ValueError("question too long")
            return super().ask(question)

    run = evaluate(Flaky(), dataset, progress=False)
    data = run_dict(run, score_run(run))
    hello = next(i for i in data["items"] if i["id"] == "q7")
    assert hello["status"] == "error" and hello["failed"]
    assert hello["message"] == "ValueError: question too long"
    assert len(data["items"]) == len(ITEMS)
    assert "1 question(s) raised an error, e.g. q7: ValueError" in terminal_summary(data)


def test_batched_evaluation_scores_the_engine_as_asking_one_by_one(engine):
    dataset = load_dataset(SIM_DEV).limited(20)
    one_by_one = evaluate(engine, dataset, progress=False, batch_size=1)
    batched = evaluate(engine, dataset, progress=False, batch_size=8)
    for alone, together in zip(one_by_one.results, batched.results, strict=True):
        assert together.status == alone.status
        assert [q.text for q in together.quotes] == [q.text for q in alone.quotes]
        assert together.seconds > 0
