"""/track: a case by its code, without signing in — typos caught, Persian digits accepted, nothing
personal shown, and bulk guessing refused with 429 and Retry-After."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Applicant, Case, Opportunity
from app.services import codes
from app.services.cases.routing import open_case
from tests.app.conftest import build_app

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _open(app, email="walkin@example.org") -> str:
    with app.test_request_context("/fa/"):
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published",
                                                          Opportunity.permit_path_id.is_not(None))
                                .order_by(Opportunity.id))
        applicant = db.session.scalar(select(Applicant).order_by(Applicant.id))
        applicant.phone = "09140000000"
        case = open_case(applicant, opp, None, contact_email=email, share_contact=True)
        db.session.commit()
        return case.code


def test_a_case_is_tracked_by_its_code_in_persian_digits_with_its_steps_and_nothing_personal(fresh_app):
    code = _open(fresh_app)
    client = fresh_app.test_client()
    typed = " ".join(code[i:i + 4] for i in range(0, 16, 4)).translate(FA_DIGITS)
    page = client.get(f"/fa/track?code={typed}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert codes.grouped(code).translate(FA_DIGITS) in text  # shown in Persian digits on a fa page
    assert "واگذاری زمین در شهرک صنعتی" in text and "در دست بررسی" in text
    assert "walkin@example.org" not in text and "09140000000" not in text and "۰۹۱۴۰۰۰۰۰۰۰" not in text
    english = client.get(f"/en/track?code={code[:8]}-{code[8:]}")
    assert english.status_code == 200 and "Land allocation in an industrial park" in english.get_data(as_text=True)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.get(f"/en/track?code={arabic}").status_code == 200


@pytest.mark.parametrize("lang, message", [("fa", "غلط تایپی"), ("en", "has a typo")])
def test_a_mistyped_code_is_called_a_typo_not_an_unknown_case(fresh_app, lang, message):
    code = _open(fresh_app)
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    swapped = next(code[:i] + code[i + 1] + code[i] + code[i + 2:] for i in range(15) if code[i] != code[i + 1])
    client = fresh_app.test_client()
    for typed in (wrong, swapped):
        page = client.get(f"/{lang}/track?code={typed}")
        assert page.status_code == 400 and message in page.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["PJ-7K3Q9M", "x" * 500, "12345", "' OR 1=1 --", "9" * 40, "%00"])
def test_text_that_is_not_a_code_gets_a_clear_message_never_a_500(app, typed):
    page = app.test_client().get("/en/track", query_string={"code": typed})
    assert page.status_code == 400 and "16 digits" in page.get_data(as_text=True)


def test_a_valid_code_no_case_has_is_a_404_with_a_message(app):
    page = app.test_client().get(f"/fa/track?code={codes.new_code()}")
    assert page.status_code == 404 and "هیچ پرونده‌ای با این کد" in page.get_data(as_text=True)


@pytest.fixture
def limited_app(databases):
    app = build_app(databases.new_url(), seed=False, RATELIMIT_ENABLED=True, PANJEREH_TRACK_LIMIT="5/minute")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("lang, message", [("fa", "ثانیه صبر کنید"), ("en", "seconds and try again")])
def test_guessing_codes_in_bulk_gets_429_with_retry_after_in_the_page_language(limited_app, lang, message):
    client = limited_app.test_client()
    statuses = [client.get(f"/{lang}/track?code={codes.new_code()}", environ_base={"REMOTE_ADDR": "10.9.0.1"})
                for _ in range(6)]
    assert [r.status_code for r in statuses] == [404] * 5 + [429]
    refused = statuses[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # the one-minute window, rounded up
    assert message in refused.get_data(as_text=True)
    # Another address is not held back, and the empty form is never counted.
    assert client.get(f"/{lang}/track?code={codes.new_code()}",
                      environ_base={"REMOTE_ADDR": "10.9.0.2"}).status_code == 404
    assert client.get(f"/{lang}/track", environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code in (200, 429)


def test_existing_cases_got_new_format_codes_in_the_migration(fresh_app):
    """Revision 0007 recodes cases opened with the old PJ-XXXXXX codes."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.app.conftest import ROOT

    with fresh_app.app_context():
        downgrade(directory=str(ROOT / "migrations"), revision="0006")
        applicant_id = db.session.scalar(text("SELECT min(id) FROM applicants"))
        opportunity_id = db.session.scalar(text("SELECT min(id) FROM opportunities"))
        db.session.execute(text("INSERT INTO cases (code, applicant_id, opportunity_id, status, created_at, "
                                "updated_at) VALUES ('PJ-OLD001', :a, :o, 'open', :t, :t)"),
                           {"a": applicant_id, "o": opportunity_id, "t": "2026-01-01 00:00:00+00:00"})
        db.session.commit()
        upgrade(directory=str(ROOT / "migrations"))
        stored = db.session.scalar(select(Case.code))
        assert stored != "PJ-OLD001" and codes.parse(stored) == stored
