"""The ten measures' figures, each checked against hand-counted fixture data, on the pages and in the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Agency,
    Applicant,
    Case,
    County,
    Interest,
    Measure,
    Obstacle,
    Opportunity,
    Plan,
    PlanAction,
    Product,
    ProgressUpdate,
    RealisationRecord,
)
from app.services.codes import new_code
from tests.app.conftest import sign_in

UTC = timezone.utc


def _figures(client) -> dict:
    data = client.get("/api/v1/measures").get_json()["data"]
    return {m["id"]: {i["id"]: i for i in m["indicators"]} for m in data}


@pytest.fixture
def fixture_data(fresh_app):
    """Obstacles, cases, a realisation record and plan actions, with the figures they must give, counted by hand."""
    with fresh_app.app_context():
        products = db.session.scalars(select(Product).where(Product.output > 0, Product.unit_price_rials > 0)
                                      .order_by(Product.code).limit(2)).all()
        tabriz = db.session.scalar(select(County).where(County.slug == "tabriz"))
        marand = db.session.scalar(select(County).where(County.slug == "marand"))
        t0 = datetime(2026, 10, 1, tzinfo=UTC)

        def obstacle(category, product, county, per_year, status="new", days=None):
            return Obstacle(code=new_code(), category=category, product=product, county=county,
                            lost_quantity=per_year, lost_period="year", lost_per_year=per_year,
                            description="fixture", status=status, created_at=t0,
                            closed_at=t0 + timedelta(days=days) if days is not None else None)

        p, q = products
        db.session.add_all([
            obstacle("power", p, tabriz, 10.0), obstacle("water", p, marand, 5.0, status="working_group"),
            obstacle("gas", q, tabriz, 2.0, status="assigned"), obstacle("financing", q, tabriz, 0.0),
            obstacle("power", q, tabriz, 7.0, status="resolved", days=4),
            obstacle("permits", p, tabriz, 0.0, status="resolved", days=10),
            obstacle("market", p, tabriz, 0.0, status="resolved", days=30),
            obstacle("gas", p, tabriz, 3.0, status="rejected", days=1),
        ])
        opps = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")
                                  .order_by(Opportunity.id)).all()
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        with_bank = next(o for o in opps if any(f.kind == "bank" for f in o.financing))
        bank_share = next(f.share_bp for f in with_bank.financing if f.kind == "bank")
        cases = [Case(code=new_code(), applicant=applicant, opportunity=with_bank, status="approved",
                      created_at=t0, updated_at=t0 + timedelta(days=d), decided_on=(t0 + timedelta(days=d)).date())
                 for d in (2, 4, 6, 8, 30)]
        cases.append(Case(code=new_code(), applicant=applicant, opportunity=with_bank, status="open", created_at=t0,
                          updated_at=t0))
        db.session.add_all(cases)
        db.session.add(Interest(applicant=applicant, opportunity=opps[1], agency_id=opps[1].agency_id))
        db.session.add(RealisationRecord(opportunity=with_bank, stage="operating", capital_invested_rials=900,
                                         jobs_created=5, financed_bank_rials=400, financed_leasing_rials=100))
        measure = db.session.scalar(select(Measure).where(Measure.slug == "quality"))
        agency = db.session.scalar(select(Agency).order_by(Agency.slug))
        plan = Plan(agency=agency, year=1405)
        done = PlanAction(plan=plan, measure=measure, title="ISO audits", target_value=4, target_unit="audits",
                          due_on=date(2026, 6, 1))
        late = PlanAction(plan=plan, measure=measure, title="Lab", target_value=1, target_unit="lab",
                          due_on=date(2026, 6, 1))
        db.session.add_all([plan, done, late,
                            ProgressUpdate(action=done, reported_on=date(2026, 5, 1), achieved=4, evidence="x"),
                            ProgressUpdate(action=late, reported_on=date(2026, 5, 1), achieved=0.5, evidence="y")])
        db.session.commit()
        lost_rials = round(10 * p.unit_price_rials) + round(5 * p.unit_price_rials) + round(2 * q.unit_price_rials)
        requested = len(cases) and with_bank.investment_min_rials * bank_share // 10_000
        chain_of_p = {c.slug for c in p.chains}
        yield {"lost_rials": lost_rials, "requested_bank": requested, "taken": len({with_bank.id, opps[1].id}),
               "p": p.code,
               "chain_of_p": chain_of_p, "price_p": p.unit_price_rials}


def test_each_measures_figure_matches_the_hand_count(fresh_app, fixture_data):
    client = fresh_app.test_client()
    f = _figures(client)
    assert len(f) == 10
    assert f["obstacles"]["obstacles_open"]["value"] == 4  # new, working group, assigned, new
    assert f["obstacles"]["obstacles_resolved"]["value"] == 3
    assert f["obstacles"]["days_to_resolve_median"]["value"] == 10.0  # of 4, 10, 30
    assert f["infrastructure"]["supply_cuts_open"]["value"] == 3  # the resolved and rejected cuts do not count
    assert f["infrastructure"]["output_lost_rials"]["value"] == fixture_data["lost_rials"]
    assert f["single_window"]["cases_opened"]["value"] == 6
    # Decided 2, 4, 6, 8 and 30 days after Thursday 1 October 2026: 1, 3, 5, 6 and 25 working days
    # (Fridays 2, 9, 16, 23 and 30 October are off; no official holiday falls in that month).
    assert f["single_window"]["days_to_decision_median"]["value"] == 5
    assert f["single_window"]["days_to_decision_p90"]["value"] == 25  # rank ⌈0.9·5⌉ = 5
    assert f["single_window"]["agency_delay_ratio"]["value"] is None  # no agency steps recorded: unknown
    assert f["finance"]["investment_requested_rials"]["value"] >= fixture_data["requested_bank"]
    assert f["finance"]["investment_financed_rials"]["value"] == 500
    assert f["quality"]["plan_actions"]["value"] == 2
    assert f["quality"]["plan_actions_done"]["value"] == 1
    assert f["quality"]["plan_actions_late"]["value"] == 1  # due 2026-06-01, half done
    assert f["quality"]["plan_progress"]["value"] == pytest.approx(0.75)  # (1 + 0.5) / 2
    assert f["markets"]["plan_actions"]["value"] == 0
    assert f["value_chains"]["opportunities_taken_up"]["value"] == fixture_data["taken"]
    gaps = client.get("/api/v1/gaps?per_page=500").get_json()
    assert f["value_chains"]["gaps_found"]["value"] == gaps["meta"]["total"]
    assert f["value_chains"]["gaps_total_rials"]["value"] == sum(g["size_rials"] for g in gaps["data"])
    for measure in f.values():
        for ind in measure.values():
            assert ind["as_of"] == date.today().isoformat() and ind["source"]["fa"] and ind["name"]["fa"]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_measure_page_draws_each_table_as_bars_and_offers_it_as_csv(fresh_app, fixture_data, make_user, lang):
    _, email, password = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, email, password)
    page = hq.get(f"/{lang}/hq/measures/infrastructure").get_data(as_text=True)
    assert page.count('<svg class="measure-chart"') == 2  # by chain and by county
    assert ('direction="rtl"' in page) == (lang == "fa")
    csv = hq.get(f"/{lang}/hq/measures/infrastructure?format=csv&table=lost_by_county").get_data(as_text=True)
    lines = csv.strip().splitlines()
    county = {"fa": "تبریز", "en": "Tabriz"}[lang]
    tabriz = next(line for line in lines if line.startswith(county))
    assert tabriz.split(",")[1] == str(round(10 * fixture_data["price_p"]) + (fixture_data["lost_rials"]
                                                                             - round(15 * fixture_data["price_p"])))
    assert hq.get(f"/{lang}/hq/measures/infrastructure?format=csv&table=nope").status_code == 404
    assert hq.get(f"/{lang}/hq/measures/nothing").status_code == 404
    overview = hq.get(f"/{lang}/hq/").get_data(as_text=True)
    assert overview.count("/hq/measures/") >= 10
    for slug in ("value_chains", "single_window", "obstacles", "finance", "markets", "pricing", "cost", "quality",
                 "domestic"):
        assert hq.get(f"/{lang}/hq/measures/{slug}").status_code == 200
