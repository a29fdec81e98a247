"""Obstacle reports: the public report's one validator, the working group's workflow, its meetings, and the
supply cuts handed to the gap engine (``chains.gaps``) as plain data.

Services flush and raise ``Invalid``/``Conflict``/``NotAllowed``; the request commits once."""

from __future__ import annotations

import math
import re
from datetime import date

from flask_babel import gettext
from sqlalchemy import Select, select

from app.extensions import db
from app.models import (
    LOSS_PERIODS,
    OBSTACLE_CATEGORIES,
    Agency,
    County,
    Meeting,
    MeetingDecision,
    Obstacle,
    Product,
    utcnow,
)
from app.security import authz
from app.services import codes
from app.services.accounts import email_problem
from app.services.audit import audit
from app.services.cases.routing import phone_number
from app.services.catalogue.limits import FLOAT_MAX, TEXT_MAX
from app.services.errors import Invalid, NotAllowed, both, check_version
from chains.gaps import OBSTACLE_KINDS
from chains.io import parse_date
from chains.nomenclature import normalize_digits

#: Days, weeks and months in a year: a loss reported per period becomes a loss per year.
PER_YEAR = {"week": 52.0, "month": 12.0, "year": 1.0}
OPEN = ("new", "assigned", "working_group")
#: Which status may follow which (rejection is possible from every open status).
NEXT = {"new": ("assigned", "rejected"), "assigned": ("assigned", "working_group", "resolved", "rejected"),
        "working_group": ("assigned", "resolved", "rejected")}
_CODE_IN_TEXT = re.compile(r"\(([0-9A-Za-z.\-]{2,16})\)\s*$")


