"""recommend(linked=...): the products the clerk confirmed, not the free text linked again, drive the ranking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chains.records import Applicant
from matching.evaluate import seed_index
from matching.linking import LinkedProduct
from matching.model import MatchScorer, recommend

ROOT = Path(__file__).resolve().parents[2]
CARPET = Applicant("w", "cooperative", 50 * 10**9, skills="قالی بافی و نخ پشمی", lang="fa")


@pytest.fixture(scope="module")
def seed():
    return seed_index(ROOT / "data" / "seed")


def _product_signal(result) -> dict[str, float]:
    return {m.opportunity_ref: m.signals["product"] for m in result.matches + result.others}


def test_none_links_the_text_as_before_and_the_same_list_given_back_changes_nothing(seed):
    auto = recommend(seed, MatchScorer.default(), CARPET)
    assert "5701" in {x.code for x in auto.linked}
    again = recommend(seed, MatchScorer.default(), CARPET, linked=list(auto.linked))
    codes = recommend(seed, MatchScorer.default(), CARPET, linked=[x.code for x in auto.linked])
    for other in (again, codes):
        assert [(m.opportunity_ref, m.score) for m in other.matches] == [(m.opportunity_ref, m.score)
                                                                          for m in auto.matches]
        assert other.linked == auto.linked


def test_an_unticked_linked_product_no_longer_drives_the_ranking(seed):
    auto = recommend(seed, MatchScorer.default(), CARPET, k=50)
    carpets = [m for m in auto.matches if seed.opportunities_[int(np.flatnonzero(seed.refs_ == m.opportunity_ref)[0])]
               .product == "5701"]
    assert carpets and carpets[0].signals["product"] > 0
    kept = [x for x in auto.linked if x.code != "5701"]
    corrected = recommend(seed, MatchScorer.default(), CARPET, k=50, linked=kept)
    assert "5701" not in {x.code for x in corrected.linked}
    after = _product_signal(corrected)
    assert all(after.get(m.opportunity_ref, 0.0) < m.signals["product"] for m in carpets)
    # No reason still says the carpet was understood from the applicant's words.
    for m in corrected.matches:
        assert not any(r.key == "product" and "فرش دستباف" in r.text and "فهمیدیم" in r.text for r in m.reasons)


def test_a_confirmed_code_the_text_does_not_name_counts_as_named_outright(seed):
    plain = Applicant("p", "cooperative", 50 * 10**9, skills="", lang="en")
    result = recommend(seed, MatchScorer.default(), plain, linked=["5701"])
    assert result.linked == (LinkedProduct("5701", 1.0),)
    assert recommend(seed, MatchScorer.default(), plain, linked=[]).linked == ()
    assert result.matches and result.matches[0].signals["product"] == 1.0
