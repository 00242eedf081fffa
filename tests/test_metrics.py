"""Each metric on tiny hand-made tables whose right answers can be checked by eye."""

import math

import pytest

from simqa import metrics as m


def test_normalize_ignores_case_whitespace_and_quote_marks():
    text = "  The \u201cFrequent\u00a0Attender\u201d\n list "
    assert m.normalize(text) == 'the "frequent attender" list'
    assert m.normalize("NHS England\u2019s review") == m.normalize("nhs england's   REVIEW")


@pytest.mark.parametrize(
    ("quote", "answers", "expected"),
    [
        ("Initiated by Professor Tim Kendall.", ["initiated by professor tim kendall"], True),
        ("the  ‘frequent attender’ label", ["'frequent attender'"], True),
        ("undertaken by\nNorth   Thames", ["undertaken by North Thames"], True),
        ("no gold phrase here", ["North Thames"], False),
        ("anything", [], False),
        ("anything", [""], False),
    ],
)
def test_contains_answer(quote, answers, expected):
    assert m.contains_answer(quote, answers) is expected


def test_answer_at_k_and_mrr():
    quotes = [["x A y", "b"], ["c", "has B"], ["d", "e", "f C"], []]
    golds = [["a"], ["b"], ["c"], ["z"]]
    at1 = m.answer_at_k(quotes, golds, 1)
    assert at1["individual_scores"] == [1.0, 0.0, 0.0, 0.0]
    assert at1["score"] == 0.25
    at3 = m.answer_at_k(quotes, golds, 3)
    assert at3["individual_scores"] == [1.0, 1.0, 1.0, 0.0]
    mrr = m.mean_reciprocal_rank(quotes, golds)
    assert mrr["individual_scores"] == [1.0, 0.5, pytest.approx(1 / 3), 0.0]
    assert mrr["score"] == pytest.approx((1 + 0.5 + 1 / 3) / 4)


def test_source_at_1():
    result = m.source_at_1(["a", "b", None], [["a", "c"], ["c"], ["a"]])
    assert result["individual_scores"] == [1.0, 0.0, 0.0]
    assert result["score"] == pytest.approx(1 / 3)


def test_interval_coverage_table():
    assert m.interval_coverage((0, 10), [(0, 10)]) == 1.0
    assert m.interval_coverage((5, 20), [(0, 10)]) == 0.5
    assert m.interval_coverage((20, 30), [(0, 10)]) == 0.0
    assert m.interval_coverage(None, [(0, 10)]) == 0.0
    assert m.interval_coverage((0, 5), [(0, 10), (20, 30)]) == 0.25


def test_span_coverage_reports_mean_and_share_at_threshold():
    result = m.span_coverage([(0, 10), (5, 20), None, (0, 4)], [[(0, 10)]] * 4)
    assert result["individual_scores"] == [1.0, 0.5, 0.0, 0.4]
    assert result["score"] == pytest.approx(0.475)
    assert result["at_threshold"] == 0.5  # 1.0 and 0.5 reach 0.5


def test_word_coverage_counts_gold_words_with_multiplicity():
    assert m.word_coverage("The cat sat.", "the cat") == 1.0
    assert m.word_coverage("the cat", "the the cat dog") == 0.5
    assert m.word_coverage("", "gold") == 0.0
    assert m.word_coverage("x", "") == 0.0
    result = m.gold_words_covered(["MTCT is the main cause", None, "unrelated"],
                                  [["Mother-to-child transmission (MTCT) is the main cause"],
                                   ["a"], ["b c"]])
    # 5 of 8 gold words in the first quote
    assert result["individual_scores"] == [1.0, 0.0, 0.0]


def test_mean_length():
    assert m.mean_length(["ab", "abcd"])["score"] == 3.0
    assert m.mean_length([])["score"] == 0.0


def test_abstention_table():
    # answerable:   T     T     F     F     F
    # abstained:    F     T     T     T     F
    result = m.abstention([False, True, True, True, False], [True, True, False, False, False])
    assert result["correct_abstention"]["score"] == pytest.approx(2 / 3)
    assert result["wrongly_abstained"]["score"] == 0.5
    assert result["abstention_precision"]["score"] == pytest.approx(2 / 3)
    assert result["abstention_recall"]["score"] == pytest.approx(2 / 3)
    assert result["abstention_f1"]["score"] == pytest.approx(2 / 3)
    assert result["abstention_f1"]["individual_scores"] == [1.0, 0.0, 1.0, 1.0, 0.0]


