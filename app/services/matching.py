"""Matching in the web layer: rows → records for ``matching/``, the shared index and scorer, alerts.

The index of published opportunities lives in ``services.match_index``. The scorer in use is the
joblib file ``instance/match_model.joblib`` written by ``flask matching train``
(with its version), or the documented defaults; every worker loads the same file.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
from flask import current_app
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import fa_digits
from app.models import (
    Applicant,
    County,
    Interest,
    MatchFeedback,
    Opportunity,
    OutboxMessage,
    Product,
    User,
    ValueChain,
    chain_products,
)
from app.queue import huey, task_context
from app.services import match_index as match_index_module
from app.services.audit import audit
from app.services.graph import per_data_version
from app.services.mail import send_pending
from app.services.match_index import match_index
from chains import records as rec
from matching.model import Match, MatchResult, MatchScorer, explain_match, recommend
from matching.reverse import score_applicants

_lock = threading.Lock()
_state: dict = {"scorer": None, "scorer_stamp": None}


# ---------------------------------------------------------------- records
def split(value: str) -> tuple[str, ...]:
    return tuple(x for x in (value or "").split("|") if x)


def applicant_record(a: Applicant) -> rec.Applicant:
    return rec.Applicant(ref=a.ref, applicant_type=a.applicant_type, capital_rials=a.capital_rials, name=a.name,
                         sectors=split(a.sectors), skills=a.skills, products=split(a.products),
                         counties=split(a.counties), lang=a.lang)


def profile_record(profile: dict, ref: str, lang: str) -> rec.Applicant:
    """A checked profile (``services.profiles.check_profile``) as the matcher's record."""
    return rec.Applicant(ref=ref, applicant_type=profile["applicant_type"], capital_rials=profile["capital_rials"],
                         sectors=tuple(profile["sectors"]), skills=profile["skills"],
                         products=tuple(profile["products"]), counties=tuple(profile["counties"]), lang=lang)


def known_codes(codes) -> list[str]:
    """The given product codes that are in the province's product list, in order, once each."""
    wanted = [c for c in dict.fromkeys(codes) if isinstance(c, str)]
    if not wanted:
        return []
    known = set(db.session.scalars(select(Product.code).where(Product.code.in_(wanted),
                                                              Product.retired.is_(False))))
    return [c for c in wanted if c in known]


def product_labels(codes, lang: str) -> list[tuple[str, str]]:
    """(code, «فرش دستباف (۵۷۰۱)» or "Hand-knotted carpets (5701)") for each known code."""
    rows = {p.code: p for p in db.session.scalars(select(Product).where(Product.code.in_(list(codes))))}
    out = []
    for code in codes:
        p = rows.get(code)
        if p is not None:
            out.append((code, f"{p.name_fa} ({fa_digits(code)})" if lang == "fa" else f"{p.name_en} ({code})"))
    return out


def understood(text: str, lang: str) -> list[tuple[str, str]]:
    """What the applicant's free text was understood to name: (code, label), best first."""
    return product_labels([x.code for x in match_index().link(text or "")], lang)


# ---------------------------------------------------------------- the scorer
def model_path() -> Path:
    configured = current_app.config.get("PANJEREH_MATCH_MODEL")
    return Path(configured or Path(current_app.instance_path) / "match_model.joblib")


def scorer() -> MatchScorer:
    path = model_path()
    stamp = path.stat().st_mtime_ns if path.exists() else None
    with _lock:
        if _state["scorer"] is not None and _state["scorer_stamp"] == (str(path), stamp):
            return _state["scorer"]
    model = MatchScorer.load(path, fallback=True) if stamp is not None else MatchScorer.default()
    with _lock:
        _state.update(scorer=model, scorer_stamp=(str(path), stamp))
    return model


# ---------------------------------------------------------------- matching one applicant
@dataclass
class Matches:
    result: MatchResult
    opportunities: dict[str, Opportunity]
    linked: list[tuple[str, str]]  # "we understood": (code, label) of the products the free text names


def confirmed_links(applicant: rec.Applicant) -> list:
    """The products the free text names that the profile kept (its product codes are the confirmed list).

    A product the clerk or visitor cleared under "we understood" is not among the profile's codes, so it
    is not linked again from the text when the profile is ranked."""
    kept = set(applicant.products)
    return [x for x in match_index().link(applicant.skills or "") if x.code in kept]


