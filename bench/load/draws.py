"""What the load's readers send, drawn from the fixture: one place for locustfile.py and inprocess.py.

Plain functions of the fixture (no locust import: importing locust patches the standard library with gevent,
which ``inprocess.py`` must not do to the app it runs in its own process).
"""

from __future__ import annotations

import random


def list_search_params(fixture: dict) -> dict[str, str]:
    """The opportunity list with a text search; half the searches add filters, as a visitor narrowing down would."""
    params = {"q": random.choice(fixture["words"])}
    if random.random() < 0.5:
        params["county"] = random.choice(fixture["counties"])
    if random.random() < 0.3:
        params["chain"] = random.choice(fixture["chains"])
    if random.random() < 0.3:
        params["min"] = "10000000000"
    if random.random() < 0.2:
        params["type"] = "cooperative"
    return params


def match_body(fixture: dict) -> dict:
    """A profile for ``POST /api/v1/match``."""
    return {"applicant_type": random.choice(("individual", "cooperative", "home_business", "company")),
            "capital_rials": random.choice((5_000_000_000, 50_000_000_000, 500_000_000_000)),
            "skills": " ".join(random.sample(fixture["words"], 2)),
            "counties": random.sample(fixture["counties"], 1), "lang": random.choice(("fa", "en"))}
