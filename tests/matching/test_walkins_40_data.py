"""The labelled walk-in set of issue 9 (tests/matching/eval/walkins_40.json) fits the seed it judges.

Pure Python (json, csv): it checks the file, not the ranking, so it holds whatever the recommender does.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
WALKINS = ROOT / "tests" / "matching" / "eval" / "walkins_40.json"
TYPES = {"individual", "cooperative", "home_business", "knowledge_based", "company"}


def published() -> set[str]:
    with open(ROOT / "data" / "seed" / "opportunities.csv", encoding="utf-8", newline="") as fh:
        return {row["ref"] for row in csv.DictReader(fh) if row["status"] == "published"}


def profiles() -> list[dict]:
    payload = json.loads(WALKINS.read_text(encoding="utf-8"))
    assert payload["format"] == "panjereh.matching.walkins/1"
    return payload["profiles"]


def test_there_are_at_least_forty_profiles_with_unique_refs_over_published_opportunities():
    found, refs = profiles(), published()
    assert len(found) >= 40
    assert len({p["ref"] for p in found}) == len(found)
    for p in found:
        assert p["judgements"], p["ref"]
        assert set(p["judgements"]) <= refs, (p["ref"], set(p["judgements"]) - refs)
        assert set(p["judgements"].values()) <= {1, 2, 3} and 3 in p["judgements"].values(), p["ref"]


def test_the_set_spans_types_languages_spellings_and_capital():
    found = profiles()
    assert {p["applicant_type"] for p in found} == TYPES
    assert {p["lang"] for p in found} == {"fa", "en"}
    assert sum(p["lang"] == "en" for p in found) >= 8
    skills = [p["skills"] for p in found if p["lang"] == "fa"]
    assert any(re.search("[يك]", s) for s in skills)  # Arabic-letter spellings
    assert any("\u200c" not in s and re.search(r"(می|شیرینی|بوم) ", s) for s in skills)  # ZWNJ left out
    capitals = sorted(p["capital_rials"] for p in found)
    assert capitals[0] <= 2 * 10**9 and capitals[-1] >= 1000 * 10**9
    assert sum(c <= 20 * 10**9 for c in capitals) >= 20


def test_the_issue_examples_are_in_the_set():
    by_skill = {p["skills"]: p for p in profiles()}
    text = " ".join(by_skill)
    for word in ("شیرینی", "دمنوش", "نرم افزار", "قالی", "بادام"):
        assert word in text, word
    bakery = next(p for p in by_skill.values() if "شیرینی" in p["skills"] and p["applicant_type"] == "individual")
    assert bakery["capital_rials"] == 3 * 10**9
    tea = next(p for p in by_skill.values() if "دمنوش" in p["skills"])
    assert tea["applicant_type"] == "home_business" and tea["counties"] == ["azarshahr"]
