"""The Chamber of Commerce's demands: its own role and sign-in, the secretariat's queue and its outcomes."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Demand, Obstacle, Opportunity, Product
from app.security.second_factor import needs_second_factor
from tests.app.conftest import sign_in


def _product(app):
    with app.app_context():
        p = db.session.scalar(select(Product).where(Product.code == "0401"))
        return f"{p.name_fa} ({p.code})"


def test_the_chambers_demand_is_turned_into_an_opportunity_it_can_see(fresh_app, make_user):
    _, ch_email, password = make_user(role="chamber")
    chamber = fresh_app.test_client()
    assert sign_in(chamber, ch_email, password, lang="fa").status_code == 302  # with its second factor
    assert chamber.get("/fa/portal/").status_code == 403  # not an agency editor
    assert chamber.get("/fa/hq/demands").status_code == 403  # not the secretariat's queue
    bad = chamber.post("/fa/portal/demands", data={"title": "", "description": "کوتاه", "product": "هیچ (0000)"})
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count(Demand.id))) == 0
    ok = chamber.post("/fa/portal/demands", data={
        "title": "کارخانه پودر شیر در مرند", "county": "marand", "product": _product(fresh_app),
        "description": "دامداران مرند شیر مازاد دارند و خریدار ندارند؛ یک واحد پودر شیر لازم است."})
    assert ok.status_code == 302
    with fresh_app.app_context():
        demand = db.session.scalar(select(Demand))
        demand_id, version = demand.id, demand.version
        before = db.session.scalar(select(func.count(Opportunity.id)))
    _, hq_email, _ = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, hq_email, password)
    assert "کارخانه پودر شیر" in hq.get("/en/hq/demands").get_data(as_text=True)
    # An opportunity needs its English title, agency and investment range: field problems, nothing stored.
    refused = hq.post(f"/en/hq/demands/{demand_id}", data={"outcome": "opportunity", "version": str(version),
                                                          "agency": "agriculture_jihad"})
    assert refused.status_code == 400
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count(Opportunity.id))) == before
        assert db.session.get(Demand, demand_id).status == "new"
    done = hq.post(f"/en/hq/demands/{demand_id}", data={
        "outcome": "opportunity", "version": str(version), "agency": "agriculture_jihad",
        "title_en": "Milk powder plant, Marand", "investment_min_rials": "200000000000",
        "investment_max_rials": "500000000000", "jobs": "40", "outcome_note": "Drafted for the agency to publish"})
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    # Deciding twice (a stale form) is refused.
    assert hq.post(f"/en/hq/demands/{demand_id}", data={"outcome": "closed", "version": str(version),
                                                       "outcome_note": "x"}).status_code in (400, 409)
    with fresh_app.app_context():
        demand = db.session.get(Demand, demand_id)
        opp = demand.opportunity
        assert (demand.status, opp.status, opp.title_en, opp.county.slug) == (
            "opportunity", "draft", "Milk powder plant, Marand", "marand")
        ref = opp.ref
    seen = chamber.get("/fa/portal/demands").get_data(as_text=True)
    fa_ref = ref.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))  # codes show in Persian digits on fa pages
    assert "به فرصت سرمایه‌گذاری تبدیل شد" in seen and fa_ref in seen


def test_a_demand_becomes_an_obstacle_or_is_closed_with_a_reason(fresh_app, make_user):
    _, ch_email, password = make_user(role="chamber")
    chamber = fresh_app.test_client()
    sign_in(chamber, ch_email, password)
    for title in ("Gas quota for the dairy cluster", "Lower tariffs please"):
        chamber.post("/en/portal/demands", data={"title": title, "county": "tabriz", "product": "0401",
                                                  "description": "The private sector asks the secretariat for help."})
    _, hq_email, _ = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, hq_email, password)
    with fresh_app.app_context():
        first, second = db.session.scalars(select(Demand).order_by(Demand.id)).all()
        ids = first.id, second.id
    assert hq.post(f"/en/hq/demands/{ids[0]}", data={"outcome": "obstacle", "version": "1",
                                                    "category": "gas"}).status_code == 302
    assert hq.post(f"/en/hq/demands/{ids[1]}", data={"outcome": "closed", "version": "1"}).status_code == 400
    assert hq.post(f"/en/hq/demands/{ids[1]}", data={"outcome": "closed", "version": "1",
                                                    "outcome_note": "Tariffs are set nationally."}).status_code == 302
    with fresh_app.app_context():
        obstacle = db.session.scalar(select(Obstacle))
        assert obstacle.category == "gas" and obstacle.status == "new" and obstacle.product.code == "0401"
    seen = chamber.get("/en/portal/demands").get_data(as_text=True)
    assert "Tariffs are set nationally." in seen and "Taken up as an obstacle" in seen


def test_the_chamber_role_signs_in_with_a_second_factor(fresh_app):
    class Someone:
        role = "chamber"
    assert needs_second_factor(Someone())
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "wg@chamber.example", "--role", "chamber",
                                 "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
