"""An applicant's profile, validated once: the self-service match form, the desk's intake and
POST /api/v1/match all hand their cells to ``check_profile`` and get the same profile or the same problems.

* capital: a whole number of rials from 1 to 10^17, read exactly (text is parsed as a decimal, never a float);
  the form gives an amount and a unit, the API ``capital_rials``;
* products: HS codes (any digits; «۰۴۰۶» is 0406) of the province's product list, an HS prefix (0806 is
  every stored code under it), or a product's name or alias in either language (through the matching index's
  linker); a name that could be several products is refused with the candidates listed;
* strict_counties: a boolean (the API's JSON true/false; the form's checkbox);
* sectors and counties: a slug or a name in either language (``queries.resolve_slug``);
* applicant type: one of ``APPLICANT_TYPES``; skills: text of at most 2,000 characters.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.i18n import current_lang, fa_digits
from app.models import County, Product, Sector
from app.services.errors import FieldProblem, Invalid, both
from app.services.graph import per_data_version
from app.services.match_index import match_index
from app.services.queries import resolve_slug
from app.services.records import aliases_of
from chains.nomenclature import normalize_code, normalize_digits
from chains.records import APPLICANT_TYPES
from matching.normalize import fold

CAPITAL_UNITS = {"rials": 1, "million": 10**6, "billion": 10**9}
MAX_CAPITAL = 10**17  # ten quadrillion rials: far beyond any provincial investment
MAX_SKILLS = 2000
MAX_ITEMS = 200


def parse_amount(text: str) -> Decimal | None:
    """«۱۲٫۵», "1,200" or "12.5" as an exact decimal; None when it is not a plain number."""
    cleaned = re.sub(r"[,\u066c\u060c\s_]", "", normalize_digits(text or "")).replace("\u066b", ".")
    if not re.fullmatch(r"\d{1,18}(\.\d{1,6})?", cleaned):
        return None
    return Decimal(cleaned)


def split_items(text: str) -> list[str]:
    """Items typed in one box, separated by commas (Latin or Persian), semicolons, bars or new lines."""
    return [item.strip() for item in re.split(r"[,،;\n|]+", text or "") if item.strip()]


def _capital(data: dict, problems: list[FieldProblem]) -> int | None:
    if "capital_rials" in data:
        field, raw, unit = "capital_rials", data["capital_rials"], 1
    else:
        field, raw = "capital", data.get("capital")
        unit = CAPITAL_UNITS.get(data.get("capital_unit") or "rials")
        if unit is None:
            problems.append(both(lambda: gettext("Choose a unit from the list."), "invalid_choice", "capital_unit"))
            return None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        problems.append(both(lambda: gettext("Enter the capital available."), "required", field))
        return None
    amount = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        amount = Decimal(raw)
    elif isinstance(raw, float) and raw.is_integer():
        amount = Decimal(raw)
    elif isinstance(raw, str):
        amount = parse_amount(raw)
    if amount is None:
        problems.append(both(lambda: gettext("Enter the capital as a number, for example 12.5."), "not_a_number",
                             field))
        return None
    rials = int((amount * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rials <= 0:
        problems.append(both(lambda: gettext("The capital must be more than zero."), "not_positive", field))
    elif rials > MAX_CAPITAL:
        problems.append(both(lambda: gettext("The capital is too large; check the unit."), "too_large", field))
    else:
        return rials
    return None


def _strings(data: dict, field: str, problems: list[FieldProblem], text_ok: bool = False) -> list[str]:
    value = data.get(field) or []
    if text_ok and isinstance(value, str):
        value = split_items(value)
    if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) for x in value) \
            or len(value) > MAX_ITEMS:
        problems.append(both(lambda: gettext("“%(field)s” must be a list of strings.", field=field), "not_a_list",
                             field))
        return []
    return [x.strip() for x in value if x.strip()]


def _slugs(model, values: list[str], field: str, code: str, message, problems: list[FieldProblem]) -> list[str]:
    out = []
    for value in values:
        slug = resolve_slug(model, value)
        if slug is None:
            problems.append(both(lambda v=value[:60]: message(v), code, field))
        elif slug not in out:
            out.append(slug)
    return out


def _product_label(code: str, names: dict[str, tuple[str, str]]) -> str:
    """«فرش دستباف (۵۷۰۱)» on a Persian page, "Hand-knotted carpets (5701)" on an English one."""
    lang = current_lang()
    fa, en = names.get(code, (code, code))
    return f"{fa} ({fa_digits(code)})" if lang == "fa" else f"{en} ({code})"


def _joined(items: list[str]) -> str:
    return ("، " if current_lang() == "fa" else ", ").join(items)


def _candidates(value: str, codes: set[str], by_name: dict[str, set[str]]) -> tuple[str, ...]:
    """The product codes one entry names: a code, an HS prefix (its children), or a name in either language."""
    picked = re.search(r"\(([0-9\u06f0-\u06f9\u0660-\u0669]+)\)\s*$", value)  # «پنیر (۰۴۰۶)» from the suggestions
    if picked and normalize_code(picked.group(1)) in codes:
        return (normalize_code(picked.group(1)),)
    words = value.split()
    token = normalize_code(words[0]) if words else ""
    if token in codes:  # a code, or "0406 — پنیر" picked from the suggestions
        return (token,)
    if token and token.isdigit() and len(words) == 1:
        return tuple(c for c in match_index().linker_.expand(token) if c in codes)
    named = by_name.get(fold(value), set())
    if named:
        return tuple(sorted(named))
    return tuple(c for c in match_index().linker_.resolve(value) if c in codes)


def _product_names() -> tuple[frozenset[str], dict[str, tuple[str, str]], dict[str, frozenset[str]]]:
    """The product list's codes, their names (fa, en), and the codes each folded name or alias names."""
    rows = db.session.execute(select(Product.code, Product.name_fa, Product.name_en, Product.aliases)
                              .where(Product.retired.is_(False))).all()
    by_name: dict[str, set[str]] = {}
    for code, fa, en, aliases in rows:
        for name in (fa, en, *aliases_of(aliases)):
            by_name.setdefault(fold(name), set()).add(code)
    return (frozenset(code for code, *_ in rows), {code: (fa, en) for code, fa, en, _ in rows},
            {name: frozenset(found) for name, found in by_name.items()})