def match(applicant: rec.Applicant, lang: str, k: int = 20, *, strict_counties: bool = False,
          confirmed: bool = False, audience: str = "self") -> Matches:
    """Matches (with levels), near misses and exclusions, and "others within your means", with their rows.

    ``confirmed``: the profile's product codes already hold the linked products someone confirmed
    (a form's "we understood"), so only those count as named (``confirmed_links``); otherwise the
    free text is linked automatically (the API). ``audience``: ``"desk"`` when a member of staff reads
    the reasons about the applicant («متقاضی …»), ``"self"`` when the investor reads them («شما …»)."""
    result = rank(applicant, lang, k, strict_counties=strict_counties, confirmed=confirmed, audience=audience)
    rows = db.session.scalars(select(Opportunity).where(Opportunity.ref.in_(listed_refs(result)))
                              .options(selectinload(Opportunity.county),
                                       selectinload(Opportunity.product).selectinload(Product.chains))).all()
    return Matches(result, {o.ref: o for o in rows}, product_labels([x.code for x in result.linked], lang))


def rank(applicant: rec.Applicant, lang: str, k: int = 20, *, strict_counties: bool = False,
         confirmed: bool = False, audience: str = "self") -> MatchResult:
    """:func:`match` without the opportunities' rows (the API reads only a few columns of them: :func:`listed`)."""
    return recommend(match_index(), scorer(), applicant, k=k, lang=lang, strict_counties=strict_counties,
                     linked=confirmed_links(applicant) if confirmed else None, audience=audience)


def listed_refs(result: MatchResult) -> set[str]:
    """Every opportunity a match result names: matches, others within the applicant's means, exclusions."""
    return ({m.opportunity_ref for m in result.matches} | {m.opportunity_ref for m in result.others}
            | {e.opportunity_ref for e in result.excluded})


class Listed(NamedTuple):
    """What the API's match answer shows of an opportunity, read as plain columns (no ORM rows)."""

    id: int
    ref: str
    title_fa: str
    title_en: str
    investment_min_rials: int
    product_code: str
    county: str
    chains: tuple[str, ...]


def listed(refs) -> dict[str, Listed]:
    """:class:`Listed` by ref, for the refs that are stored (from :func:`listed_table`; no query)."""
    return listed_table().lookup(refs)


class ListedTable:
    """Every stored opportunity's :class:`Listed` columns, compactly: the refs sorted (looked up by binary
    search), ids and minimum investments as arrays, products and counties as small integers, and each language's
    titles as one string with offsets. 100,000 opportunities take 29.7 MB; as a dict of
    :class:`Listed` they took 68.8 MB per process (tracemalloc, on the load harness's data)."""

    def __init__(self, rows, chains: dict[int, tuple[str, ...]]):
        rows = sorted(rows, key=lambda r: r[1])  # (id, ref, title_fa, title_en, min, product code, product id, county)
        self.refs = np.array([r[1] for r in rows], dtype=str)
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.investment_min = np.fromiter((r[4] for r in rows), dtype=np.int64, count=len(rows))
        pairs = list(dict.fromkeys((r[6], r[5]) for r in rows))  # (product id, code), each product once
        products = {pid: i for i, (pid, _) in enumerate(pairs)}
        self.product_codes = [code for _, code in pairs]
        self.product_chains = [chains.get(pid, ()) for pid, _ in pairs]
        self.product = np.fromiter((products[r[6]] for r in rows), dtype=np.int32, count=len(rows))
        counties = {slug: i for i, slug in enumerate(dict.fromkeys(r[7] for r in rows))}
        self.county_slugs = list(counties)
        self.county = np.fromiter((counties[r[7]] for r in rows), dtype=np.int32, count=len(rows))
        self.titles = {lang: self._joined([r[col] or "" for r in rows]) for lang, col in (("fa", 2), ("en", 3))}

    @staticmethod
    def _joined(texts: list[str]) -> tuple[str, np.ndarray]:
        ends = np.cumsum(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)))
        return "".join(texts), np.concatenate(([0], ends)).astype(np.int64)

    def _title(self, lang: str, i: int) -> str:
        text, offsets = self.titles[lang]
        return text[offsets[i]:offsets[i + 1]]

    def lookup(self, refs) -> dict[str, Listed]:
        wanted = [r for r in dict.fromkeys(refs) if isinstance(r, str)]
        if not wanted or not len(self.refs):
            return {}
        at = np.searchsorted(self.refs, wanted)
        out = {}
        for ref, i in zip(wanted, at.tolist(), strict=True):
            if i < len(self.refs) and self.refs[i] == ref:
                p = int(self.product[i])
                out[ref] = Listed(int(self.ids[i]), ref, self._title("fa", i), self._title("en", i),
                                  int(self.investment_min[i]), self.product_codes[p],
                                  self.county_slugs[int(self.county[i])], self.product_chains[p])
        return out


