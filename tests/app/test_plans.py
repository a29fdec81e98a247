"""Agencies' operational plans: actions, progress, late detection by the end-of-Farvardin deadline, reminders."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Measure, OutboxMessage, Plan, PlanAction, ProgressUpdate
from app.services.plans import filing_deadline, jalali_year, standings
from tests.app.conftest import sign_in


def test_the_filing_deadline_is_the_end_of_farvardin():
    assert filing_deadline(1405) == date(2026, 4, 20)  # 31 Farvardin 1405
    assert jalali_year(date(2026, 12, 1)) == 1405


def test_late_plans_and_late_actions_are_found_on_fixture_data(fresh_app):
    with fresh_app.app_context():
        agencies = db.session.scalars(select(Agency).order_by(Agency.slug)).all()
        on_time, late_filer, silent = agencies[0], agencies[1], agencies[2]
        measure = db.session.scalar(select(Measure).where(Measure.slug == "markets"))
        p1 = Plan(agency=on_time, year=1405, filed_at=datetime(2026, 4, 10, tzinfo=timezone.utc))
        p2 = Plan(agency=late_filer, year=1405, filed_at=datetime(2026, 5, 2, tzinfo=timezone.utc))
        overdue = PlanAction(plan=p1, measure=measure, title="Export fair", target_value=3, target_unit="fairs",
                             due_on=date(2026, 9, 1))
        reached = PlanAction(plan=p1, measure=measure, title="Buyer visits", target_value=10, target_unit="visits",
                             due_on=date(2026, 9, 1))
        future = PlanAction(plan=p2, measure=measure, title="Market study", target_value=1, target_unit="study",
                            due_on=date(2027, 2, 1))
        db.session.add_all([p1, p2, overdue, reached, future,
                            ProgressUpdate(action=overdue, reported_on=date(2026, 8, 1), achieved=2, evidence="a"),
                            ProgressUpdate(action=reached, reported_on=date(2026, 8, 1), achieved=4, evidence="b"),
                            ProgressUpdate(action=reached, reported_on=date(2026, 8, 20), achieved=10, evidence="c")])
        db.session.flush()
        got = {s.agency.slug: s for s in standings(1405, today=date(2026, 12, 1))}
        assert got[on_time.slug].state == "filed"
        assert [a.title for a in got[on_time.slug].late] == ["Export fair"]
        assert got[late_filer.slug].state == "filed_late" and got[late_filer.slug].late == []
        assert got[silent.slug].state == "missing"
        # Before the deadline nobody is missing yet.
        early = {s.agency.slug: s.state for s in standings(1405, today=date(2026, 4, 1))}
        assert early[silent.slug] == "not_due"
        db.session.rollback()


def test_an_agency_files_its_plan_reports_progress_and_hq_reminds_the_rest(fresh_app, make_user):
    with fresh_app.app_context():
        agency = db.session.scalar(select(Agency).order_by(Agency.slug))
        others = db.session.scalar(select(func.count(Agency.id))) - 1
        slug = agency.slug
    _, ed_email, password = make_user(role="agency_editor", agency=slug)
    editor = fresh_app.test_client()
    assert sign_in(editor, ed_email, password, lang="fa").status_code == 302
    page = editor.get("/fa/portal/plan?year=1405").get_data(as_text=True)
    assert "۳۱ فروردین ۱۴۰۵" in page  # the deadline, in Jalali with Persian digits
    bad = editor.post("/fa/portal/plan?year=1405", data={"measure": "markets", "title": "نمایشگاه",
                                                          "target_value": "-2", "target_unit": "",
                                                          "due_on": "1406/02/01"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "بزرگ‌تر از صفر" in text and "سال برنامه" in text
    with fresh_app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0
    ok = editor.post("/fa/portal/plan?year=1405", data={"measure": "markets", "title": "نمایشگاه صادراتی",
                                                         "target_value": "۳", "target_unit": "نمایشگاه",
                                                         "due_on": "1405/06/31"})
    assert ok.status_code == 302
    # The same form sent twice adds nothing.
    assert editor.post("/fa/portal/plan?year=1405", data={"measure": "markets", "title": "نمایشگاه صادراتی",
                                                           "target_value": "3", "target_unit": "نمایشگاه",
                                                           "due_on": "1405/06/31"}).status_code == 400
    with fresh_app.app_context():
        action = db.session.scalar(select(PlanAction))
        action_id, version = action.id, action.plan.version
        assert action.due_on == date(2026, 9, 22)
    future = editor.post(f"/en/portal/plan/actions/{action_id}/progress",
                         data={"reported_on": "2099-01-01", "achieved": "1", "evidence": "letter 12"})
    assert future.status_code == 400
    assert editor.post(f"/en/portal/plan/actions/{action_id}/progress",
                       data={"reported_on": "2026-08-01", "achieved": "1", "evidence": "letter 12"}).status_code == 302
    assert editor.post("/en/portal/plan/file?year=1405", data={"version": str(version)}).status_code == 302
    _, hq_email, _ = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, hq_email, password)
    board = hq.get("/en/hq/plans?year=1405").get_data(as_text=True)
    assert "Filed after the deadline" in board and "Not filed, deadline passed" in board
    assert "نمایشگاه صادراتی" in board  # late: due 1405/06/31, 1 of 3 done
    with fresh_app.app_context():
        before = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "plan_reminder"))
    assert hq.post("/en/hq/plans/reminders?year=1405").status_code == 302
    hq.post("/en/hq/plans/reminders?year=1405")  # twice the same day: no second e-mail
    with fresh_app.app_context():
        sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "plan_reminder")).all()
        assert before == 0 and [m.to for m in sent] == [ed_email]  # only agencies with editors get mail
        assert "نمایشگاه صادراتی" in sent[0].body
    assert others > 0
    csv = hq.get("/en/hq/plans?year=1405&format=csv").get_data(as_text=True)
    assert csv.startswith("\ufeffAgency,Category,Plan,Actions,Late")
    # Another agency's editor cannot report on this action.
    _, other_email, _ = make_user(role="agency_editor", agency=db_slug_other(fresh_app, slug))
    other = fresh_app.test_client()
    sign_in(other, other_email, password)
    assert other.post(f"/en/portal/plan/actions/{action_id}/progress",
                      data={"reported_on": "2026-08-01", "achieved": "3", "evidence": "x"}).status_code == 404


def db_slug_other(app, slug):
    with app.app_context():
        return db.session.scalar(select(Agency.slug).where(Agency.slug != slug).order_by(Agency.slug))
