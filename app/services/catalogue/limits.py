"""What fits in the database: bounds read from the models' columns, checked before the database sees a value.

One check for every way a catalogue record arrives (portal form, JSON API, CSV/XLSX import), so a value
that does not fit is a field-level 400 in the user's language on SQLite and PostgreSQL alike, never an
OverflowError, a NumericValueOutOfRange or a silently stored 600,000-character name.

The bounds come from ``Model.__table__.columns``:

* ``String(n)``: at most ``n`` characters.
* ``Text``: at most ``TEXT_MAX`` characters (the columns have no bound of their own; the portal's text areas
  allow the same 4,000).
* ``Integer``: at most 2**31 - 1; ``BigInteger`` (rials): at most 2**63 - 1.
* ``Float`` (quantities per year, coefficients): at most ``FLOAT_MAX``; the readers already refuse NaN and
  infinities.

Cells are the text cells the ``chains.io`` readers take (field -> text); a value the readers cannot parse,
or a negative one, is left to them to report.
"""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import BigInteger, Float, Integer, String

from app.i18n import number
from app.models import Link, Opportunity, Product, ValueChain
from app.services.errors import FieldProblem, both
from chains.io import parse_integer, parse_number

#: Characters in a Text column (descriptions, incentives): about two pages, as the portal's text areas allow.
TEXT_MAX = 4_000

#: Largest quantity a Float column takes: a billion times any province's yearly figure, yet exact to the unit.
FLOAT_MAX = 1e15

INTEGER_MAX = 2**31 - 1
BIG_INTEGER_MAX = 2**63 - 1

#: The fields of each kind of record that are stored in a column of the same name.
FIELDS = {
    "products": (Product, ("code", "nomenclature", "name_fa", "name_en", "stage", "unit", "unit_price_rials",
                           "capacity", "output", "demand", "inflow", "outflow", "active_units", "idle_units",
                           "jobs", "source")),
    "links": (Link, ("coefficient", "source")),
    "opportunities": (Opportunity, ("ref", "title_fa", "title_en", "description_fa", "description_en",
                                    "incentives_fa", "incentives_en", "investment_min_rials",
                                    "investment_max_rials", "jobs", "status", "gap_kind")),
    "chains": (ValueChain, ("name_fa", "name_en", "description_fa", "description_en", "priority")),
}


def max_length(model, field: str) -> int:
    """The most characters ``model``'s text column ``field`` takes."""
    kind, most = bound(model, field)
    if kind != "length":
        raise ValueError(f"{model.__name__}.{field} is not a text column")
    return int(most)


def bound(model, field: str) -> tuple[str, float] | None:
    """("length" | "integer" | "quantity", the largest value) of ``model``'s column ``field``."""
    kind = model.__table__.columns[field].type
    if isinstance(kind, String):  # Text is a String without a length
        return "length", kind.length if kind.length is not None else TEXT_MAX
    if isinstance(kind, BigInteger):
        return "integer", BIG_INTEGER_MAX
    if isinstance(kind, Integer):
        return "integer", INTEGER_MAX
    if isinstance(kind, Float):
        return "quantity", FLOAT_MAX
    return None


def _too_long(field: str, length: int, most: int) -> FieldProblem:
    return both(lambda: gettext("This is %(length)s characters long; at most %(most)s fit here.",
                                length=number(length), most=number(most)), "too_long", field)


def _too_large(field: str, most: float) -> FieldProblem:
    return both(lambda: gettext("This number is too large; at most %(most)s fit here.", most=number(most)),
                "too_large", field)


def limit_problems(kind: str, cells: dict) -> list[FieldProblem]:
    """A problem for each cell of a ``kind`` record (products, links, opportunities, chains) that does not fit."""
    model, fields = FIELDS[kind]
    problems = []
    for field in fields:
        text = cells.get(field)
        if not isinstance(text, str) or not text.strip():
            continue
        text = text.strip()
        what, most = bound(model, field)
        if what == "length":
            if len(text) > most:
                problems.append(_too_long(field, len(text), most))
            continue
        try:
            value = parse_integer(text) if what == "integer" else parse_number(text)
        except (ValueError, ArithmeticError):
            continue  # not a number (or not whole): the reader says so
        if value > most:
            problems.append(_too_large(field, most))
    return problems


def checked(kind: str, cells: dict, problems: list[FieldProblem]) -> list[FieldProblem]:
    """The limit problems of ``cells`` with the other ``problems``, minus those about a field that does not
    fit anyway (the size is the one thing to fix there)."""
    limits = limit_problems(kind, cells)
    too_big = {p.field for p in limits}
    return limits + [p for p in problems if p.field not in too_big]