def listed_table() -> ListedTable:
    """Every opportunity's :class:`Listed` columns (:class:`ListedTable`), kept per data version (every write to
    an opportunity, product, chain or county bumps it; ``services.versions``). A match answer names up to 30
    opportunities: looking them up here saves two queries a match, which PostgreSQL planned afresh each time (their
    30-value ``IN`` lists). Every status, as the queries read them: while the match index of the previous version
    is served (``services.match_index``), what it names is still shown, with the current title."""
    return per_data_version("match_listed", _read_listed_table)


def _read_listed_table() -> ListedTable:
    chains: dict[int, list[str]] = {}
    for product_id, slug in db.session.execute(
            select(chain_products.c.product_id, ValueChain.slug)
            .join(ValueChain, ValueChain.id == chain_products.c.chain_id).order_by(ValueChain.slug)):
        chains.setdefault(product_id, []).append(slug)
    rows = db.session.execute(
        select(Opportunity.id, Opportunity.ref, Opportunity.title_fa, Opportunity.title_en,
               Opportunity.investment_min_rials, Product.code, Product.id, County.slug)
        .join(Product, Product.id == Opportunity.product_id).join(County, County.id == Opportunity.county_id)).all()
    return ListedTable(rows, {product_id: tuple(slugs) for product_id, slugs in chains.items()})


def next_ref(prefix: str, column) -> str:
    """A short, unguessable reference such as APP-7K3Q9M (no two alike)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        ref = f"{prefix}-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not db.session.scalar(select(column).where(column == ref)):
            return ref


def create_applicant(data: dict, user=None, staff=None) -> Applicant:
    applicant = Applicant(
        ref=next_ref("APP", Applicant.ref), applicant_type=data["applicant_type"],
        name=data.get("name", ""), phone=data.get("phone", ""), capital_rials=data["capital_rials"],
        sectors="|".join(data.get("sectors", ())), skills=data.get("skills", ""),
        products="|".join(data.get("products", ())), counties="|".join(data.get("counties", ())),
        strict_counties=bool(data.get("strict_counties")), lang=data.get("lang", "fa"),
        user_id=getattr(user, "id", None), alerts=bool(data.get("alerts")),
        created_by_id=getattr(staff, "id", None), illustrative=False)
    db.session.add(applicant)
    db.session.flush()
    audit("create", "applicant", applicant.ref, user=staff or user)
    return applicant


def record_feedback(applicant: Applicant, opportunity: Opportunity, relevant: bool, signals: dict | None, user):
    row = db.session.scalar(select(MatchFeedback).where(MatchFeedback.applicant_id == applicant.id,
                                                        MatchFeedback.opportunity_id == opportunity.id))
    if row is None:
        row = MatchFeedback(applicant_id=applicant.id, opportunity_id=opportunity.id)
        db.session.add(row)
    row.relevant, row.signals, row.user_id = relevant, signals, getattr(user, "id", None)
    db.session.flush()
    return row


def express_interest(applicant: Applicant, opportunity: Opportunity, note: str = "") -> Interest:
    row = db.session.scalar(select(Interest).where(Interest.applicant_id == applicant.id,
                                                   Interest.opportunity_id == opportunity.id))
    if row is None:
        row = Interest(applicant_id=applicant.id, opportunity_id=opportunity.id, agency_id=opportunity.agency_id,
                       note=note)
        db.session.add(row)
        db.session.flush()
    return row


def reachable_applicants(opportunity: Opportunity):
    """The applicants the opportunity's agency may contact about it.

    Those who asked to be contacted (a saved profile with alerts, or an interest in this opportunity)
    and those who came through that agency's desk (created by a user of the agency)."""
    came_through = (Applicant.created_by_id.in_(select(User.id).where(User.agency_id == opportunity.agency_id))
                    if opportunity.agency_id is not None else false())  # never "agency IS NULL": every desk
    return select(Applicant).where(or_(
        and_(Applicant.alerts.is_(True), Applicant.user_id.is_not(None)),
        Applicant.id.in_(select(Interest.applicant_id).where(Interest.opportunity_id == opportunity.id)),
        came_through,
    ))


