"""The single window end to end: a walk-in's match becomes a case routed through every agency step of
its permit path (parallel stages, working-day due dates across holidays), decided by the agencies with
version checks, escalated when overdue, deemed approved where the template says so."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, AuditEvent, Case, Opportunity, OutboxMessage, PermitPath
from app.services.cases.escalation import escalate_overdue
from app.services.cases.routing import open_case
from app.services.cases.steps import act
from app.services.errors import Conflict, Invalid
from app.services.mail import send_pending
from tests.app.conftest import sign_in

INDUSTRIAL = "industrial_plant"


def _industrial_opportunity(app) -> int:
    with app.app_context():
        path = db.session.scalar(select(PermitPath).where(PermitPath.slug == INDUSTRIAL))
        return db.session.scalar(select(Opportunity.id).where(Opportunity.permit_path_id == path.id,
                                                              Opportunity.status == "published")
                                 .order_by(Opportunity.id))


def _walk_in(app, lang: str) -> str:
    """A walk-in applicant with no account, as the desk would have taken them."""
    with app.app_context():
        a = Applicant(ref=f"APP-W{lang.upper()}", applicant_type="company", name="Walk-in (test)",
                      capital_rials=2_000_000_000_000, lang=lang, phone="09141112233")
        db.session.add(a)
        db.session.commit()
        return a.ref


def _editor(app, make_user, agency: str, lang: str):
    client = app.test_client()
    _, email, password = make_user(role="agency_editor", agency=agency)
    assert sign_in(client, email, password, lang=lang).status_code == 302
    return client


def _steps(app, code: str) -> list[dict]:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == code))
        return [{"id": s.id, "slug": s.template.slug, "agency": s.agency.slug, "stage": s.stage, "status": s.status,
                 "version": s.version, "due_on": s.due_on, "conditions": len(s.conditions)} for s in case.steps]


def _post_step(client, lang, step, **form):
    return client.post(f"/{lang}/portal/steps/{step['id']}", data={"version": step["version"], **form})


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_walk_in_match_becomes_a_case_routed_through_every_agency_step_to_a_decision(fresh_app, make_user, lang):
    app = fresh_app
    opp_id = _industrial_opportunity(app)
    ref = _walk_in(app, lang)
    desk = app.test_client()
    _, email, password = make_user(role="desk_staff")
    assert sign_in(desk, email, password, lang=lang).status_code == 302
    opened = desk.post(f"/{lang}/desk/applicants/{ref}/cases",
                       data={"opportunity_id": opp_id, "contact_email": "walkin@example.org", "share_contact": "1"})
    assert opened.status_code == 302
    code = re.search(r"/desk/cases/(\d{16})", opened.headers["Location"]).group(1)
    case_page = desk.get(f"/{lang}/desk/cases/{code}").get_data(as_text=True)
    assert ("در دست بررسی" if lang == "fa" else "Being handled by the agencies") in case_page
    sheet = desk.get(f"/{lang}/desk/applicants/{ref}/print").get_data(as_text=True)
    assert ("پرونده پنجره واحد شما" if lang == "fa" else "Your single-window case") in sheet
    assert ("روز کاری" if lang == "fa" else "working days") in sheet and email in sheet

    steps = _steps(app, code)
    assert [s["status"] for s in steps] == ["in_progress"] + ["waiting"] * 7  # only stage 1 has started
    land = _editor(app, make_user, "industrial_parks", lang)
    queue = land.get(f"/{lang}/portal/steps").get_data(as_text=True)
    phone = "09141112233".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) if lang == "fa" else "09141112233"
    assert "walkin@example.org" in queue and phone in queue  # the applicant agreed to share them
    # Another agency's editor cannot see or act on the land step.
    water = _editor(app, make_user, "regional_water", lang)
    assert water.get(f"/{lang}/portal/steps/{steps[0]['id']}").status_code == 404
    assert _post_step(water, lang, steps[0], action="approve").status_code == 404
    assert _post_step(land, lang, steps[0], action="approve").status_code == 302

    steps = _steps(app, code)
    parallel = [s for s in steps if s["stage"] == 2]
    assert len(parallel) == 4 and all(s["status"] == "in_progress" for s in parallel)  # started together
    # Two agencies decide their parallel steps at once (both read version 2, then both save): both land.
    env, power = (next(s for s in parallel if s["agency"] == a) for a in ("environment", "power_distribution"))
    env_client = _editor(app, make_user, "environment", lang)
    power_client = _editor(app, make_user, "power_distribution", lang)
    assert env_client.get(f"/{lang}/portal/steps/{env['id']}").status_code == 200
    assert power_client.get(f"/{lang}/portal/steps/{power['id']}").status_code == 200
    assert _post_step(env_client, lang, env, action="approve").status_code == 302
    assert _post_step(power_client, lang, power, action="approve").status_code == 302
    # Saving the same stale form twice is refused: the step changed since it was opened.
    stale = _post_step(power_client, lang, power, action="approve", note="Second look at the substation")
    assert stale.status_code == 409
    refused = stale.get_data(as_text=True)  # the step page again, with what was typed and what is stored now
    assert 'id="conflict"' in refused and "Second look at the substation" in refused
    assert ("تأیید شد" if lang == "fa" else "Approved") in refused
    water_step, gas_step = (next(s for s in parallel if s["agency"] == a) for a in ("regional_water", "gas"))
    # Asking the applicant for information, then resuming when it came.
    assert _post_step(water, lang, water_step, action="need_info", note="Yearly use estimate").status_code == 302
    tracked = app.test_client().get(f"/{lang}/track?code={code}").get_data(as_text=True)
    assert "Yearly use estimate" in tracked and "walkin@example.org" not in tracked
    water_step = next(s for s in _steps(app, code) if s["id"] == water_step["id"])
    assert _post_step(water, lang, water_step, action="resume").status_code == 302
    water_step = next(s for s in _steps(app, code) if s["id"] == water_step["id"])
    assert _post_step(water, lang, water_step, action="approve").status_code == 302
    gas = _editor(app, make_user, "gas", lang)
    assert _post_step(gas, lang, gas_step, action="approve").status_code == 302

    licence = next(s for s in _steps(app, code) if s["slug"] == "establishment_licence")
    assert licence["status"] == "in_progress"  # stage 3 starts once all four parallel steps are approved
    imt = _editor(app, make_user, "industry_mine_trade", lang)
    # A refusal without a condition is a field-level error in the page's language; nothing is written.
    refused = _post_step(imt, lang, licence, action="refuse", note="Saturated")
    assert refused.status_code == 400
    assert ("شرط‌های شماره‌دار" if lang == "fa" else "numbered conditions") in refused.get_data(as_text=True)
    assert next(s for s in _steps(app, code) if s["id"] == licence["id"])["status"] == "in_progress"
    assert _post_step(imt, lang, licence, action="refuse", condition="99", note="x").status_code == 400
    assert _post_step(imt, lang, licence, action="refuse", condition="1",
                      note="Declared saturated in 1405").status_code == 302

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == code))
        assert case.status == "rejected" and case.decided_on is not None
        assert [s.status for s in case.steps][-2:] == ["waiting", "waiting"]
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "case_step")).all()
        assert actions.count("approve") == 5 and "refuse" in actions and "need_info" in actions
        mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "walkin@example.org")).all()
        kinds = {m.kind for m in mail}
        assert {"case_opened", "case_needs_info", "case_step_decided", "case_case_decided"} <= kinds
        assert all(m.lang == lang for m in mail)
        decided = next(m for m in mail if m.kind == "case_step_decided" and "Declared saturated" in m.body)
        cited = "شرط 1" if lang == "fa" else "Condition 1"
        assert cited in decided.body  # the cited condition is in the message
    tracked = app.test_client().get(f"/{lang}/track?code={code}").get_data(as_text=True)
    assert "Declared saturated in 1405" in tracked
    assert ("شرط" if lang == "fa" else "Condition") in tracked


def _routed_case(app, on: date) -> str:
    with app.test_request_context("/en/"):
        path = db.session.scalar(select(PermitPath).where(PermitPath.slug == INDUSTRIAL))
        opp = db.session.scalar(select(Opportunity).where(Opportunity.permit_path_id == path.id,
                                                          Opportunity.status == "published"))
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        case = open_case(applicant, opp, None, contact_email="a@example.org", lang="en", on=on)
        db.session.commit()
        return case.code


def test_due_dates_count_working_days_skipping_fridays_and_nowruz(fresh_app):
    code = _routed_case(fresh_app, date(2026, 3, 18))  # Wednesday 1404/12/27, just before Nowruz 1405
    with fresh_app.test_request_context("/en/"):
        case = db.session.scalar(select(Case).where(Case.code == code))
        land = case.steps[0]
        # 15 working days: Fridays and 1-4 Farvardin, 12 and 13 Farvardin skipped (24 calendar days).
        assert land.due_on == date(2026, 4, 12)
        act(land, "approve", land.version, None, on=date(2026, 4, 12))
        db.session.commit()
        stage2 = [s for s in case.steps if s.stage == 2]
        assert {s.started_on for s in stage2} == {date(2026, 4, 12)}
        assert {s.template.slug: s.due_on for s in stage2} == {
            "environment_permit": date(2026, 4, 25), "water_connection": date(2026, 4, 27),
            "power_connection": date(2026, 4, 27), "gas_connection": date(2026, 4, 25)}


def test_overdue_steps_are_escalated_once_and_deemed_approved_where_the_template_says_so(fresh_app, make_user):
    make_user(role="hq", email="hq-desk@example.org")
    code = _routed_case(fresh_app, date(2026, 3, 18))
    with fresh_app.test_request_context("/en/"):
        case = db.session.scalar(select(Case).where(Case.code == code))
        act(case.steps[0], "approve", case.steps[0].version, None, on=date(2026, 4, 12))
        db.session.commit()
        assert escalate_overdue(date(2026, 4, 25)) == {"escalated": 0, "deemed_approved": 0, "advanced": 0}
        counts = escalate_overdue(date(2026, 4, 28))
        db.session.commit()
        assert counts["escalated"] == 4 and counts["deemed_approved"] == 1  # only the environment permit
        by_slug = {s.template.slug: s for s in case.steps}
        assert by_slug["environment_permit"].status == "approved" and by_slug["environment_permit"].deemed
        assert by_slug["water_connection"].status == "in_progress" and by_slug["water_connection"].escalated_at
        assert escalate_overdue(date(2026, 4, 29))["escalated"] == 0  # once only
        hq_mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "hq-desk@example.org")).all()
        assert len(hq_mail) == 4
        assert send_pending() >= 5
        db.session.commit()
    overdue = fresh_app.test_client().get(f"/en/track?code={code}").get_data(as_text=True)
    assert "Overdue" in overdue and "Escalated to HQ" in overdue and "approved because not answered in time" in overdue


def test_flask_cases_escalate_runs_the_same_sweep(fresh_app):
    code = _routed_case(fresh_app, date(2026, 3, 18))
    result = fresh_app.test_cli_runner().invoke(args=["cases", "escalate", "--today", "2026-05-01"])
    assert result.exit_code == 0 and "escalated: 1" in result.output
    with fresh_app.app_context():
        case = db.session.scalar(select(Case).where(Case.code == code))
        assert case.steps[0].escalated_at is not None and case.steps[0].status == "in_progress"  # no deemed approval
    bad = fresh_app.test_cli_runner().invoke(args=["cases", "escalate", "--today", "tomorrow"])
    assert bad.exit_code != 0


def test_a_stale_or_finished_step_is_a_conflict_with_its_current_state(fresh_app):
    code = _routed_case(fresh_app, date(2026, 3, 18))
    with fresh_app.test_request_context("/en/"):
        step = db.session.scalar(select(Case).where(Case.code == code)).steps[0]
        for version in (step.version + 1, "x" * 50, None, 2**70):
            with pytest.raises(Conflict) as info:
                act(step, "approve", version, None)
            assert info.value.current["status"] == "in_progress"
        with pytest.raises(Invalid):
            act(step, "refuse", step.version, None, condition="1", note="x" * 5000)
        waiting = db.session.scalar(select(Case).where(Case.code == code)).steps[-1]
        with pytest.raises(Conflict):
            act(waiting, "approve", waiting.version, None)
        db.session.rollback()


def test_an_investor_applies_from_the_opportunity_page_and_sees_my_interests_and_cases(fresh_app, make_user):
    opp_id = _industrial_opportunity(fresh_app)
    _, email, password = make_user(role="investor")
    client = fresh_app.test_client()
    assert sign_in(client, email, password, lang="en").status_code == 302
    page = client.get(f"/en/opportunities/{opp_id}").get_data(as_text=True)
    assert "Apply through the single window" in page and "Permit path" in page
    # No profile yet: sent to fill it in, nothing opened.
    assert "/match" in client.post(f"/en/opportunities/{opp_id}/apply").headers["Location"]
    with fresh_app.app_context():
        from app.models import User

        user = db.session.scalar(select(User).where(User.email == email))
        db.session.add(Applicant(ref="APP-INV", applicant_type="company", capital_rials=10**12, user_id=user.id,
                                 lang="en"))
        db.session.commit()
    client.post(f"/en/opportunities/{opp_id}/interest")
    assert client.post(f"/en/opportunities/{opp_id}/apply", data={"share_contact": "1"}).status_code == 302
    assert client.post(f"/en/opportunities/{opp_id}/apply").status_code == 302  # the same case, not a second
    mine = client.get("/en/my").get_data(as_text=True)
    assert "My cases" in mine and "Being handled by the agencies" in mine and "New" in mine
    # The case's opportunity and the interest's both link to its page; once moved back to draft, neither does.
    assert mine.count(f'href="/en/opportunities/{opp_id}"') == 2
    with fresh_app.app_context():
        db.session.get(Opportunity, opp_id).status = "draft"
        db.session.commit()
    assert f'href="/en/opportunities/{opp_id}"' not in client.get("/en/my").get_data(as_text=True)
    with fresh_app.app_context():
        case = db.session.scalar(select(Case).where(Case.opportunity_id == opp_id))
        assert db.session.query(Case).count() == 1 and case.contact_email == email and case.share_contact
        assert db.session.scalar(select(OutboxMessage.to).where(OutboxMessage.kind == "case_opened")) == email
    assert client.post("/en/opportunities/999999999999999999999/apply").status_code == 404


def test_parallel_steps_decided_at_the_same_moment_by_two_agencies_both_land_and_the_next_stage_starts(
        fresh_app, make_user):
    import threading

    code = _routed_case(fresh_app, date(2026, 3, 18))
    with fresh_app.test_request_context("/en/"):
        case = db.session.scalar(select(Case).where(Case.code == code))
        act(case.steps[0], "approve", case.steps[0].version, None, on=date(2026, 4, 12))
        db.session.commit()
    steps = _steps(fresh_app, code)
    parallel = [s for s in steps if s["stage"] == 2]
    clients = {s["agency"]: _editor(fresh_app, make_user, s["agency"], "en") for s in parallel}
    barrier = threading.Barrier(len(parallel))
    statuses: dict[str, int] = {}

    def decide(step):
        barrier.wait()
        statuses[step["agency"]] = _post_step(clients[step["agency"]], "en", step, action="approve").status_code

    threads = [threading.Thread(target=decide, args=(s,)) for s in parallel]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert set(statuses.values()) == {302}, statuses
    after = {s["slug"]: s["status"] for s in _steps(fresh_app, code)}
    assert all(after[s["slug"]] == "approved" for s in parallel)
    assert after["establishment_licence"] == "in_progress"  # the last of the four to land started stage 3
