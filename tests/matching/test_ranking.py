"""top_k's sparse ranking: the same order as scoring every opportunity's full signal row."""

import numpy as np
import pytest

from chains.records import Applicant
from matching.features import SIGNALS
from matching.model import (
    MatchScorer,
    _calibrated,
    _ordered,
    _rank_key,
    _top,
    _top_matches,
    content_fit,
    level_key,
    match_level,
    recommend,
    top_k,
)


def full_ranking(index, scorer, applicant, k, strict=False):
    """The ranking written the plain way: every signal row, the calibrated score, open rows, ties by row."""
    scores = _calibrated(scorer, index.signals(applicant))
    open_rows = np.flatnonzero(index.rules(applicant, strict_counties=strict) < 0)
    order = np.lexsort((open_rows, -scores[open_rows]))[:k]
    return open_rows[order], scores


def variants(province):
    """Province applicants and a few edge cases: no text, no products, huge and zero capital, counties."""
    base = list(province.applicants[:60])
    a = base[0]
    return base + [
        Applicant("EDGE-1", a.applicant_type, 0, skills=""),
        Applicant("EDGE-2", a.applicant_type, 10**17, skills=a.skills, counties=a.counties),
        Applicant("EDGE-3", "cooperative", 5 * 10**9, products=a.products, sectors=("dairy", "food")),
        Applicant("EDGE-4", "individual", 10**12, skills=a.skills, counties=("nowhere",)),
    ]


@pytest.mark.parametrize("scorer", [MatchScorer.default(),
                                    MatchScorer()._set_weights([1.5, -0.7, 2.0, 0.3, -1.0, 0.2, 3.0], -2.0, "x", 0)],
                         ids=["default", "other-weights"])
def test_top_k_returns_the_rows_and_scores_a_full_scoring_gives(province, province_index, scorer):
    for applicant in variants(province):
        for strict in (False, True):
            ranking = top_k(province_index, scorer, applicant, 20, strict_counties=strict)
            expected, scores = full_ranking(province_index, scorer, applicant, 20, strict)
            np.testing.assert_allclose(ranking.scores, scores[expected], atol=2e-6, err_msg=applicant.ref)
            # each row's own score (to float32 rounding: numpy's tanh rounds a vector's tail differently)
            np.testing.assert_allclose(ranking.scores, scores[ranking.rows], atol=2e-7)
            # The same rows, except where two scores differ by float32 rounding only.
            differ = ranking.rows != expected
            assert np.all(np.abs(scores[ranking.rows[differ]] - scores[expected[differ]]) < 2e-6), applicant.ref


def test_the_ranking_key_orders_as_the_level_and_score(province, province_index, default_scorer):
    for applicant in variants(province):
        q = province_index.query(applicant)
        key = _rank_key(province_index, default_scorer, q)
        signals = q.signals()
        level = match_level(content_fit(signals))
        for n in range(4):  # the key says the level exactly
            np.testing.assert_array_equal(key >= level_key(n), level >= n, err_msg=f"{applicant.ref} level {n}")
        scores = _calibrated(default_scorer, signals)
        a, b = np.triu_indices(len(key), 1)[0][::97], np.triu_indices(len(key), 1)[1][::97]
        clearly = np.abs(scores[a] - scores[b]) > 1e-5
        assert np.all((key[a] > key[b])[clearly] == (scores[a] > scores[b])[clearly]), applicant.ref


def test_the_query_signals_of_some_rows_are_those_rows_of_all_signals(province, province_index):
    rng = np.random.default_rng(3)
    for applicant in variants(province):
        q = province_index.query(applicant)
        rows = rng.choice(province_index.n_opportunities_, 40, replace=False)
        # (the capital penalty over many rows is one dense pass, on a few rows the formula: float32 rounding)
        np.testing.assert_allclose(q.signals(rows), q.signals()[rows], atol=1e-6)
        assert q.signals().shape == (province_index.n_opportunities_, len(SIGNALS))


@pytest.mark.parametrize("n", [1, 5, 19, 20, 21, 64, 1000, 100_000])
@pytest.mark.parametrize("k", [1, 3, 20])
def test_top_picks_exactly_the_largest_keys(n, k):
    rng = np.random.default_rng(n * 31 + k)
    for key in (rng.normal(size=n).astype(np.float32),
                rng.integers(0, 4, n).astype(np.float32),  # many ties
                np.sort(rng.normal(size=n)).astype(np.float32),  # the largest all at the end: the sample misses
                np.zeros(n, dtype=np.float32)):
        rows = _top(key, k, -np.inf)
        want = min(k, n)
        kth = np.sort(key)[::-1][want - 1]
        assert len(rows) >= want and len(set(rows.tolist())) == len(rows)
        assert key[rows].min() >= kth  # nothing smaller than the k-th largest
        assert np.count_nonzero(key > kth) <= len(rows)  # and everything larger is there
        assert np.all(np.isin(np.flatnonzero(key > kth), rows))
        assert len(_top(key, k, np.inf)) == 0


def test_recommend_lists_the_same_first_matches_as_top_k(province, province_index, default_scorer):
    for applicant in province.applicants[:30]:
        result = recommend(province_index, default_scorer, applicant, k=10, lang="en")
        ranking = top_k(province_index, default_scorer, applicant, 10, others=False)
        assert [m.opportunity_ref for m in result.matches] == province_index.refs_[ranking.rows].tolist()
        assert [m.score for m in result.matches] == pytest.approx(ranking.scores.tolist(), abs=1e-7)


@pytest.mark.parametrize("k", [1, 5, 20])
def test_ranking_only_the_rows_that_can_match_picks_what_ranking_every_row_picks(
        province, province_index, default_scorer, k):
    used = 0
    for applicant in variants(province):
        q = province_index.query(applicant)
        rules = province_index.rules(applicant)
        for others in (False, True):
            fast = _top_matches(default_scorer, q, rules, k, others)
            if fast is None:  # fewer than k matches: top_k ranks every row instead
                assert others
                continue
            used += 1
            fast, signals = fast
            np.testing.assert_array_equal(signals, q.signals(fast))  # the signals it hands on are the rows' own
            key = _rank_key(province_index, default_scorer, q, rules)
            every = _top(key, k, level_key(1))
            want = _ordered_rows(default_scorer, q, every, k)
            got = _ordered_rows(default_scorer, q, fast, k)
            scores = _calibrated(default_scorer, q.signals())
            # the same rows, up to float32 rounding between two scores
            assert np.allclose(scores[got], scores[want], atol=2e-6), applicant.ref
    assert used > len(variants(province))  # the short cut is taken for most applicants, in both modes


def _ordered_rows(scorer, q, rows, k):
    return _ordered(scorer, q, rows, k)[0]
