"""The walk-in evaluation file format and the figures over the current seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.evaluate import WALKINS_FORMAT, evaluate_walkins, load_walkins, seed_index
from matching.model import MatchScorer

ROOT = Path(__file__).resolve().parents[2]
WALKINS = ROOT / "tests" / "matching" / "eval" / "walkins.json"


@pytest.fixture(scope="module")
def seed():
    return seed_index(ROOT / "data" / "seed")


def test_every_judged_opportunity_is_a_published_seed_opportunity(seed):
    refs = set(seed.refs_.tolist())
    for w in load_walkins(WALKINS):
        assert set(w.judgements) <= refs, w.applicant.ref


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"format": "other", "profiles": []}))
    with pytest.raises(ValueError):
        load_walkins(path)
    path.write_text(json.dumps({"format": WALKINS_FORMAT, "profiles": [
        {"ref": "x", "applicant_type": "individual", "capital_rials": 1, "judgements": {}}]}))
    with pytest.raises(ValueError):
        load_walkins(path)


def test_the_example_set_reports_ndcg_first_match_and_coverage(seed):
    res = evaluate_walkins(seed, MatchScorer.default(), load_walkins(WALKINS), k=5)
    assert res["n"] == 8
    assert 0.0 <= res["ndcg"] <= 1.0 and 0.0 <= res["first_relevant"] <= 1.0 and 0.0 <= res["coverage"] <= 1.0
    assert all(len(top) <= 5 for top in res["top"].values())


def test_reasons_read_aloud_have_no_slugs_ascii_digits_or_stop_words(seed):
    import re

    from matching.model import recommend
    from matching.normalize import is_stop_word

    latin, digits = re.compile("[A-Za-z]"), re.compile("[0-9]")
    quoted = re.compile(r"\(([^)]*)\)")
    for w in load_walkins(WALKINS):
        for lang in ("fa", "en"):
            res = recommend(seed, MatchScorer.default(), w.applicant, k=10, lang=lang)
            texts = [r.text for m in res.matches + res.others for r in m.reasons] + [e.text for e in res.excluded]
            for t in texts:
                if lang == "fa":
                    assert not digits.search(t), t
                    assert not latin.search(t) or w.applicant.lang == "en", t
                assert "_" not in t, t
            for m in res.matches:
                for r in m.reasons:
                    said = quoted.search(r.text) if r.key == "text" else None
                    for word in re.split("[،,]| و | and ", said.group(1)) if said else ():
                        assert not is_stop_word(word.strip()), r.text
