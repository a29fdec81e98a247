"""What the portal's pages share: look-ups scoped by app.security.authz (outside the editor's remit is a
404), problems on form fields, the conflict table."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import inspect, select

from app.extensions import db
from app.i18n import current_lang, jalali_text, localise_digits  # noqa: F401  (jalali_text: the portal's forms)
from app.models import Link, Opportunity, Product, ValueChain
from app.security import authz
from chains.nomenclature import normalize_digits

PORTAL_ROLES = ("agency_editor", "hq", "admin")


PER_PAGE = 25


# ---------------------------------------------------------------- helpers
def _one_or_404(stmt):
    row = db.session.scalar(stmt)
    if row is None:
        abort(404)
    return row


def scoped_product(code: str) -> Product:
    return _one_or_404(authz.scope_products(select(Product).where(Product.code == code), current_user))


def scoped_link(link_id: int) -> Link:
    return _one_or_404(authz.scope_links(select(Link).where(Link.id == link_id), current_user))


def scoped_chain(slug: str) -> ValueChain:
    return _one_or_404(authz.scope_chains(select(ValueChain).where(ValueChain.slug == slug), current_user))


def scoped_opportunity(opp_id: int) -> Opportunity:
    return _one_or_404(authz.scope_opportunities(select(Opportunity).where(Opportunity.id == opp_id), current_user))


def show_problems(form, problems, fallback: str) -> None:
    """Put each problem's message, in the page's language, on its form field (or ``fallback``)."""
    lang = current_lang()
    for p in problems:
        field = form._fields.get(p.field) or form._fields.get(fallback)
        errors = field.errors if isinstance(field.errors, list) else list(field.errors)
        if p.message(lang) not in errors:
            errors.append(p.message(lang))
        field.errors = errors




def _same(mine, now) -> bool:
    """Typed and stored agree, whichever digits the form showed them in (fa forms show Persian digits)."""
    return _ascii(mine) == _ascii(now)


def conflict_rows(form, typed: dict, current: dict) -> list[tuple[str, str, str]]:
    """(label, what they typed, what is stored now) for each field where the two differ."""
    rows = []
    for name, now in current.items():
        mine = typed.get(name, "")
        if isinstance(now, dict):  # financing shares
            for kind, share in now.items():
                if not _same(mine.get(kind, "") if isinstance(mine, dict) else "", share):
                    label = form[f"share_{kind}"].label.text
                    rows.append((label, (mine or {}).get(kind, ""), share))
            continue
        if not _same(mine, now) and name in form:
            rows.append((form[name].label.text, mine, now))
    return rows


def conflict_message() -> str:
    return gettext("Someone else changed this record in the meantime. Nothing you typed was saved: compare "
                   "your values with the stored ones below, then save again if yours should replace them.")


def _refresh(row):
    """After a refused save: forget everything this request changed and read the row as stored now.

    The identity comes from the instance state, not ``row.id``: after a flush failed (a StaleDataError
    when another save won), reading an attribute would load it inside the failed transaction and raise
    PendingRollbackError. So: the key first, then the rollback, then the read."""
    model, ident = type(row), inspect(row).identity
    db.session.rollback()
    return db.session.get(model, ident)


def _ascii(value) -> str:
    """A form value as typed or stored, with ASCII digits and the Latin thousands separator."""
    return normalize_digits(str(value).strip()).replace("٬", ",")