def test_abstention_with_nothing_to_abstain_on_is_zero_not_an_error():
    result = m.abstention([False], [True])
    assert result["abstention_precision"]["score"] == 0.0
    assert result["correct_abstention"]["n"] == 0


def test_crisis_recall_and_false_positive_rate():
    result = m.crisis(["crisis", "not_found", "crisis", "answered"], [True, True, False, False])
    assert result["crisis_recall"]["score"] == 0.5
    assert result["crisis_false_positive_rate"]["score"] == 0.5


def test_status_accuracy():
    assert m.status_accuracy(["smalltalk", "answered"], ["smalltalk", "smalltalk"])["score"] == 0.5


def test_verbatim_counts_quotes_and_items():
    result = m.verbatim([[True, True], [True, False], []])
    assert result["score"] == 0.75
    assert result["individual_scores"] == [1.0, 0.0, 1.0]
    assert m.verbatim([[], []])["score"] == 1.0


def test_percentile_matches_linear_interpolation():
    assert m.percentile([1, 2, 3, 4], 50) == 2.5
    assert m.percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert m.percentile([7], 95) == 7
    assert m.percentile([], 50) == 0.0
    lat = m.latency([0.1, 0.3, 0.2])
    assert lat["p50"] == 0.2 and lat["max"] == 0.3


def test_threshold_sweep_table():
    scores = [0.9, 0.4, 0.7, 0.2, None]
    answerable = [True, True, False, False, False]
    correct = [True, True, False, False, False]
    rows = m.threshold_sweep(scores, answerable, correct, [0.0, 0.5, 1.0])
    assert rows[0] == {"threshold": 0.0, "answer_accuracy": 1.0,
                       "abstention_accuracy": pytest.approx(1 / 3), "wrongly_abstained": 0.0}
    assert rows[1]["answer_accuracy"] == 0.5
    assert rows[1]["abstention_accuracy"] == pytest.approx(2 / 3)
    assert rows[1]["wrongly_abstained"] == 0.5
    assert rows[2]["answer_accuracy"] == 0.0 and rows[2]["abstention_accuracy"] == 1.0


def test_sweep_thresholds_include_configured_value_and_score_range():
    grid = m.sweep_thresholds([0.2, 1.4], configured=0.37, steps=4)
    assert 0.37 in grid and grid[0] == 0.0 and grid[-1] == 1.4
    assert grid == sorted(grid)


RANKED = [["d1", "d2", "d3"], ["x", "y"], ["a"]]
RELEVANT = [{"d1": 2, "d3": 1, "d9": 1}, {"y": 1}, {}]


def test_recall_at_k_skips_queries_without_judgments():
    result = m.recall_at_k(RANKED, RELEVANT, 2)
    assert result["individual_scores"] == [pytest.approx(1 / 3), 1.0, None]
    assert result["score"] == pytest.approx((1 / 3 + 1) / 2)
    assert result["n"] == 2


def test_ndcg_at_k_uses_graded_linear_gains():
    result = m.ndcg_at_k(RANKED, RELEVANT, 3)
    dcg = 2 / math.log2(2) + 1 / math.log2(4)
    idcg = 2 / math.log2(2) + 1 / math.log2(3) + 1 / math.log2(4)
    assert result["individual_scores"][0] == pytest.approx(dcg / idcg)
    assert result["individual_scores"][1] == pytest.approx((1 / math.log2(3)) / 1.0)
    assert result["individual_scores"][2] is None
    perfect = m.ndcg_at_k([["d1", "d3", "d9"]], [RELEVANT[0]], 10)
    assert perfect["score"] == pytest.approx(1.0)


def test_ndcg_ignores_repeated_documents():
    assert m.ndcg_at_k([["y", "y"]], [{"y": 1}], 10)["score"] == pytest.approx(1.0)


def test_document_mrr():
    result = m.document_mrr(RANKED, RELEVANT, 10)
    assert result["individual_scores"] == [1.0, 0.5, None]


def test_threshold_sweep_leaves_unmeasurable_rates_empty():
    row = m.threshold_sweep([0.5], [True], [True], [0.0])[0]
    assert row["answer_accuracy"] == 1.0 and row["abstention_accuracy"] is None
