"""The HTML evaluation report in real headless Chromium: plots render, the table filters."""

import json
from pathlib import Path

import pytest

from simqa.datasets import load_dataset
from simqa.evaluation import evaluate
from simqa.report_html import write_html
from simqa.reporting import run_dict
from simqa.scoring import score_run
from tests.browser import CHROMIUM
from tests.test_evaluation import ITEMS, ScriptedSystem

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in ITEMS) + "\n", encoding="utf-8")
    run = evaluate(ScriptedSystem(), load_dataset(path), threshold=0.5, progress=False,
                   meta={"model": "scripted", "corpus_version": "v1"})
    out = tmp_path / "report.html"
    write_html(run_dict(run, score_run(run)), out)
    return out


def test_report_shows_plots_and_filters_questions(page, report):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.as_uri())

    for plot in ("plot-types", "plot-sweep", "plot-latency"):
        box = page.locator(f"#{plot}").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 150, plot
    assert page.locator("#plot-types rect.bar").count() >= 5
    assert page.locator("#plot-sweep polyline.curve").count() == 3
    assert page.locator("#plot-sweep-marker").count() == 1
    assert page.locator("#plot-latency rect.bar").count() == 20
    assert page.locator("#summary tbody tr").count() > 10

    rows = page.locator("#items tbody tr")
    assert rows.count() == len(ITEMS)
    assert rows.first.get_attribute("data-failed") == "1"  # failures first
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "eval-report.png"), full_page=True)

    page.check("#filter-failed")
    assert page.locator("#items tbody tr:visible").count() == 4
    assert page.locator("#shown").inner_text() == "4"
    page.uncheck("#filter-failed")
    page.select_option("#filter-status", "crisis")
    assert page.locator("#items tbody tr:visible").count() == 2
    page.select_option("#filter-status", "")
    page.fill("#filter-text", "isle of wight")
    assert page.locator("#items tbody tr:visible").count() == 2  # q2 and q4's related quote

    assert all(u.startswith("file://") for u in requests), requests  # nothing fetched
