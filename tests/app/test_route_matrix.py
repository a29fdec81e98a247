"""Every route of the site and the API, for anonymous visitors and every role: allowed or denied as designed.

A new route must be added to ``MATRIX`` below, or ``test_every_route_is_in_the_matrix`` fails.
"""

from __future__ import annotations

import uuid
from datetime import date

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from tests.app.conftest import build_app, sign_in

ROLES = ("anonymous", "investor", "desk_staff", "agency_editor", "hq", "admin", "chamber")
EVERYONE = set(ROLES)
STAFF_DESK = {"desk_staff", "hq", "admin"}
EDITORS = {"agency_editor", "hq", "admin"}
HQ = {"hq", "admin"}
SIGNED_IN = EVERYONE - {"anonymous"}
ANONYMOUS_ONLY = {"anonymous"}  # pages for signing in or registering: signed-in users are sent elsewhere

# endpoint -> (method, path template, roles allowed)
MATRIX: dict[str, tuple[str, str, set[str]]] = {
    "root.root": ("GET", "/", EVERYONE),
    "root.health": ("GET", "/healthz", EVERYONE),
    "static": ("GET", "/static/css/site.css", EVERYONE),
    "public.home": ("GET", "/fa/", EVERYONE),
    "public.opportunities": ("GET", "/fa/opportunities", EVERYONE),
    "public.opportunity": ("GET", "/fa/opportunities/{opp_id}", EVERYONE),
    "public.chains": ("GET", "/fa/chains", EVERYONE),
    "public.chain": ("GET", "/fa/chains/{chain}", EVERYONE),
    "public.gaps": ("GET", "/fa/gaps", EVERYONE),
    "public.self_service": ("GET", "/fa/match", EVERYONE),
    "public.track": ("GET", "/fa/track", EVERYONE),
    "public.apply": ("POST", "/fa/opportunities/{opp_id}/apply", {"investor"}),
    "public.my_cases": ("GET", "/fa/my", {"investor"}),
    "public.obstacle_report": ("POST", "/fa/obstacles/new", EVERYONE),
    "public.obstacle_track": ("GET", "/fa/obstacles/track?code={obstacle_code}", EVERYONE),
    "public.about": ("GET", "/fa/about", EVERYONE),
    "auth.login": ("GET", "/fa/login", EVERYONE),
    "auth.logout": ("GET", "/fa/logout", EVERYONE),
    "auth.register": ("GET", "/fa/register", EVERYONE),
    "auth.register_sent": ("GET", "/fa/register/sent", EVERYONE),
    "auth.resend_confirmation": ("GET", "/fa/register/resend", EVERYONE),
    "auth.confirm_email": ("GET", "/fa/register/confirm/not-a-token", EVERYONE),
    "auth.unlock": ("GET", "/fa/login/unlock/not-a-token", EVERYONE),
    # The second step exists only half-way through a sign-in: without one, anonymous visitors go to sign-in.
    "auth.second_step": ("GET", "/fa/login/2fa", SIGNED_IN),
    "auth.setup_second_factor": ("GET", "/fa/account/2fa/setup", SIGNED_IN),
    "auth.change_password": ("GET", "/fa/account/password", SIGNED_IN),
    "public.interest": ("POST", "/fa/opportunities/{opp_id}/interest", {"investor"}),
    "desk.intake": ("GET", "/fa/desk/", STAFF_DESK),
    "desk.matches": ("GET", "/fa/desk/applicants/{applicant}", STAFF_DESK),
    "desk.print_sheet": ("GET", "/fa/desk/applicants/{applicant}/print", STAFF_DESK),
    "desk.feedback": ("POST", "/fa/desk/applicants/{applicant}/feedback", STAFF_DESK),
    "desk.open_case": ("POST", "/fa/desk/applicants/{applicant}/cases", STAFF_DESK),
    "desk.case": ("GET", "/fa/desk/cases/{case}", STAFF_DESK),
    "portal.interests": ("GET", "/fa/portal/interests", EDITORS),
    "portal.interest_action": ("POST", "/fa/portal/interests/{interest}", EDITORS),
    "portal.steps": ("GET", "/fa/portal/steps", EDITORS),
    "portal.step": ("GET", "/fa/portal/steps/{step}", EDITORS),
    "portal.step_templates": ("GET", "/fa/portal/step-templates", EDITORS),
    "portal.step_template_edit": ("GET", "/fa/portal/step-templates/{template}", EDITORS),
    "portal.obstacles": ("GET", "/fa/portal/obstacles", EDITORS),
    "portal.demands": ("POST", "/fa/portal/demands", {"chamber", "hq", "admin"}),
    "hq.demands": ("GET", "/fa/hq/demands", HQ),
    "hq.demand": ("GET", "/fa/hq/demands/{demand}", HQ),
    "portal.plan": ("GET", "/fa/portal/plan", EDITORS),
    "portal.plan_file": ("POST", "/fa/portal/plan/file", EDITORS),
    "portal.action_progress": ("POST", "/fa/portal/plan/actions/{action}/progress", EDITORS),
    "portal.obstacle": ("GET", "/fa/portal/obstacles/{obstacle}", EDITORS),
    "portal.obstacle_move": ("POST", "/fa/portal/obstacles/{obstacle}/move", EDITORS),
    "portal.reverse_lookup": ("GET", "/fa/portal/opportunities/{opp_id}/applicants", EDITORS),
    "portal.dashboard": ("GET", "/fa/portal/", EDITORS),
    "portal.products": ("GET", "/fa/portal/products", EDITORS),
    "portal.product_new": ("GET", "/fa/portal/products/new", EDITORS),
    "portal.product_edit": ("GET", "/fa/portal/products/{product}/edit", EDITORS),
    "portal.product_retire": ("POST", "/fa/portal/products/{product}/retire", EDITORS),
    "portal.product_unretire": ("POST", "/fa/portal/products/{product}/unretire", EDITORS),
    "portal.links": ("GET", "/fa/portal/products/{product}/links", EDITORS),
    "portal.link_edit": ("GET", "/fa/portal/links/{link}/edit", EDITORS),
    "portal.link_retire": ("POST", "/fa/portal/links/{link}/retire", EDITORS),
    "portal.chains": ("GET", "/fa/portal/chains", EDITORS),
    "portal.chain_edit": ("GET", "/fa/portal/chains/{chain}", EDITORS),
    "portal.chain_add_product": ("POST", "/fa/portal/chains/{chain}/products", EDITORS),
    "portal.chain_remove_product": ("POST", "/fa/portal/chains/{chain}/products/{product}/remove", EDITORS),
    "portal.chain_retire": ("POST", "/fa/portal/chains/{chain}/retire", EDITORS),
    "portal.chain_unretire": ("POST", "/fa/portal/chains/{chain}/unretire", EDITORS),
    "portal.opportunities": ("GET", "/fa/portal/opportunities", EDITORS),
    "portal.opportunity_new": ("GET", "/fa/portal/opportunities/new", EDITORS),
    "portal.opportunity_edit": ("GET", "/fa/portal/opportunities/{opp_id}/edit", EDITORS),
    "portal.opportunity_publish": ("POST", "/fa/portal/opportunities/{opp_id}/publish", EDITORS),
    "portal.opportunity_close": ("POST", "/fa/portal/opportunities/{opp_id}/close", EDITORS),
    "transfer.index": ("GET", "/fa/portal/transfer/", EDITORS),
    "transfer.export": ("GET", "/fa/portal/transfer/export/products.csv", EDITORS),
    "transfer.job": ("GET", "/fa/portal/transfer/jobs/{job}", EDITORS),
    "transfer.run_import": ("POST", "/fa/portal/transfer/jobs/{job}/import", EDITORS),
    "hq.dashboard": ("GET", "/fa/hq/", HQ),
    "hq.audit": ("GET", "/fa/hq/audit", HQ),
    "hq.single_window": ("GET", "/fa/hq/single-window", HQ),
    "hq.single_window_csv": ("GET", "/fa/hq/single-window.csv", HQ),
    "hq.obstacles": ("GET", "/fa/hq/obstacles", HQ),
    "hq.obstacle": ("GET", "/fa/hq/obstacles/{obstacle}", HQ),
    "hq.obstacle_move": ("POST", "/fa/hq/obstacles/{obstacle}/move", HQ),
    "hq.meetings": ("POST", "/fa/hq/working-group", HQ),
    "hq.measure": ("GET", "/fa/hq/measures/obstacles", HQ),
    "hq.plans": ("GET", "/fa/hq/plans", HQ),
    "hq.realisation": ("GET", "/fa/hq/realisation", HQ),
    "hq.realisation_confirm": ("POST", "/fa/hq/realisation/{record}/confirm", HQ),
    "hq.investors": ("GET", "/fa/hq/investors", HQ),
    "portal.realisation": ("GET", "/fa/portal/opportunities/{opp_id}/realisation", EDITORS),
    "hq.plan_reminders": ("POST", "/fa/hq/plans/reminders", HQ),
    "api.measures": ("GET", "/api/v1/measures", EVERYONE),
    "admin.users": ("GET", "/fa/admin/users", {"admin"}),
    "admin.user_new": ("GET", "/fa/admin/users/new", {"admin"}),
    "admin.user_edit": ("GET", "/fa/admin/users/{user}", {"admin"}),
    "admin.user_reset_2fa": ("POST", "/fa/admin/users/{user}/reset-2fa", {"admin"}),
    "admin.agencies": ("GET", "/fa/admin/agencies", {"admin"}),
    "admin.agency_new": ("GET", "/fa/admin/agencies/new", {"admin"}),
    "admin.agency_edit": ("GET", "/fa/admin/agencies/{agency}", {"admin"}),
    "admin.office_settings": ("GET", "/fa/admin/office", {"admin"}),
    "api.openapi": ("GET", "/api/v1/openapi.json", EVERYONE),
    "api.opportunities": ("GET", "/api/v1/opportunities", EVERYONE),
    "api.opportunity": ("GET", "/api/v1/opportunities/{opp_id}", EVERYONE),
    "api.chains": ("GET", "/api/v1/chains", EVERYONE),
    "api.chain": ("GET", "/api/v1/chains/{chain}", EVERYONE),
    "api.gaps": ("GET", "/api/v1/gaps", EVERYONE),
    "api.simulate": ("POST", "/api/v1/simulate", EVERYONE),
    "api.match": ("POST", "/api/v1/match", EVERYONE),
    "api.session_csrf": ("GET", "/api/v1/session/csrf", SIGNED_IN),
    "api.opportunity_applicants": ("GET", "/api/v1/opportunities/{opp_id}/applicants", EDITORS),
    "api.opportunity_update": ("PATCH", "/api/v1/opportunities/{opp_id}", EDITORS),
    "api.product": ("GET", "/api/v1/products/{product}", EVERYONE),
    "api.product_create": ("POST", "/api/v1/products", EDITORS),
    "api.product_update": ("PATCH", "/api/v1/products/{product}", EDITORS),
}


