"""Offline evaluation on the synthetic province: defaults are useful, feedback makes them better."""

import numpy as np
import pytest

from matching.evaluate import collect_feedback, evaluate, ndcg_at_k, precision_at_k, split_applicants, train_scorer
from matching.synthetic import make_dataset, relevance


def test_ndcg_is_one_for_the_ideal_ranking_and_lower_otherwise():
    assert ndcg_at_k([2, 1, 0], [0, 1, 2], k=3) == pytest.approx(1.0)
    assert ndcg_at_k([0, 1, 2], [0, 1, 2], k=3) < 1.0
    assert np.isnan(ndcg_at_k([0, 0], [0, 0], k=2))


def test_precision_counts_short_lists_as_misses():
    assert precision_at_k([1, 1], k=4) == 0.5


def test_synthetic_data_is_the_same_for_the_same_seed():
    a = make_dataset(n_products=50, n_opportunities=60, n_applicants=10, seed=7)
    b = make_dataset(n_products=50, n_opportunities=60, n_applicants=10, seed=7)
    assert a.opportunities == b.opportunities and a.applicants == b.applicants
    assert sorted(a.graph.edges) == sorted(b.graph.edges)
    assert (relevance(a) != relevance(b)).nnz == 0


def test_the_default_model_reaches_ndcg_at_10_of_0_6(province, province_index, default_scorer, province_relevance):
    report = evaluate(province_index, default_scorer, province.applicants, province_relevance, k=10)
    assert report["n"] >= 200
    assert report["ndcg"] >= 0.6


def test_training_on_feedback_beats_the_defaults_on_held_out_applicants(
    province, province_index, default_scorer, province_relevance
):
    train, held_out = split_applicants(len(province.applicants), test_size=0.3, seed=0)
    feedback = collect_feedback(province_index, province.applicants, province_relevance, train)
    assert set(np.unique(feedback.groups)) <= set(train.tolist())
    trained = train_scorer(feedback)
    before = evaluate(province_index, default_scorer, province.applicants, province_relevance, k=10, rows=held_out)
    after = evaluate(province_index, trained, province.applicants, province_relevance, k=10, rows=held_out)
    assert after["ndcg"] > before["ndcg"]
    # The hidden preferences weigh counties heavily and ignore gap priority; the model finds that out.
    w = trained.weights()
    assert w["county"] > default_scorer.weights()["county"]
    assert abs(w["gap"]) < default_scorer.weights()["gap"]
