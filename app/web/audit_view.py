"""The audit trail as a person reads it: each changed field labelled, each value in the page's language.

AuditEvent.before/after hold plain JSON (app/services/audit.py). Pages never show that JSON: every key
is named through app/web/labels.py, dates become Jalali on fa pages, numbers get the page's digits,
codes and e-mail addresses are isolated (app/web/filters.py), and enumerations (a role, a stage, a
status) are shown by their label. The CSV export keeps the raw JSON for machines.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext
from markupsafe import Markup, escape

from app.i18n import calendar_date, clock_time, current_lang, number
from app.services.records import types_from_mask
from app.web.context import list_separator
from app.web.filters import code, latin
from app.web.labels import (
    applicant_type_labels,
    audit_entity_labels,
    audit_field_labels,
    choice_labels,
    financing_labels,
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
CODE_KEYS = {"code", "supplier", "user", "product", "agency", "sector", "county", "slug", "applicant",
             "opportunity", "sectors", "products_added", "products_removed", "regions", "product_id",
             "county_id", "agency_id", "sector_id"}
NO_VALUE = Markup("—")


def _enum_labels(key: str) -> dict[str, str] | None:
    special = {"password": lambda: {"changed": gettext("changed")},
               "second_factor": lambda: {"reset": gettext("reset")}}.get(key)
    return special() if special else choice_labels(key)


def key_label(key: str) -> Markup:
    for table in (audit_field_labels(), audit_entity_labels(), financing_labels()):
        if key in table:
            return escape(table[key])
    return code(key)


def value_text(key: str, value) -> Markup:
    """One stored value as it reads on the page."""
    lang = current_lang()
    if value is None or value == "" or value == []:
        return NO_VALUE
    if isinstance(value, bool):
        return escape(gettext("Yes") if value else gettext("No"))
    if key == "suited_mask" and isinstance(value, int):
        labels = applicant_type_labels()
        return escape(list_separator().join(labels.get(t, t) for t in types_from_mask(value)) or "—")
    if key == "suited_for" and isinstance(value, list):
        labels = applicant_type_labels()
        return escape(list_separator().join(labels.get(t, str(t)) for t in value))
    if isinstance(value, dict):
        shares = key == "financing_bp"
        return Markup(list_separator()).join(
            Markup("{}: {}").format(key_label(k), _share(v, lang) if shares and isinstance(v, (int, float))
                                    else value_text(k, v))
            for k, v in sorted(value.items()))
    if isinstance(value, list):
        return Markup(list_separator()).join(value_text(key, v) for v in value)
    if isinstance(value, (int, float)):
        if key in CODE_KEYS:
            return code(value, lang)
        return escape(number(value, lang, digits=0 if isinstance(value, int) else 4))
    text = str(value)
    labels = _enum_labels(key)
    if labels and text in labels:
        return escape(labels[text])
    if ISO_MOMENT.fullmatch(text):
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return Markup("{} {}").format(calendar_date(moment, lang), code(clock_time(moment, lang), lang))
    if ISO_DATE.fullmatch(text):
        return escape(calendar_date(date.fromisoformat(text), lang))
    if key in CODE_KEYS:
        return code(text, lang)
    if key == "email" or "@" in text:
        return latin(text)
    if key.endswith(("_fa", "_en")):
        field_lang = key[-2:]
        direction = "rtl" if field_lang == "fa" else "ltr"
        return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(field_lang, direction, text)
    # Free text kept as it was typed (a source, a name): its language is not known.
    return Markup('<bdi lang="" dir="auto">{}</bdi>').format(text)


def _share(basis_points, lang: str) -> Markup:
    return escape(number(basis_points / 100, lang, digits=2) + ("٪" if lang == "fa" else "%"))


def audit_fields(before, after) -> list[dict]:
    """Rows of (field label, value before, value after) for one event, in a stable order."""
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    keys = list(dict.fromkeys([*after, *before]))
    return [{"label": key_label(k), "before": value_text(k, before[k]) if k in before else NO_VALUE,
             "after": value_text(k, after[k]) if k in after else NO_VALUE} for k in keys]
