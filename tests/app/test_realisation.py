"""Realisation from gap to operating plant: derived stages, the agency's entry, HQ's confirmation, the registry."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, Case, Interest, Opportunity, RealisationRecord
from app.services.codes import new_code
from tests.app.conftest import sign_in


def test_an_opportunity_goes_from_published_to_an_operating_plant_hq_confirms(fresh_app, make_user):
    with fresh_app.app_context():
        opps = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")
                                  .order_by(Opportunity.id).limit(3)).all()
        target, interested = opps[0], opps[1]
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        applicant.alerts = True
        db.session.add(Interest(applicant=applicant, opportunity=interested, agency_id=interested.agency_id))
        db.session.add(Case(code=new_code(), applicant=applicant, opportunity=target))
        db.session.commit()
        target_id, agency, chain = target.id, target.agency.slug, target.product.chains[0].slug
        county = target.county.name_en
    _, ed_email, password = make_user(role="agency_editor", agency=agency)
    editor = fresh_app.test_client()
    sign_in(editor, ed_email, password)
    page = editor.get(f"/en/portal/opportunities/{target_id}/realisation").get_data(as_text=True)
    assert 'aria-current="step">Applied (a case)' in page
    # Operating without figures, financing above the capital, absurd numbers: field errors, nothing stored.
    for data in ({"stage": "operating"}, {"stage": "operating", "capital_invested_rials": "100", "jobs_created": "2",
                                          "financed_bank_rials": "500"},
                 {"stage": "licensed", "capital_invested_rials": str(2**64)}, {"stage": "built"},
                 {"stage": "licensed", "jobs_created": "-3"}):
        assert editor.post(f"/en/portal/opportunities/{target_id}/realisation", data=data).status_code == 400, data
    with fresh_app.app_context():
        assert db.session.scalar(select(RealisationRecord)) is None
    assert editor.post(f"/en/portal/opportunities/{target_id}/realisation",
                       data={"stage": "licensed"}).status_code == 302
    assert editor.post(f"/en/portal/opportunities/{target_id}/realisation", data={
        "stage": "operating", "version": "1", "capital_invested_rials": "۱۲۰۰۰۰۰۰۰۰۰", "jobs_created": "14",
        "financed_bank_rials": "5000000000"}).status_code == 302
    # A stale form (version 1 again) is refused.
    assert editor.post(f"/en/portal/opportunities/{target_id}/realisation", data={
        "stage": "operating", "version": "1", "capital_invested_rials": "1", "jobs_created": "1"}).status_code == 409
    _, hq_email, _ = make_user(role="hq")
    hq = fresh_app.test_client()
    sign_in(hq, hq_email, password)
    board = hq.get("/en/hq/realisation").get_data(as_text=True)
    assert "Operating plants waiting for confirmation" in board
    with fresh_app.app_context():
        rec = db.session.scalar(select(RealisationRecord))
        rec_id, version = rec.id, rec.version
    assert hq.post(f"/en/hq/realisation/{rec_id}/confirm", data={"version": str(version)}).status_code == 302
    csv = hq.get("/en/hq/realisation?format=csv&by=county").get_data(as_text=True)
    row = next(line for line in csv.splitlines() if line.startswith(county))
    cells = row.split(",")
    assert cells[-2:] == ["12000000000", "14"]
    assert cells[7] == "1"  # operating
    by_chain = hq.get("/en/hq/realisation?format=csv&by=chain").get_data(as_text=True)
    assert "12000000000" in by_chain and chain
    finance = hq.get("/api/v1/measures").get_json()["data"]
    financed = next(m for m in finance if m["id"] == "finance")["indicators"][1]["value"]
    assert financed == 5_000_000_000
    month = hq.get("/en/hq/investors?format=xlsx")
    ws = load_workbook(io.BytesIO(month.data)).active
    refs = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert refs == [applicant_ref(fresh_app)]  # the interest was shown this month
    assert hq.get("/en/hq/investors?month=2026-13").status_code == 400


def applicant_ref(app):
    with app.app_context():
        return db.session.scalar(select(Applicant.ref).order_by(Applicant.id))


def test_stages_are_read_in_chunks_that_give_the_same_answer(app, monkeypatch):
    """The HQ page asks for every opportunity's stage: the id lists go to the database in chunks (PostgreSQL
    takes at most 65,535 parameters in a statement), with the same result as one list."""
    import app.services.realisation as realisation

    with app.app_context():
        opps = db.session.scalars(select(Opportunity)).all()
        whole = realisation.stages_of(opps)
        monkeypatch.setattr(realisation, "IN_CHUNK", 7)
        assert realisation.stages_of(opps) == whole and len(whole) == len(opps)
