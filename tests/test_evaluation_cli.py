"""`simqa eval` end to end with the real engine and model on a tiny corpus and test set."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simqa.eval_cli import corpus_hash, eval_command

DOCS = {
    "lighthouse-keepers": (
        "Lighthouse Keepers of the North Coast\n\n"
        "The Harwick lighthouse was built in 1872 by the engineer Margaret Ellison. "
        "It stands on a granite ledge forty metres above the sea.\n\n"
        "Keepers worked in shifts of four hours. The last keeper, Tomas Reyes, left the "
        "station in 1991 when the light was automated.\n\n"
        "The lamp burned paraffin until 1950, when it was converted to electricity."
    ),
    "tide-mills": (
        "Tide Mills in <b>Estuaries</b>\n\n"
        "A tide mill stores sea water in a pond at high tide and releases it through a "
        "water wheel as the tide falls. The Eling tide mill has ground flour since the 1780s.\n\n"
        "Tide mills fell out of use when steam mills became cheaper in the nineteenth century."
    ),
}

QUESTIONS = [
    {"id": "1", "question": "Who built the Harwick lighthouse?", "answerable": True,
     "answers": ["Margaret Ellison"], "doc": "lighthouse-keepers.txt",
     "answer_spans": None, "relevant_docs": {"lighthouse-keepers.txt": 2}},
    {"id": "2", "question": "When was the lamp converted to electricity?", "answerable": True,
     "answers": ["converted to electricity"], "doc": "lighthouse-keepers.txt",
     "relevant_docs": {"lighthouse-keepers.txt": 2}},
    {"id": "3", "question": "How does a tide mill store sea water?", "answerable": True,
     "answers": ["stores sea water in a pond at high tide"], "doc": "tide-mills.txt",
     "relevant_docs": {"tide-mills.txt": 2, "lighthouse-keepers.txt": 1}},
]


def _spans(question: dict) -> dict:
    text = DOCS[question["doc"][:-4]]
    start = text.index(question["answers"][0])
    question = {k: v for k, v in question.items() if v is not None}
    question["answer_spans"] = [[start, start + len(question["answers"][0])]]
    return question


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    (root / "corpus").mkdir()
    for name, text in DOCS.items():
        (root / "corpus" / f"{name}.txt").write_text(text, encoding="utf-8")
    lines = [json.dumps(_spans(q)) for q in QUESTIONS] + ["{broken", json.dumps(
        {"id": "4", "question": "What is the capital of Peru?", "answerable": False})]
    (root / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {"SIMQA_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}


@pytest.fixture(scope="module")
def simqa_run(bench, env, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(eval_command, [
        str(bench), "--quiet", "--json", str(out / "r.json"), "--csv", str(out / "r.csv"),
        "--report", str(out / "r.html")], env=env)
    return result, out


def test_benchmark_folder_runs_against_its_own_corpus(simqa_run, bench, env):
    result, out = simqa_run
    assert result.exit_code == 0, result.output
    assert "questions.jsonl:4: not valid JSON" in result.output
    data = json.loads((out / "r.json").read_text())
    assert data["dataset"]["items"] == 4
    assert data["meta"]["corpus_dir"] == str(bench / "corpus")
    index_dir = Path(env["SIMQA_CACHE_DIR"]) / f"index-{corpus_hash(bench / 'corpus')}"
    assert data["meta"]["index_dir"] == str(index_dir) and index_dir.is_dir()
    for key in ("simqa_version", "git_commit", "model", "corpus_version", "settings", "duration_s",
                "batch_size"):
        assert data["meta"][key], key
    metrics = data["metrics"]
    assert metrics["verbatim"] == 1.0
    for key in ("answer@1", "coverage", "coverage@0.5", "source@1", "recall@10", "ndcg@10",
                "abstention", "latency_p50"):
        assert key in metrics, key
    assert metrics["recall@10"] == 1.0  # two documents: both are always in the top 10
    assert data["meta"]["document_ranking"] == ["rank_documents"]  # the engine's own ranking
    assert metrics["answer@3"] >= 2 / 3


def test_gold_spans_are_mapped_past_stripped_markup(simqa_run):
    _, out = simqa_run
    data = json.loads((out / "r.json").read_text())
    tide = next(i for i in data["items"] if i["id"] == "3")
    span = tide["gold"]["spans"][0]
    # "<b>" and "</b>" are stripped from the display text: the span moves 7 characters left
    original = DOCS["tide-mills"].index("stores sea water")
    assert (span["start"], span["end"]) == (original - 7, original - 7 + 39)


def test_csv_and_html_are_written(simqa_run):
    _, out = simqa_run
    with open(out / "r.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    html = (out / "r.html").read_text()
    assert 'id="plot-sweep"' in html and "<script src" not in html


def test_fail_under_names_the_metric_and_exits_1(bench, env, tmp_path):
    result = CliRunner().invoke(eval_command, [
        str(bench), "--quiet", "--json", str(tmp_path / "r.json"),
        "--fail-under", "verbatim=1.0,answer@1=1.01"], env=env)
    assert result.exit_code == 1
    assert "FAIL: answer@1 =" in result.output and "wanted answer@1 >= 1.01" in result.output
    assert "FAIL: verbatim" not in result.output
    again = CliRunner().invoke(eval_command, [
        str(bench), "--quiet", "--baseline", str(tmp_path / "r.json"), "--fail-under",
        "verbatim=1"], env=env)
    assert again.exit_code == 0, again.output
    assert "compared with baseline" in again.output and "0 question(s) got worse" in again.output


def test_strict_refuses_and_bad_bounds_are_usage_errors(bench, env):
    strict = CliRunner().invoke(eval_command, [str(bench), "--strict"], env=env)
    assert strict.exit_code == 1 and "questions.jsonl:4" in strict.output
    bad = CliRunner().invoke(eval_command, [str(bench), "--fail-under", "nonsense=1"], env=env)
    assert bad.exit_code == 2 and "unknown metric 'nonsense'" in bad.output


@pytest.mark.parametrize("system", ["bm25", "dense"])
def test_baselines_go_through_the_same_metrics(bench, env, tmp_path, system):
    result = CliRunner().invoke(eval_command, [
        str(bench), "--quiet", "--system", system, "--json", str(tmp_path / "b.json")], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "b.json").read_text())
    assert data["system"] == system and data["metrics"]["verbatim"] == 1.0
    assert data["metrics"]["abstention"] == 0.0  # baselines always answer
    assert data["metrics"]["answer@3"] >= 2 / 3
    rerun = CliRunner().invoke(eval_command, [
        str(bench), "--quiet", "--system", system, "--json", str(tmp_path / "c.json")], env=env)
    again = json.loads((tmp_path / "c.json").read_text())
    assert rerun.exit_code == 0 and _quality(again) == _quality(data)


def _quality(data: dict) -> dict:
    return {k: v for k, v in data["metrics"].items() if not k.startswith("latency")}