def _number(raw: str | None) -> float | None:
    text = normalize_digits(str(raw or "")).strip().replace("٬", "").replace(",", "").replace("٫", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value


def find_product(text: str | None) -> Product | None:
    """A product named by its code, "name (code)" as the suggestions show it, or its exact name."""
    text = (text or "").strip()[:400]
    if not text:
        return None
    found = _CODE_IN_TEXT.search(normalize_digits(text))
    code = found.group(1) if found else normalize_digits(text)
    live = select(Product).where(Product.retired.is_(False))
    row = db.session.scalar(live.where(Product.code == code))
    if row is None:
        row = db.session.scalar(live.where((Product.name_fa == text) | (Product.name_en == text)).limit(1))
    return row


def check_report(cells: dict, today: date | None = None) -> dict:
    """The report's cells (text, as a form or API sends them) → clean values, or ``Invalid`` listing every problem."""
    today = today or date.today()
    problems = []
    category = (cells.get("category") or "").strip()
    if category not in OBSTACLE_CATEGORIES:
        problems.append(both(lambda: gettext("Choose the kind of obstacle from the list."), "choice", "category"))
    product = find_product(cells.get("product"))
    if product is None:
        problems.append(both(lambda: gettext("Choose a product from the suggestions: its name or its code."),
                             "unknown_product", "product"))
    county = db.session.scalar(select(County).where(County.slug == (cells.get("county") or "").strip()[:64]))
    if county is None:
        problems.append(both(lambda: gettext("Choose the county from the list."), "choice", "county"))
    period = (cells.get("lost_period") or "").strip()
    if period not in LOSS_PERIODS:
        problems.append(both(lambda: gettext("Choose whether the loss is per week, month or year."), "choice",
                             "lost_period"))
    lost = _number(cells.get("lost_quantity"))
    if lost is None:
        problems.append(both(lambda: gettext("Enter the output lost, as a number (0 if none)."), "required",
                             "lost_quantity"))
    elif not math.isfinite(lost) or lost < 0:
        problems.append(both(lambda: gettext("The output lost must be a number of zero or more."), "number",
                             "lost_quantity"))
    elif lost > FLOAT_MAX:
        problems.append(both(lambda: gettext("That output lost is far too large; check the number."), "too_large",
                             "lost_quantity"))
    per_year = (lost or 0.0) * PER_YEAR.get(period, 1.0) if lost is not None and math.isfinite(lost) else 0.0
    if product is not None and lost is not None and math.isfinite(lost) and period in PER_YEAR:
        ceiling = max(product.capacity or 0.0, product.output or 0.0)
        if ceiling > 0 and per_year > ceiling:
            problems.append(both(lambda: gettext(
                "That is more in a year than the province's whole capacity for this product; check the "
                "number, the unit and the period."), "too_large", "lost_quantity"))
    since = None
    raw_since = (cells.get("since") or "").strip()[:40]
    if raw_since:
        try:
            since = parse_date(raw_since)
        except (ValueError, OverflowError):
            problems.append(both(lambda: gettext("Write the date as 1404/02/15 or 2025-05-05."), "date", "since"))
        else:
            if since > today:
                problems.append(both(lambda: gettext("The date the obstacle began cannot be in the future."),
                                     "future", "since"))
    description = (cells.get("description") or "").strip()
    if len(description) < 10:
        problems.append(both(lambda: gettext("Describe the obstacle in a sentence or two."), "required",
                             "description"))
    elif len(description) > TEXT_MAX:
        problems.append(both(lambda: gettext("Keep the description under 4,000 characters."), "too_long",
                             "description"))
    contact = (cells.get("reporter_contact") or "").strip()
    if not contact:
        problems.append(both(lambda: gettext("Give a phone number or an e-mail address so we can reach you."),
                             "required", "reporter_contact"))
    elif phone_number(contact) is None and email_problem(contact) is not None:  # the site's phone and e-mail rules
        problems.append(both(lambda: gettext("Enter a phone number (digits only) or an e-mail address."),
                             "contact", "reporter_contact"))
    for name in ("reporter_name", "unit_name"):
        if len((cells.get(name) or "").strip()) > 200:
            problems.append(both(lambda: gettext("Keep this under 200 characters."), "too_long", name))
    if problems:
        raise Invalid(problems)
    return {"category": category, "product": product, "county": county, "lost_quantity": lost,
            "lost_period": period, "lost_per_year": per_year, "since": since, "description": description,
            "reporter_contact": phone_number(contact) or contact,
            "reporter_name": (cells.get("reporter_name") or "").strip(),
            "unit_name": (cells.get("unit_name") or "").strip()}


def report_obstacle(values: dict, lang: str, illustrative: bool = False) -> Obstacle:
    """Store a checked report under a fresh tracking code (flushes)."""
    code = codes.new_code()
    while db.session.scalar(select(Obstacle.id).where(Obstacle.code == code)) is not None:
        code = codes.new_code()  # the one-in-10^15 clash of codes: draw again
    row = Obstacle(code=code, category=values["category"], product=values["product"],
                   county=values["county"], lost_quantity=values["lost_quantity"],
                   lost_unit=values["product"].unit, lost_period=values["lost_period"],
                   lost_per_year=values["lost_per_year"], since=values["since"],
                   description=values["description"], reporter_name=values["reporter_name"],
                   reporter_contact=values["reporter_contact"], unit_name=values["unit_name"],
                   lang=lang if lang in ("fa", "en") else "fa", status="new", illustrative=illustrative)
    db.session.add(row)
    db.session.flush()
    audit("create", "obstacle", row.code, after={"category": row.category, "product": row.product.code,
                                                  "county": row.county.slug})
    return row


def find_by_code(text: str | None) -> Obstacle | None:
    """The report with the code a person typed (``codes.CodeError`` when it is not a code)."""
    return db.session.scalar(select(Obstacle).where(Obstacle.code == codes.parse(text)))


def _snapshot(row: Obstacle) -> dict:
    return {"status": row.status, "agency": row.agency.slug if row.agency else None, "resolution": row.resolution}


def move(row: Obstacle, user, status: str, version, agency_slug: str = "", note: str = "") -> Obstacle:
    """One step of the workflow: assign (HQ), send to the working group, resolve, or reject with a reason."""
    if status not in NEXT.get(row.status, ()):
        raise Invalid([both(lambda: gettext("This report cannot move to that status from where it is now."),
                            "status", "status")])
    if not authz.can_work_obstacle(user, row, status):
        raise NotAllowed()
    check_version(row, version)
    before = _snapshot(row)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        raise Invalid([both(lambda: gettext("Keep the note under 4,000 characters."), "too_long", "note")])
    if status == "assigned":
        agency = db.session.scalar(select(Agency).where(Agency.slug == (agency_slug or "").strip()[:64]))
        if agency is None:
            raise Invalid([both(lambda: gettext("Choose the agency that should handle it."), "required", "agency")])
        row.agency = agency
    if status == "rejected" and not note:
        raise Invalid([both(lambda: gettext("Give the reason for rejecting the report; the reporter sees it."),
                            "required", "note")])
    if status == "resolved" and not note:
        raise Invalid([both(lambda: gettext("Say how the obstacle was removed."), "required", "note")])
    if status in ("resolved", "rejected"):
        row.resolution = note
        row.closed_at = utcnow()
    row.status = status
    db.session.flush()
    audit("update", "obstacle", row.code, before=before, after=_snapshot(row), user=user)
    return row


def check_meeting(cells: dict, decisions: list[dict], today: date | None = None) -> dict:
    """A meeting's date, attendees and decisions (one per obstacle code) → clean values, or ``Invalid``."""
    today = today or date.today()
    problems = []
    held_on = None
    try:
        held_on = parse_date((cells.get("held_on") or "").strip()[:40])
    except (ValueError, OverflowError):
        problems.append(both(lambda: gettext("Write the date as 1404/02/15 or 2025-05-05."), "date", "held_on"))
    else:
        if held_on > today:
            problems.append(both(lambda: gettext("Record a meeting once it has been held."), "future", "held_on"))
    attendees = (cells.get("attendees") or "").strip()
    if not attendees:
        problems.append(both(lambda: gettext("List who attended."), "required", "attendees"))
    for name in ("attendees", "notes"):
        if len((cells.get(name) or "").strip()) > TEXT_MAX:
            problems.append(both(lambda: gettext("Keep this under 4,000 characters."), "too_long", name))
    clean = []
    for i, d in enumerate(decisions):
        if not any((d.get(k) or "").strip() for k in ("obstacle", "decision", "owner", "due_on")):
            continue
        field = f"decisions-{i}"
        try:
            obstacle = find_by_code(d.get("obstacle"))
        except codes.CodeError:
            obstacle = None
        if obstacle is None or obstacle.status not in OPEN:
            problems.append(both(lambda: gettext("Choose an open obstacle for each decision."), "obstacle", field))
            continue
        text = (d.get("decision") or "").strip()
        if not text or len(text) > TEXT_MAX:
            problems.append(both(lambda: gettext("Write the decision (under 4,000 characters)."), "decision", field))
            continue
        owner = db.session.scalar(select(Agency).where(Agency.slug == (d.get("owner") or "").strip()[:64]))
        if owner is None:
            problems.append(both(lambda: gettext("Choose the agency that follows the decision up."), "owner", field))
            continue
        try:
            due_on = parse_date((d.get("due_on") or "").strip()[:40])
        except (ValueError, OverflowError):
            problems.append(both(lambda: gettext("Give the follow-up deadline as 1404/02/15 or 2025-05-05."),
                                 "date", field))
            continue
        clean.append({"obstacle": obstacle, "decision": text, "owner": owner, "due_on": due_on})
    if not clean and not problems:
        problems.append(both(lambda: gettext("Record at least one decision on an obstacle."), "required",
                             "decisions-0"))
    if problems:
        raise Invalid(problems)
    return {"held_on": held_on, "attendees": attendees, "notes": (cells.get("notes") or "").strip(),
            "decisions": clean}


def record_meeting(values: dict, user) -> Meeting:
    """Store a meeting; each obstacle it decided on is now with the working group (flushes)."""
    if not authz.can_run_working_group(user):
        raise NotAllowed()
    if db.session.scalar(select(Meeting.id).where(Meeting.held_on == values["held_on"],
                                                  Meeting.attendees == values["attendees"])):  # the form sent twice
        raise Invalid([both(lambda: gettext("This meeting is already recorded."), "duplicate", "held_on")])
    meeting = Meeting(held_on=values["held_on"], attendees=values["attendees"], notes=values["notes"],
                      created_by_id=getattr(user, "id", None))
    db.session.add(meeting)
    for d in values["decisions"]:
        meeting.decisions.append(MeetingDecision(obstacle=d["obstacle"], decision=d["decision"], owner=d["owner"],
                                                 due_on=d["due_on"]))
        if d["obstacle"].status in ("new", "assigned"):
            before = _snapshot(d["obstacle"])
            if d["obstacle"].agency is None:
                d["obstacle"].agency = d["owner"]
            d["obstacle"].status = "working_group"
            audit("update", "obstacle", d["obstacle"].code, before=before, after=_snapshot(d["obstacle"]),
                  user=user)
    db.session.flush()
    audit("create", "meeting", meeting.id, after={"held_on": meeting.held_on.isoformat(),
                                                  "decisions": len(values["decisions"])}, user=user)
    return meeting


def supply_cuts(known_codes=None) -> dict[str, list[dict]]:
    """Open reports of water, power or gas cuts as the gap engine takes them: product code →
    ``[{"kind", "lost_output" (a year), "county"}]``. Rejected and resolved reports no longer count."""
    rows = db.session.execute(
        select(Product.code, Obstacle.category, Obstacle.lost_per_year, County.slug)
        .join(Product, Product.id == Obstacle.product_id).join(County, County.id == Obstacle.county_id)
        .where(Obstacle.status.in_(OPEN), Obstacle.category.in_(OBSTACLE_KINDS))
        .order_by(Obstacle.id)).all()
    out: dict[str, list[dict]] = {}
    for code, kind, lost, county in rows:
        if known_codes is not None and code not in known_codes:
            continue
        out.setdefault(code, []).append({"kind": kind, "lost_output": float(lost or 0.0), "county": county})
    return out


def open_obstacles_for(product_ids) -> list[Obstacle]:
    """Open reports on these products (a chain page lists them as what blocks its links)."""
    ids = product_ids if isinstance(product_ids, Select) else list(product_ids)  # a subquery or the ids
    if not isinstance(ids, Select) and not ids:
        return []
    return list(db.session.scalars(select(Obstacle).where(Obstacle.status.in_(OPEN), Obstacle.product_id.in_(ids))
                                   .order_by(Obstacle.lost_per_year.desc(), Obstacle.id)))
