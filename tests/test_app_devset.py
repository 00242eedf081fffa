"""Every sim-dev question through POST /api/ask: each quote is the source's text at its offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SIM_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "sim-dev.jsonl"


def _questions() -> list[str]:
    lines = SIM_DEV.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


@pytest.mark.slow
def test_every_dev_question_quotes_the_source_verbatim(client, check_openapi):
    questions = _questions()
    assert len(questions) >= 50
    texts: dict[str, str] = {}
    statuses = []
    for question in questions:
        response = client.post("/api/ask", json={"question": question})
        assert response.status_code == 200, question
        check_openapi(response, "/api/ask", "post")
        answer = response.get_json()
        statuses.append(answer["status"])
        for quote in answer["quotes"]:
            source_id = quote["source_id"]
            if source_id not in texts:
                source = client.get(f"/api/sources/{source_id}")
                assert source.status_code == 200
                texts[source_id] = source.get_json()["text"]
            assert texts[source_id][quote["start"] : quote["end"]] == quote["text"], question
    assert statuses.count("answered") > len(questions) // 3
