"""The load harness's data generator (bench/load/generate.py) at a tiny size, on PostgreSQL only.

It writes with COPY into a fresh, seeded schema of the test database (dropped at the end of the session): the
rows it promises are there, the search text is the app's own, the investor accounts can sign in and the
generated opportunities are found by the list's text search.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Applicant, Link, Opportunity, Product, User
from app.services.records import opportunity_search_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "load"))

from generate import INVESTOR_PASSWORD, generate, investor_email  # noqa: E402

SIZES = {"products": 400, "links": 1500, "opportunities": 300, "applicants": 250}


@pytest.fixture
def generated(fresh_app):
    url = fresh_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the generator writes with PostgreSQL's COPY (set PANJEREH_TEST_DATABASE_URL)")
    with fresh_app.app_context():
        db.session.remove()
    written = generate(url.replace("postgresql+psycopg://", "postgresql://"), sizes=SIZES, investors=3,
                       echo=lambda m: None)
    return fresh_app, written


def test_the_generator_tops_every_table_up_to_the_asked_size(generated):
    app, written = generated
    with app.app_context():
        counts = {name: db.session.scalar(select(func.count()).select_from(model))
                  for name, model in (("products", Product), ("links", Link), ("opportunities", Opportunity),
                                      ("applicants", Applicant))}
        assert counts == SIZES
        assert written["users"] == 3
        assert db.session.scalar(select(func.count()).select_from(Link).where(Link.supplier_id == Link.user_id)) == 0


def test_generated_opportunities_carry_the_apps_search_text_and_are_found_by_the_list(generated):
    app, _ = generated
    with app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.ref.like("LOAD-%"),
                                                          Opportunity.status == "published")
                                .order_by(Opportunity.id))
        p = opp.product
        assert opp.search_text == opportunity_search_text(opp.title_fa, opp.title_en, opp.description_fa,
                                                          opp.description_en, p.name_fa, p.name_en, p.code, p.aliases)
        ref, opp_id = opp.ref, opp.id
    body = app.test_client().get(f"/en/opportunities?q={ref}").get_data(as_text=True)
    assert f"/en/opportunities/{opp_id}" in body


def test_the_generated_investors_sign_in_with_their_profile(generated):
    app, _ = generated
    client = app.test_client()
    reply = client.post("/en/login", data={"email": investor_email(1), "password": INVESTOR_PASSWORD})
    assert reply.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == investor_email(1)))
        assert db.session.scalar(select(Applicant).where(Applicant.user_id == user.id)).alerts is True