def _products(values: list[str], problems: list[FieldProblem]) -> list[str]:
    if not values:
        return []
    # Read once per data version (every product write bumps it): 40,000 products at national scale.
    codes, names, by_name = per_data_version("profile_product_names", _product_names)
    out = []
    for value in values:
        found = _candidates(value, codes, by_name)
        is_prefix = bool(value.split()) and normalize_code(value.split()[0]).isdigit()
        if not found:
            problems.append(both(lambda v=value[:40]: gettext("“%(value)s” is not in the province's product list.",
                                                              value=v), "unknown_product", "products"))
        elif len(found) > 1 and not is_prefix:
            problems.append(both(lambda v=value[:40], f=found[:8]: gettext(
                "“%(value)s” could be several products: %(candidates)s. Type the code of the one you mean.",
                value=v, candidates=_joined([_product_label(c, names) for c in f])), "ambiguous_product", "products"))
        else:
            out.extend(c for c in found if c not in out)
    return out[:MAX_ITEMS]


def check_profile(data: dict) -> dict:
    """The profile ``data`` describes (slugs and codes resolved), or ``Invalid`` with every problem."""
    problems: list[FieldProblem] = []
    kind = data.get("applicant_type")
    kind = kind.strip() if isinstance(kind, str) else kind
    if kind in (None, ""):
        problems.append(both(lambda: gettext("Choose the type of applicant."), "required", "applicant_type"))
    elif kind not in APPLICANT_TYPES:
        problems.append(both(lambda: gettext("Choose the type of applicant from the list."), "invalid_choice",
                             "applicant_type"))
    capital = _capital(data, problems)
    sectors = _slugs(Sector, _strings(data, "sectors", problems), "sectors", "unknown_sector",
                     lambda v: gettext("“%(value)s” is not a known sector.", value=v), problems)
    counties = _slugs(County, _strings(data, "counties", problems), "counties", "unknown_county",
                      lambda v: gettext("“%(value)s” is not a known county.", value=v), problems)
    products = _products(_strings(data, "products", problems, text_ok=True), problems)
    skills = data.get("skills") or ""
    if not isinstance(skills, str):
        problems.append(both(lambda: gettext("“skills” must be text of at most 2,000 characters."), "invalid_text",
                             "skills"))
        skills = ""
    elif len(skills) > MAX_SKILLS:
        problems.append(both(lambda: gettext("Keep this under 2,000 characters."), "too_long", "skills"))
    lang = data.get("lang")
    if lang is not None and lang not in ("fa", "en"):
        problems.append(both(lambda: gettext("“lang” must be fa or en."), "invalid_choice", "lang"))
    strict = data.get("strict_counties", False)
    if not isinstance(strict, bool):
        problems.append(both(lambda: gettext("“strict_counties” must be true or false."), "not_a_boolean",
                             "strict_counties"))
    if problems:
        raise Invalid(problems)
    return {"applicant_type": kind, "capital_rials": capital, "sectors": sectors, "products": products,
            "counties": counties, "skills": skills.strip(), "lang": lang, "strict_counties": strict}