@pytest.fixture(scope="module")
def world(databases):
    """One seeded database, one signed-in client per role, and sample ids the editor's agency owns."""
    from app.models import (
        Applicant,
        Case,
        CaseStep,
        County,
        Demand,
        ImportJob,
        Interest,
        Link,
        Measure,
        Obstacle,
        Opportunity,
        Plan,
        PlanAction,
        Product,
        RealisationRecord,
        StepTemplate,
        User,
        ValueChain,
    )
    from app.security.passwords import hash_password
    from app.services.codes import new_code

    app = build_app(databases.new_url())
    with app.app_context():
        opp = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")
                                 .order_by(Opportunity.id)).first()
        agency = opp.agency
        sector_ids = {s.id for s in agency.sectors}
        product = db.session.scalars(select(Product).where(Product.sector_id.in_(sector_ids))
                                     .order_by(Product.code)).first()
        link = db.session.scalars(select(Link).where(Link.user_id == product.id)).first() or \
            db.session.scalars(select(Link).join(Product, Product.id == Link.user_id)
                               .where(Product.sector_id.in_(sector_ids))).first()
        chain = db.session.scalars(select(ValueChain).where(ValueChain.agency_id == agency.id)).first()
        if chain is None:
            chain = db.session.scalars(select(ValueChain).order_by(ValueChain.slug)).first()
            chain.agency_id = agency.id
        applicant = db.session.scalars(select(Applicant).order_by(Applicant.id)).first()
        users = {}
        for role in (*ROLES[1:], "target"):
            user = User(email=f"{role}-{uuid.uuid4().hex[:6]}@example.org",
                        role="desk_staff" if role == "target" else role,
                        password_hash=hash_password("matrix password"),
                        agency=agency if role == "agency_editor" else None)
            if role != "investor":
                user.totp_secret, user.totp_confirmed, user.recovery_codes = pyotp.random_base32(), True, []
            db.session.add(user)
            users[role] = user
        db.session.flush()
        case = Case(code="PJ-MATRIX", applicant_id=applicant.id, opportunity_id=opp.id)
        job = ImportJob(kind="products", filename="x.csv", dry_run=True, status="done",
                        user_id=users["agency_editor"].id, agency_id=agency.id, problems=[], summary={})
        db.session.add_all([case, job])
        db.session.flush()
        template = db.session.scalars(select(StepTemplate).where(StepTemplate.agency_id == agency.id)).first()
        step = CaseStep(case_id=case.id, template_id=template.id, agency_id=agency.id, position=1, stage=1,
                        status="in_progress", sla_days=5, conditions=template.conditions)
        interest = Interest(applicant_id=applicant.id, opportunity_id=opp.id, agency_id=agency.id)
        db.session.add_all([step, interest])
        db.session.commit()
        obstacle = Obstacle(code=new_code(), category="power", product_id=product.id, agency_id=agency.id,
                            county_id=db.session.scalars(select(County.id)).first(), lost_quantity=1.0,
                            lost_per_year=12.0, lost_period="month", description="matrix", status="assigned")
        measure = db.session.scalars(select(Measure).order_by(Measure.position)).first()
        plan = Plan(agency_id=agency.id, year=1405)
        action = PlanAction(plan=plan, measure_id=measure.id, title="matrix", target_value=1.0, target_unit="u",
                            due_on=date(2026, 6, 1))
        record = RealisationRecord(opportunity_id=opp.id, stage="operating", capital_invested_rials=1,
                                   jobs_created=1)
        demand = Demand(title="matrix", description="matrix demand")
        db.session.add_all([obstacle, plan, action, record, demand])
        db.session.commit()
        values = {"opp_id": opp.id, "chain": chain.slug, "product": product.code, "link": link.id,
                  "applicant": applicant.ref, "case": case.code, "job": job.id, "step": step.id,
                  "template": template.id, "interest": interest.id,
                  "user": users["target"].id, "agency": agency.slug, "obstacle": obstacle.id,
                  "obstacle_code": obstacle.code, "action": action.id,
                  "record": record.id, "demand": demand.id}
        emails = {role: u.email for role, u in users.items() if role != "target"}
    clients = {"anonymous": app.test_client()}
    for role, email in emails.items():
        client = app.test_client()
        resp = sign_in(client, email, "matrix password")
        assert resp.status_code == 302, (role, resp.status_code)
        clients[role] = client
    return app, clients, values


def test_every_route_is_in_the_matrix(world):
    app, _, _ = world
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add these routes to the role × route matrix"
    assert set(MATRIX) - endpoints == set(), "these matrix entries no longer exist"


def denied(resp, role: str, path: str) -> bool:
    if role == "anonymous":
        if path.startswith("/api/"):
            return resp.status_code == 401
        return resp.status_code == 302 and "/login" in resp.headers.get("Location", "")
    return resp.status_code in (403, 404)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_each_route_allows_exactly_the_roles_it_should(world, endpoint):
    _, clients, values = world
    method, template, allowed = MATRIX[endpoint]
    path = template.format(**values)
    for role in ROLES:
        kwargs = {"json": {}} if path.startswith("/api/") and method != "GET" else {}
        resp = clients[role].open(path, method=method, **kwargs)
        resp.close()
        assert resp.status_code < 500, (endpoint, role, resp.status_code)
        if role in allowed:
            assert not denied(resp, role, path), (endpoint, role, resp.status_code, resp.headers.get("Location"))
        else:
            assert denied(resp, role, path), (endpoint, role, resp.status_code, resp.headers.get("Location"))
