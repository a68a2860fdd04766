"""Ranking metrics of tests/bench/quality.py on toy lists with hand-computed answers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from tests.bench import quality as q

L3 = 1 / math.log2(3)  # discount of rank 2
L4 = 1 / math.log2(4)  # discount of rank 3 (= 0.5)


def test_ndcg_perfect_and_reversed_binary() -> None:
    assert q.ndcg([0, 1], [0.2, 0.9]) == pytest.approx(1.0)
    # the relevant item at rank 2: DCG = 1/log2(3), ideal = 1
    assert q.ndcg([0, 1], [0.9, 0.2]) == pytest.approx(L3)


def test_ndcg_graded_gains() -> None:
    # order by score: item0 (gain 3), item2 (gain 0), item1 (gain 2)
    dcg = 3 + 0 * L3 + 2 * L4
    ideal = 3 + 2 * L3 + 0 * L4
    assert q.ndcg([3, 2, 0], [0.9, 0.1, 0.5]) == pytest.approx(dcg / ideal)
    assert q.ndcg([3, 2, 0], [0.9, 0.1, 0.5]) == pytest.approx(0.93856, abs=1e-5)


def test_ndcg_cut_at_k() -> None:
    # order: gains 0, 1, 2; @1 nothing useful, @2 one point at rank 2
    assert q.ndcg([0, 1, 2], [3, 2, 1], k=1) == pytest.approx(0.0)
    assert q.ndcg([0, 1, 2], [3, 2, 1], k=2) == pytest.approx(L3 / (2 + L3))
    # k beyond the list is the full list
    assert q.ndcg([0, 1, 2], [3, 2, 1], k=10) == pytest.approx(q.ndcg([0, 1, 2], [3, 2, 1]))


def test_ndcg_ties_share_the_mean_discount() -> None:
    # both items tied over ranks 1-2: the relevant one gets (1 + 1/log2 3) / 2
    assert q.ndcg([1, 0], [5, 5]) == pytest.approx((1 + L3) / 2)
    assert q.ndcg([0, 1], [5, 5]) == pytest.approx((1 + L3) / 2)  # order of input irrelevant
    # tie straddling the cut: ranks 1-2 tied, k=1 -> mean of (1, 0)
    assert q.ndcg([1, 0, 0], [5, 5, 1], k=1) == pytest.approx(0.5)


def test_all_tied_equals_the_mean_over_every_order() -> None:
    gains = [2.0, 1.0, 0.0, 1.0]
    orders = list(itertools.permutations(range(4)))
    for k in (None, 1, 2):
        mean = np.mean([q.ndcg(gains, [-r for r in order], k=k) for order in orders])
        assert q.ndcg(gains, [0, 0, 0, 0], k=k) == pytest.approx(mean)
    rel = [1, 0, 0, 1]
    mean_recall = np.mean([q.recall_at_k(rel, [-r for r in o], k=2) for o in orders])
    assert q.recall_at_k(rel, [0, 0, 0, 0], k=2) == pytest.approx(mean_recall)


def test_ndcg_nan_scores_rank_last_and_no_gain_is_nan() -> None:
    assert q.ndcg([1, 0], [math.nan, 0.0]) == pytest.approx(L3)
    assert math.isnan(q.ndcg([0, 0, 0], [1, 2, 3]))
    assert math.isnan(q.ndcg([], []))


def test_recall_at_k() -> None:
    assert q.recall_at_k([1, 0, 1, 0], [4, 3, 2, 1], k=2) == pytest.approx(0.5)
    assert q.recall_at_k([1, 0, 1, 0], [4, 3, 2, 1], k=3) == pytest.approx(1.0)
    # four-way tie, two slots: each item has a 1/2 chance
    assert q.recall_at_k([1, 0, 0, 0], [1, 1, 1, 1], k=2) == pytest.approx(0.5)
    assert math.isnan(q.recall_at_k([0, 0], [1, 2], k=1))


def test_success_at_1() -> None:
    assert q.success_at_1([0, 1], [2, 1]) == 0.0
    assert q.success_at_1([0, 1], [1, 2]) == 1.0
    assert q.success_at_1([1, 0], [1, 1]) == pytest.approx(0.5)
    assert q.success_at_1([1, 1, 0], [3, 3, 3]) == pytest.approx(2 / 3)


def test_kendall_tau_b() -> None:
    assert q.kendall_tau([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert q.kendall_tau([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    # grades tie on one pair: C=2, D=0, n0=3, tied pairs in grades=1 -> 2/sqrt(2*3)
    assert q.kendall_tau([1, 1, 2], [1, 2, 3]) == pytest.approx(2 / math.sqrt(6))
    assert math.isnan(q.kendall_tau([4, 4, 4], [1, 2, 3]))  # degenerate list
    assert q.kendall_tau([1, 2, 3], [7, 7, 7]) == 0.0  # a constant scorer orders nothing
    assert q.kendall_tau([1, 2, 3], [math.nan, 1, 2]) == pytest.approx(1.0)  # NaN last


def test_macro_mean_and_degenerate() -> None:
    assert q.macro_mean([0.5, math.nan, 1.0]) == (pytest.approx(0.75), 2)
    mean, n = q.macro_mean([math.nan])
    assert math.isnan(mean) and n == 0
    assert q.is_degenerate([3, 3, 3])
    assert q.is_degenerate([5])
    assert not q.is_degenerate([3, 4])


def _toy_task() -> q.Task:
    # 3 CVs x 2 jobs; job 0 (tune) grades CVs 0,1,2 as 2,1,0; job 1 (confirm) all equal
    return q.Task(
        name="toy", cv_ids=["a", "b", "c"], cv_texts=["", "", ""], job_ids=["j0", "j1"],
        job_texts=["", ""],
        queries=[
            q.Query("j0", "tune", "job", 0, np.array([0, 1, 2]), np.array([2.0, 1.0, 0.0])),
            q.Query("j1", "confirm", "job", 1, np.array([0, 1]), np.array([1.0, 1.0])),
        ])


def test_evaluate_matrix_splits_and_skips_degenerate_lists() -> None:
    matrix = np.array([[0.9, 0.1], [0.5, 0.2], [0.1, 0.3]])
    res = q.evaluate_matrix(_toy_task(), matrix, graded=True)
    tune = res["splits"]["tune"]
    assert tune["ndcg"] == pytest.approx(1.0)
    assert tune["tau"] == pytest.approx(1.0)
    assert tune["success@1"] == pytest.approx(1.0)
    assert tune["n"] == 1 and tune["skipped"] == 0
    confirm = res["splits"]["confirm"]
    assert confirm["n"] == 0 and confirm["skipped"] == 1 and math.isnan(confirm["ndcg"])
    assert res["splits"]["all"]["skipped"] == 1
    assert set(res["per_query"]) == {"j0"}
    # reversed scores for job 0
    res = q.evaluate_matrix(_toy_task(), -matrix, graded=True)
    assert res["splits"]["tune"]["tau"] == pytest.approx(-1.0)
    assert res["splits"]["tune"]["success@1"] == 0.0


def test_cv_axis_queries_read_rows() -> None:
    task = q.Task(name="toy", cv_ids=["a"], cv_texts=[""], job_ids=["x", "y", "z"],
                  job_texts=["", "", ""],
                  queries=[q.Query("a", "tune", "cv", 0, np.arange(3), np.array([0., 1., 0.]))])
    res = q.evaluate_matrix(task, np.array([[0.1, 0.9, 0.5]]), graded=False)
    assert res["per_query"]["a"] == {"ndcg@10": pytest.approx(1.0),
                                     "recall@10": pytest.approx(1.0), "success@1": 1.0}


def test_per_group_means() -> None:
    queries = [q.Query(str(i), q.SPLITS[i % 2], "cv", i, np.arange(2), np.array([1.0, 0.0]),
                       group="A" if i < 2 else "B") for i in range(3)]
    task = q.Task(name="toy", cv_ids=["0", "1", "2"], cv_texts=[""] * 3, job_ids=["x", "y"],
                  job_texts=[""] * 2, queries=queries)
    # rows 0 and 2 rank the relevant job first, row 1 second
    res = q.evaluate_matrix(task, np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]),
                            graded=False)
    assert res["per_group"]["A"]["success@1"] == pytest.approx(0.5)
    assert res["per_group"]["A"]["n"] == 2
    assert res["per_group"]["B"]["success@1"] == 1.0
    assert res["splits"]["tune"]["success@1"] == 1.0  # rows 0 and 2
    assert res["splits"]["confirm"]["success@1"] == 0.0


def test_tfidf_scores_prefer_the_matching_text() -> None:
    m = q.tfidf_scores(["python developer django", "registered nurse patient care"],
                       ["django python backend", "nurse for patient care"])
    assert m.shape == (2, 2)
    assert m[0, 0] > m[0, 1] and m[1, 1] > m[1, 0]


def test_renderings() -> None:
    assert q.render_ferr_job(["plc", "hydraulics"]) == "Key skills and roles: plc, hydraulics"
    assert q.strip_first_line("ACCOUNTANT\nSummary\nMore") == "Summary\nMore"
    assert q.strip_first_line("one line") == ""
