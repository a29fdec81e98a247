"""Permit paths before anyone applies: every opportunity shows its steps, the API returns them with the
critical-path days and total cost, and agencies keep their own step templates (validation, audit,
no lost update). Also the interest queue's actions and HQ's single-window figures."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Interest, Opportunity, StepTemplate
from app.services.cases.stats import percentile
from app.services.permits.calendar import add_working_days, holidays, working_days_between
from tests.app.conftest import sign_in


def test_every_seeded_opportunity_has_a_permit_path(app):
    with app.app_context():
        assert db.session.scalar(select(Opportunity.id).where(Opportunity.permit_path_id.is_(None))) is None


@pytest.mark.parametrize("lang, words", [("fa", ["مسیر مجوز", "هم‌زمان", "شرط‌های رد منتشرشده", "روز کاری"]),
                                         ("en", ["Permit path", "run in parallel", "Published refusal conditions",
                                                 "working days"])])
def test_the_opportunity_page_shows_the_path_with_offices_documents_costs_and_conditions(app, lang, words):
    with app.app_context():
        opp_id = db.session.scalar(select(Opportunity.id).where(Opportunity.ref == "OPP-1403-001"))
    page = app.test_client().get(f"/{lang}/opportunities/{opp_id}").get_data(as_text=True)
    for word in words:
        assert word in page
    assert ("۰۴۱-۰۰۰۰-۰۱۰۱" if lang == "fa" else "041-0000-0101") in page  # the land office's phone


def test_the_api_returns_the_path_with_critical_path_days_and_total_cost(app):
    with app.app_context():
        opp_id = db.session.scalar(select(Opportunity.id).where(Opportunity.ref == "OPP-1403-001"))
    data = app.test_client().get(f"/api/v1/opportunities/{opp_id}").get_json()["data"]["permit_path"]
    steps = data["steps"]
    assert data["slug"] == "industrial_plant" and len(steps) == 8
    first = steps[0]
    assert {"agency", "days", "cost_rials", "documents", "legal_basis", "parallel_group",
            "refusal_conditions", "office"} <= set(first)
    assert first["refusal_conditions"][0]["number"] == 1
    groups: dict[int, int] = {}
    for s in steps:
        groups[s["parallel_group"]] = max(groups.get(s["parallel_group"], 0), s["days"])
    assert data["total_days"] == sum(groups.values()) == 15 + 12 + 7 + 20 + 7
    assert data["total_cost_rials"] == sum(s["cost_rials"] for s in steps)
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert "PermitPath" in spec["components"]["schemas"]


def test_working_days_skip_fridays_and_the_holidays_in_the_data_file():
    assert date(2026, 3, 21) in holidays() and date(2027, 2, 11) in holidays()  # Nowruz 1405, 22 Bahman 1405
    assert add_working_days(date(2026, 12, 3), 1) == date(2026, 12, 5)  # Thursday → Saturday over Friday
    # Wednesday 1405/12/26: Thursday, then Esfand 29, Nowruz 1406 and a Friday are skipped.
    assert add_working_days(date(2027, 3, 17), 3) == date(2027, 3, 27)
    assert working_days_between(date(2027, 3, 17), date(2027, 3, 27)) == 3
    assert add_working_days(date(2026, 1, 1), 10**12) > date(2026, 1, 1)  # bounded, never hangs


def test_nearest_rank_percentiles():
    assert percentile([], 0.5) is None
    assert percentile([3, 1, 2], 0.5) == 2 and percentile(list(range(1, 11)), 0.9) == 9


def _editor(app, make_user, agency="industrial_parks", lang="en"):
    client = app.test_client()
    _, email, password = make_user(role="agency_editor", agency=agency)
    assert sign_in(client, email, password, lang=lang).status_code == 302
    return client


def _template(app, slug="land_allocation") -> StepTemplate:
    with app.app_context():
        t = db.session.scalar(select(StepTemplate).where(StepTemplate.slug == slug))
        db.session.expunge(t)
        return t


def _form(t: StepTemplate, **over) -> dict:
    from app.services.permits.paths import template_cells

    cells = {k: ("1" if v is True else "" if v is False else str(v)) for k, v in template_cells(t).items()}
    cells["version"] = str(t.version)
    cells.update(over)
    return cells


def test_an_agency_keeps_its_step_template_with_validation_audit_and_no_lost_update(fresh_app, make_user):
    client = _editor(fresh_app, make_user)
    t = _template(fresh_app)
    assert client.get(f"/en/portal/step-templates/{t.id}").status_code == 200
    bad = client.post(f"/fa/portal/step-templates/{t.id}", data=_form(
        t, sla_days="0", cost_rials="9" * 30, name_en="x" * 301, conditions_en="only one"))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "یک عدد صحیح" in text and "هر شرط رد" in text
    saved = client.post(f"/en/portal/step-templates/{t.id}", data=_form(t, sla_days="۲۰", cost_rials="30,000,000"))
    assert saved.status_code == 302
    again = client.post(f"/en/portal/step-templates/{t.id}", data=_form(t, sla_days="25"))  # the same stale form
    assert again.status_code == 409 and "Someone else changed" in again.get_data(as_text=True)
    with fresh_app.app_context():
        row = db.session.get(StepTemplate, t.id)
        assert row.sla_days == 20 and row.cost_rials == 30_000_000 and not row.illustrative
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "step_template"))
        assert event.before["sla_days"] == 15 and event.after["sla_days"] == 20
    # Another agency's template is not theirs to see or change.
    other = _template(fresh_app, "environment_permit")
    assert client.get(f"/en/portal/step-templates/{other.id}").status_code == 404
    assert client.post(f"/en/portal/step-templates/{other.id}", data=_form(other)).status_code == 404
    assert client.get(f"/en/portal/step-templates/{2**63}").status_code == 404
    listing = client.get("/en/portal/step-templates").get_data(as_text=True)
    assert "Land allocation in an industrial park" in listing and "Environment permit" not in listing


def test_the_interest_queue_shows_who_and_how_to_reach_them_with_actions(fresh_app, make_user):
    from app.models import Applicant, Case, User

    with fresh_app.app_context():
        opp = db.session.scalar(select(Opportunity).where(Opportunity.ref == "OPP-1403-001"))
        _, email, _ = make_user(role="investor", email="investor-q@example.org")
        user = db.session.scalar(select(User).where(User.email == email))
        people = []
        for i in range(3):
            a = Applicant(ref=f"APP-Q{i}", applicant_type="company", name=f"Investor {i}", capital_rials=9 * 10**11,
                          phone=f"0914000000{i}", user_id=user.id if i == 0 else None, lang="en")
            db.session.add(a)
            db.session.flush()
            people.append(Interest(applicant_id=a.id, opportunity_id=opp.id, agency_id=opp.agency_id))
        db.session.add_all(people)
        db.session.commit()
        ids, agency = [i.id for i in people], opp.agency.slug
    client = _editor(fresh_app, make_user, agency=agency)
    page = client.get("/en/portal/interests").get_data(as_text=True)
    for want in ("Investor 0", "09140000000", "investor-q@example.org", "900 billion"):
        assert want in page, want
    assert client.post(f"/en/portal/interests/{ids[0]}", data={"action": "contacted", "version": 1}).status_code == 302
    stale = client.post(f"/en/portal/interests/{ids[0]}", data={"action": "invite", "version": 1})
    assert stale.status_code == 409
    assert client.post(f"/en/portal/interests/{ids[0]}", data={"action": "invite", "version": 2}).status_code == 302
    no_reason = client.post(f"/en/portal/interests/{ids[1]}", data={"action": "decline", "version": 1})
    assert no_reason.status_code == 400 and "reason" in no_reason.get_data(as_text=True)
    assert client.post(f"/en/portal/interests/{ids[1]}", data={"action": "decline", "version": 1,
                                                               "reason": "Capital too low"}).status_code == 302
    assert client.post(f"/en/portal/interests/{ids[2]}", data={"action": "explode", "version": 1}).status_code == 400
    assert client.post(f"/en/portal/interests/{2**63}", data={"action": "contacted"}).status_code == 404
    with fresh_app.app_context():
        invited, declined = db.session.get(Interest, ids[0]), db.session.get(Interest, ids[1])
        assert invited.status == "invited" and invited.case_id is not None
        case = db.session.get(Case, invited.case_id)
        assert case.contact_email == "investor-q@example.org" and case.share_contact
        assert declined.status == "declined" and declined.reason == "Capital too low"
        code = case.code
    # The queue shows the invited interest's case by its tracking code (it crashed once a listed interest had one).
    again = client.get("/en/portal/interests")
    assert again.status_code == 200
    assert f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}" in again.get_data(as_text=True)


def test_hq_sees_the_single_window_funnel_delays_and_a_csv(fresh_app, make_user):
    from app.models import Applicant, Case
    from app.services.cases.routing import open_case
    from app.services.cases.steps import act

    with fresh_app.test_request_context("/en/"):
        opp = db.session.scalar(select(Opportunity).where(Opportunity.ref == "OPP-1403-001"))
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        case = open_case(applicant, opp, None, on=date(2026, 4, 20))
        case.created_at = datetime(2026, 4, 20, 9, 0, tzinfo=timezone.utc)
        land = case.steps[0]
        act(land, "approve", land.version, None, on=date(2026, 6, 1))  # due 2026-05-12: decided late
        db.session.commit()
        code = case.code
    client = fresh_app.test_client()
    _, email, password = make_user(role="hq")
    assert sign_in(client, email, password, lang="en").status_code == 302
    page = client.get("/en/hq/single-window?as_of=2026-07-01")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Funnel" in text and "Delay ratio" in text
    csv = client.get("/en/hq/single-window.csv?as_of=2026-07-01").get_data(as_text=True)
    rows = {tuple(line.split(",")[:2]): line.split(",") for line in csv.lstrip("\ufeff").splitlines()[1:]}
    assert rows[("funnel", "applied")][3] == "1"
    parks = rows[("agency", "industrial_parks")]
    assert parks[3] == "1" and parks[6] == "1" and float(parks[8]) == 1.0  # one step, decided late
    env = rows[("agency", "environment")]
    assert env[7] == "1" and float(env[8]) == 1.0  # its step is open past its due date
    assert client.get("/fa/hq/single-window?as_of=not-a-date").status_code == 400
    assert "قیف" in client.get("/fa/hq/single-window").get_data(as_text=True)
    from app.services.cases.stats import single_window_figures

    with fresh_app.app_context():
        f = single_window_figures(db.session, date(2026, 7, 1))
        assert f.cases_opened == 1 and dict(f.funnel)["applied"] == 1
        assert db.session.scalar(select(Case.code)) == code


def test_the_services_themselves_refuse_another_agencys_editor(fresh_app, make_user):
    """A case step and an interest are acted on for their own agency only, whichever path calls the service."""
    from app.models import Applicant, User
    from app.services.cases.interests import act_on_interest
    from app.services.cases.routing import open_case
    from app.services.cases.steps import act
    from app.services.errors import NotAllowed

    uid, _, _ = make_user(role="agency_editor", agency="environment")
    with fresh_app.test_request_context("/en/"):
        opp = db.session.scalar(select(Opportunity).where(Opportunity.ref == "OPP-1403-001"))
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        case = open_case(applicant, opp, None, on=date(2026, 4, 20))
        step = case.steps[0]
        interest = Interest(applicant_id=applicant.id, opportunity_id=opp.id, agency_id=opp.agency_id)
        db.session.add(interest)
        db.session.flush()
        stranger = db.session.get(User, uid)
        assert step.agency_id != stranger.agency_id and interest.agency_id != stranger.agency_id
        with pytest.raises(NotAllowed):
            act(step, "approve", step.version, stranger)
        with pytest.raises(NotAllowed):
            act_on_interest(interest, "contacted", interest.version, stranger)
        assert step.status != "approved" and interest.status == "new"