def reverse_lookup(opportunity: Opportunity, k: int = 20) -> list[tuple[Applicant, float, list]]:
    """The reachable applicants (``reachable_applicants``) that fit one opportunity best, with reasons.

    All reachable applicants are scored against this one opportunity in one vectorised pass
    (``matching.reverse.score_applicants``); applicants the hard rules exclude are left out, and only the
    ``k`` kept are explained (``explain_match``), so the scores are those ``explain_match`` gives.
    """
    index = match_index()
    if opportunity.ref not in set(index.refs_.tolist()):
        return []
    model = scorer()
    lang = str(get_locale() or "fa")
    rows = db.session.scalars(reachable_applicants(opportunity).order_by(Applicant.id)).all()
    records = [applicant_record(a) for a in rows]
    scores, rules = score_applicants(index, model, records, opportunity.ref,
                                     strict_counties=[a.strict_counties for a in rows])
    kept = sorted((j for j in range(len(rows)) if rules[j] < 0), key=lambda j: (-float(scores[j]), rows[j].ref))[:k]
    out = []
    for j in kept:
        result = explain_match(index, model, records[j], opportunity.ref, lang, strict_counties=rows[j].strict_counties,
                               audience="desk")  # an agency's editor reads them about the applicant
        out.append((rows[j], float(scores[j]), list(result.reasons) if isinstance(result, Match) else []))
    return out


# ---------------------------------------------------------------- alerts
def queue_alerts(threshold: float | None = None) -> int:
    """Queue one message per saved profile for each published opportunity that matches it above the threshold.

    Idempotent: a (profile, opportunity) pair is queued at most once (``dedupe_key``).
    """

    threshold = current_app.config.get("PANJEREH_ALERT_THRESHOLD", 0.6) if threshold is None else threshold
    profiles = db.session.scalars(select(Applicant).where(Applicant.alerts.is_(True), Applicant.user_id.is_not(None))
                                  .order_by(Applicant.id)).all()
    queued = 0
    index, model = match_index(), scorer()
    for a in profiles:
        user = db.session.get(User, a.user_id)
        if user is None or not user.active:
            continue
        result = recommend(index, model, applicant_record(a), k=50, lang=a.lang, strict_counties=a.strict_counties)
        wanted = {f"alert:{a.ref}:{m.opportunity_ref}": m for m in result.matches if m.score >= threshold}
        if not wanted:
            continue
        sent = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(wanted))))
        opps = {o.ref: o for o in db.session.scalars(select(Opportunity).where(
            Opportunity.ref.in_([m.opportunity_ref for m in wanted.values()])))}
        for key, m in wanted.items():
            if key in sent:
                continue
            opp = opps[m.opportunity_ref]
            with force_locale(a.lang):
                title = opp.title_fa if a.lang == "fa" else opp.title_en
                subject = gettext("A new investment opportunity matches your profile: %(title)s", title=title)
                body = "\n".join([gettext("Hello,"), "",
                                  gettext("This opportunity was published and fits your saved profile:"),
                                  title, *[f"- {r.text}" for r in m.reasons], "",
                                  gettext("Panjereh, the investment single window")])
            db.session.add(OutboxMessage(kind="match_alert", to=user.email, lang=a.lang, subject=subject, body=body,
                                         dedupe_key=key))
            queued += 1
    db.session.flush()
    return queued


def alerts_and_mail(threshold: float | None = None) -> tuple[int, int]:
    """Queue alerts for saved profiles, commit, deliver the outbox (in the current app context; commits)."""
    queued = queue_alerts(threshold)
    db.session.commit()
    sent = send_pending()
    db.session.commit()
    return queued, sent


@huey.task()
def send_alerts(threshold: float | None = None) -> int:
    """Alerts for the saved profiles that published opportunities match, then mail delivery."""
    with task_context():
        return alerts_and_mail(threshold)[0]


def reset_cache() -> None:
    match_index_module.reset()
    with _lock:
        _state.update(scorer=None, scorer_stamp=None)


__all__ = ["applicant_record", "match_index", "scorer", "match", "create_applicant", "record_feedback",
           "express_interest", "reverse_lookup", "queue_alerts", "model_path", "reset_cache"]
