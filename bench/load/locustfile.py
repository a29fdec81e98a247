"""Locust users for the load harness (bench/load/run.py starts them; they can also run alone).

``Reader`` requests one kind of page per task, each task tagged with its endpoint name, so the harness runs one
endpoint at a time (``--tags list``) and all of them together (no tags):

* ``list``: the opportunity list with filters and a text search (``/<lang>/opportunities?…&q=…``);
* ``opportunity``: one published opportunity page;
* ``chain``: one value-chain page;
* ``gaps``: the missing-links page (with and without filters);
* ``match``: ``POST /api/v1/match`` with a profile;
* ``trivial``: ``/healthz`` (one primary-key read), the yardstick the others are a ratio of.

``Writer`` signs in as one of the generated investor accounts and expresses interest in published opportunities
one after another (a form POST with its CSRF token). Each acknowledged write — a 302 back to the opportunity
page — is recorded, and at the end the harness counts them against the rows in ``interests``.

Settings come from the environment (the harness sets them): ``LOAD_FIXTURE`` (a JSON file of the ids, slugs and
words to draw from), ``LOAD_TIMELINE`` (where each worker writes its per-second outcomes and its acknowledged
writes), ``LOAD_PACING`` (seconds: each Reader pauses between its requests for a random time averaging that, from
none to twice as long, a person reading between clicks, so the connections do not fire in step; unset, the load is
closed loop with no pause).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict

from draws import list_search_params, match_body
from locust import FastHttpUser, between, constant, events, tag, task

FIXTURE = json.load(open(os.environ["LOAD_FIXTURE"])) if os.environ.get("LOAD_FIXTURE") else {}
TIMELINE_FILE = os.environ.get("LOAD_TIMELINE")
PACING = float(os.environ.get("LOAD_PACING") or 0)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

_seconds: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # second → [ok, failed]
_acked: list[tuple[str, int, float]] = []  # (investor e-mail, opportunity id, time acknowledged)
_writer_numbers = itertools.count()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    _seconds[int(time.time())][1 if exception else 0] += 1


@events.quitting.add_listener
def _dump(environment, **kwargs):
    if TIMELINE_FILE:
        with open(TIMELINE_FILE, "w") as fh:
            json.dump({"seconds": {str(k): v for k, v in sorted(_seconds.items())}, "acked": _acked}, fh)


def _pick(key: str):
    return random.choice(FIXTURE[key])


class Reader(FastHttpUser):
    wait_time = between(0, 2 * PACING) if PACING else constant(0)

    @tag("list")
    @task
    def opportunity_list(self):
        lang = random.choice(("fa", "en"))
        self.client.get(f"/{lang}/opportunities", params=list_search_params(FIXTURE), name="list")

    @tag("list")
    @task
    def opportunity_list_filtered(self):
        """Filters without text, the second way the list is used."""
        lang = random.choice(("fa", "en"))
        params = {"sector": _pick("sectors"), "county": _pick("counties"), "page": str(random.randint(1, 3))}
        with self.client.get(f"/{lang}/opportunities", params=params, name="list", catch_response=True) as r:
            if r.status_code == 404:  # fewer pages than asked for: a correct answer
                r.success()

    @tag("opportunity")
    @task
    def opportunity_page(self):
        self.client.get(f"/{random.choice(('fa', 'en'))}/opportunities/{_pick('opportunities')}",
                        name="opportunity")

    @tag("chain")
    @task
    def chain_page(self):
        self.client.get(f"/{random.choice(('fa', 'en'))}/chains/{_pick('chains')}", name="chain")

    @tag("gaps")
    @task
    def gaps_page(self):
        params = random.choice(({}, {"chain": _pick("chains")}, {"kind": "missing_supplier", "page": "2"},
                                {"sort": "size"}))
        self.client.get(f"/{random.choice(('fa', 'en'))}/gaps", params=params, name="gaps")

    @tag("match")
    @task
    def match(self):
        self.client.post("/api/v1/match", json=match_body(FIXTURE), name="match")

    @tag("trivial")
    @task
    def trivial(self):
        self.client.get("/healthz", name="trivial")


class Writer(FastHttpUser):
    """An investor expressing interest in opportunity after opportunity; every 302 is an acknowledged write."""

    wait_time = between(0.05, 0.15)
    fixed_count = int(os.environ.get("LOAD_WRITERS", "8"))

    def on_start(self):
        n = next(_writer_numbers) + int(os.environ.get("LOAD_WRITER_OFFSET", "0"))
        self.email = FIXTURE["investors"][n % len(FIXTURE["investors"])]
        ids = FIXTURE["opportunities"]
        stride = len(FIXTURE["investors"])
        self.targets = iter(ids[n % stride::stride][int(os.environ.get("LOAD_SKIP", "0")):])
        self.token = None
        self.sign_in()

    def sign_in(self):
        page = self.client.get("/en/login", name="writer sign-in")
        token = CSRF.search(page.text or "")
        if not token:
            return
        reply = self.client.post("/en/login", data={"email": self.email, "password": FIXTURE["password"],
                                                    "csrf_token": token.group(1)},
                                 name="writer sign-in", allow_redirects=False)
        if reply.status_code != 302:
            return
        # The form's token as the signed-in session has it (sign-in may start a new session).
        page = self.client.get(f"/en/opportunities/{FIXTURE['opportunities'][0]}", name="writer sign-in")
        token = CSRF.search(page.text or "")
        self.token = token.group(1) if token else None

    @task
    def express_interest(self):
        if self.token is None:
            self.sign_in()
            return
        opp_id = next(self.targets, None)
        if opp_id is None:
            return
        with self.client.post(f"/en/opportunities/{opp_id}/interest", data={"csrf_token": self.token},
                              name="interest", allow_redirects=False, catch_response=True) as r:
            location = r.headers.get("Location", "") if r.headers else ""
            if r.status_code == 302 and location.rstrip("/").endswith(f"/opportunities/{opp_id}"):
                _acked.append((self.email, opp_id, time.time()))
                r.success()
            elif r.status_code == 302:
                r.failure(f"redirected to {location}")
                self.token = None
            else:
                r.failure(f"status {r.status_code}")
