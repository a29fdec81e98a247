"""score_applicants: many applicants against one opportunity in one pass, as explain_match one at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chains.io import load_dir
from chains.records import Applicant
from matching.evaluate import load_walkins, seed_index
from matching.features import RULES
from matching.model import Exclusion, MatchScorer, explain_match
from matching.reverse import applicant_signals, score_applicants

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seed():
    return seed_index(ROOT / "data" / "seed")


@pytest.fixture(scope="module")
def applicants():
    walkins = [w.applicant for w in load_walkins(ROOT / "tests" / "matching" / "eval" / "walkins_40.json")]
    return list(load_dir(ROOT / "data" / "seed").applicants) + walkins + [
        Applicant("empty", "individual", 0), Applicant("rich", "company", 10**16, counties=("tabriz",))]


@pytest.mark.parametrize("strict", [False, True])
def test_the_vectorised_scores_equal_explain_match_for_every_seed_opportunity(seed, applicants, strict):
    scorer = MatchScorer.default()
    for ref in seed.refs_.tolist()[::3]:
        scores, rules = score_applicants(seed, scorer, applicants, ref, strict_counties=strict)
        for a, s, r in zip(applicants, scores.tolist(), rules.tolist(), strict=True):
            one = explain_match(seed, scorer, a, ref, strict_counties=strict)
            assert s == pytest.approx(one.score, abs=1e-6), (ref, a.ref)
            assert (RULES[r] if r >= 0 else None) == (one.rule if isinstance(one, Exclusion) else None), (ref, a.ref)


def test_the_signal_rows_are_the_forward_signals_of_that_opportunity(seed, applicants):
    ref = seed.refs_[5]
    rows = applicant_signals(seed, applicants, ref)
    forward = np.stack([seed.signals(a)[5] for a in applicants])
    np.testing.assert_allclose(rows, forward, atol=1e-6)


def test_no_applicants_and_an_unknown_opportunity(seed):
    scores, rules = score_applicants(seed, MatchScorer.default(), [], seed.refs_[0])
    assert scores.shape == (0,) and rules.shape == (0,)
    with pytest.raises(KeyError):
        score_applicants(seed, MatchScorer.default(), [Applicant("a", "individual", 1)], "no-such-ref")


def test_strict_counties_can_differ_per_applicant(seed, applicants):
    """Each stored profile's own "only these counties": the rules of a mixed call are each applicant's own."""
    scorer = MatchScorer.default()
    flags = [i % 2 == 0 for i in range(len(applicants))]
    for ref in seed.refs_.tolist()[::7]:
        _, mixed = score_applicants(seed, scorer, applicants, ref, strict_counties=flags)
        _, strict = score_applicants(seed, scorer, applicants, ref, strict_counties=True)
        _, loose = score_applicants(seed, scorer, applicants, ref, strict_counties=False)
        np.testing.assert_array_equal(mixed, np.where(flags, strict, loose))
    assert any(r == RULES.index("county") for r in strict)  # the flag does something on the seed
