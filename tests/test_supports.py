"""Supporting quotes add what the answer does not already say."""

from __future__ import annotations

import numpy as np

from simqa.extraction import Span
from simqa.supports import pick_supports


def _span(unit: int) -> Span:
    return Span("doc", unit * 10, unit * 10 + 5, f"unit {unit}", (unit,))


def test_a_near_copy_of_the_answer_gives_way_to_a_quote_saying_something_else() -> None:
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    answer = (_span(0), 10.0)
    pool = [(_span(1), 9.5), (_span(2), 9.0), (_span(3), 8.9)]
    picked = pick_supports([answer], pool, vectors, count=3)
    assert [span.sentence_ids[0] for span, _ in picked] == [0, 2, 3]  # not the near copy, 1


def test_without_diversity_the_ranking_order_stands() -> None:
    vectors = np.eye(4, dtype=np.float32)
    pool = [(_span(1), 9.5), (_span(2), 9.0), (_span(3), 8.9)]
    picked = pick_supports([(_span(0), 10.0)], pool, vectors, count=3, diversity=0.0)
    assert [span.sentence_ids[0] for span, _ in picked] == [0, 1, 2]


def test_no_more_than_asked_and_never_twice() -> None:
    vectors = np.eye(4, dtype=np.float32)
    answer = (_span(0), 10.0)
    picked = pick_supports([answer], [answer, (_span(1), 9.0)], vectors, count=3)
    assert picked == [answer, (_span(1), 9.0)]


def test_each_publisher_is_opposed_by_the_one_whose_perspective_shares_least_with_its():
    from simqa.records import Source
    from simqa.supports import opposed_publishers

    network = Source("a", "A", "The Network", "NHS innovation network (supported SIM)")
    region = Source("b", "B", "The Region", "NHS innovation network implementing SIM in London")
    campaign = Source("c", "C", "The Campaign", "campaign coalition of service users (opposed SIM)")
    opposed = opposed_publishers([network, region, campaign])
    assert opposed["The Network"] == "The Campaign" and opposed["The Region"] == "The Campaign"
    assert opposed_publishers([network, Source("d", "D", "Unstated")]) == {}
