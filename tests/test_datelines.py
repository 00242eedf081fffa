"""A quote from a page of dated statements carries the date of its own statement."""

from __future__ import annotations

import json

import pytest

from simqa.datelines import heading_date

from .paths import SIM_DEV

STATEMENTS = "ahsn-statements-2021-2022"
DATED = {"7 October 2022": "2022-10-07", "5 August 2022": "2022-08-05",
         "18 June 2021": "2021-06-18"}


@pytest.mark.parametrize(("text", "date"), [
    ("18 June 2021", "2021-06-18"), ("7 Oct 2022", "2022-10-07"), ("June 2018", "2018-06"),
    ("Background", None), ("18 June 2021 statement", None), ("2021", None)])
def test_only_a_heading_that_is_a_date_gives_one(text, date):
    assert heading_date(text) == date


def test_each_quote_from_the_statements_page_is_dated_by_its_statement(engine):
    text = engine.source(STATEMENTS).text
    questions = [json.loads(line)["question"] for line in SIM_DEV.read_text().splitlines()]
    questions += ["when did the AHSN Network first say it would commission a review?",
                  "what did the network say in August 2022 about SIM?",
                  "why did the AHSN Network delay publishing its review?"]
    dated = set()
    for answer in engine.ask_many(questions):
        for quote in answer.quotes:
            if quote.source_id != STATEMENTS:
                continue
            above = max((text.rfind(line, 0, quote.start), line) for line in DATED)
            assert above[0] >= 0 and quote.date == DATED[above[1]], quote
            dated.add(quote.date)
    assert len(dated) >= 2


def test_a_quote_from_an_undated_source_keeps_the_source_date(engine):
    answer = engine.ask("What did the StopSIM Coalition ask NHS England to do?")
    stopsim = [q for q in answer.quotes if q.source_id == "stopsim-response-2021"]
    assert stopsim and all(
        q.date == engine.source("stopsim-response-2021").source.date for q in stopsim)
