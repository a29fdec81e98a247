"""Plain-language reasons and exclusion texts, in Persian or English, built from the data.

Only the top matches and the near misses reach this module, so it is ordinary
Python over a handful of opportunities. Persian texts use Persian digits, the
Persian percent sign and separators («۸۰٪», «۲٫۵ میلیارد ریال»); English
texts use Latin digits.

Examples
--------
>>> format_rials(2_500_000_000, "fa")
'۲٫۵ میلیارد ریال'
>>> format_rials(2_500_000_000, "en")
'2.5 billion rials'
>>> format_percent(80, "fa"), format_percent(80, "en")
('۸۰٪', '80%')
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction

from chains.gaps import KINDS
from chains.records import Applicant, Opportunity

from .features import RULES, SIGNALS, MatchIndex
from .normalize import STOP_WORDS, persian_digits, term_key, term_set

__all__ = [
    "LANGS",
    "AUDIENCES",
    "TYPE_NAMES",
    "FINANCING_NAMES",
    "GAP_NAMES",
    "format_rials",
    "format_percent",
    "signal_reason",
    "exclusion_text",
    "MIN_SIGNAL",
    "LEVEL_NAMES",
    "STOP_WORDS",
    "opens",
    "opens_text",
    "own_capital_rials",
    "near_miss_text",
    "BECOME",
    "BECOME_DESK",
]

LANGS = ("fa", "en")
#: Who reads a reason: the investor themself («شما») or staff reading about the applicant («متقاضی»).
AUDIENCES = ("self", "desk")

#: Applicant types as plural nouns: type -> (fa, en).
TYPE_NAMES = {
    "individual": ("سرمایه‌گذاران خرد", "small investors"),
    "cooperative": ("تعاونی‌ها", "cooperatives"),
    "home_business": ("مشاغل خانگی", "home businesses"),
    "knowledge_based": ("شرکت‌های دانش‌بنیان", "knowledge-based firms"),
    "company": ("شرکت‌ها", "companies"),
}
#: Financing route kinds: kind -> (fa, en).
FINANCING_NAMES = {
    "bank": ("تسهیلات بانکی", "bank facility"),
    "capital_market": ("تأمین مالی از بازار سرمایه", "capital-market financing"),
    "leasing": ("لیزینگ", "leasing"),
    "provincial_fund": ("صندوق توسعه استان", "provincial fund"),
    "crowdfunding": ("تأمین مالی جمعی", "crowdfunding"),
}
#: Match levels: level -> (fa, en); thresholds in :data:`matching.model.LEVEL_THRESHOLDS`.
LEVEL_NAMES = {
    "strong": ("تناسب قوی", "strong fit"),
    "good": ("تناسب خوب", "good fit"),
    "possible": ("تناسب احتمالی", "possible fit"),
}
#: Gap kinds (every kind of :data:`chains.gaps.KINDS`): kind -> (fa, en).
GAP_NAMES = {
    "missing_supplier": ("نهاده‌ها از بیرون استان وارد می‌شود", "inputs are brought in from outside the province"),
    "shortfall": ("ظرفیت محلی کمتر از تقاضاست", "local capacity falls short of demand"),
    "unprocessed_outflow": ("ماده خام فرآوری‌نشده از استان خارج می‌شود", "raw material leaves the province unprocessed"),
    "idle_capacity": ("واحدهای موجود ظرفیت بلااستفاده دارند", "existing units have idle capacity"),
    "infrastructure": ("گلوگاه زیرساختی وجود دارد", "there is an infrastructure bottleneck"),
}
#: A signal below this value never becomes a reason (county 1/2 is "no preference").
MIN_SIGNAL = {"text": 0.05, "adjacency": 0.25, "capital": 0.5, "county": 0.75, "sector": 0.5, "gap": 0.5,
              "product": 0.15}
assert set(GAP_NAMES) == set(KINDS), "a reason for every gap kind the engine produces"

_SCALES = ((10**12, "هزار میلیارد ریال", "trillion rials"), (10**9, "میلیارد ریال", "billion rials"),
           (10**6, "میلیون ریال", "million rials"))


def own_capital_rials(index: MatchIndex, i: int) -> int:
    """The applicant's own share of opportunity row ``i``'s minimum investment, in whole rials, exactly.

    ``ceil(investment_min × (1 − cover))`` with the financing shares read as the decimals they were
    written as (``0.4`` is four tenths, not the nearest binary float), so a 10 bn minimum with 40 %
    financing needs exactly 6,000,000,000 rials, never 6,000,000,001.
    """
    o = index.opportunities_[i]
    cover = sum((Fraction(repr(max(float(f.share), 0.0))) for f in o.financing), Fraction(0))
    cover = min(cover, Fraction(repr(float(index.max_cover))))
    return math.ceil(int(o.investment_min_rials) * (1 - cover))


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fa" else pair[1]


def _digits(s: str, lang: str) -> str:
    return persian_digits(s) if lang == "fa" else s


def format_rials(amount: float, lang: str) -> str:
    """Money in rials, scaled to millions/billions/trillions, in the language's digits.

    Examples
    --------
    >>> format_rials(12_000_000, "en"), format_rials(999, "fa")
    ('12 million rials', '۹۹۹ ریال')
    """
    amount = int(amount)
    for scale, fa, en in _SCALES:
        if abs(amount) >= scale:
            num = f"{amount / scale:,.1f}".rstrip("0").rstrip(".")
            return f"{_digits(num, lang)} {_pick((fa, en), lang)}"
    return f"{_digits(f'{amount:,}', lang)} {_pick(('ریال', 'rials'), lang)}"


def format_percent(value: float, lang: str) -> str:
    """A whole percentage: «۸۰٪» or ``80%``."""
    v = str(int(value))
    return persian_digits(v) + "\u066a" if lang == "fa" else v + "%"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if lang == "fa":
        return "، ".join(items[:-1]) + " و " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _product_name(index: MatchIndex, code: str, lang: str) -> str:
    p = index.products_.get(code)
    return _pick((p.name_fa, p.name_en), lang) if p is not None else _digits(code, lang)


def _county_name(index: MatchIndex, slug: str, lang: str) -> str:
    c = index.counties_.get(slug)
    return _pick((c.name_fa, c.name_en), lang) if c is not None else slug


def _tag_name(index: MatchIndex, slug: str, lang: str) -> str:
    c = index.chains_.get(slug)
    return _pick((c.name_fa, c.name_en), lang) if c is not None else slug.replace("_", " ")


def _say(lang: str, audience: str, own: tuple[str, str], desk: tuple[str, str]) -> str:
    """The sentence for the investor themself (``own``: «شما») or for a clerk reading about them (``desk``)."""
    return _pick(desk if audience == "desk" else own, lang)


def document_terms(index: MatchIndex, o: Opportunity) -> frozenset[str]:
    """The distinct content terms of ``o``'s document in ``index``, kept on the index (one set per opportunity,
    its strings interned): at national scale the 100,000 documents outgrow any shared term cache, and a
    reason for a match read them again on every request."""
    cache = index.__dict__.get("_document_terms")
    if cache is None:
        cache = index.__dict__.setdefault("_document_terms", {})
    found = cache.get(o.ref)
    if found is None:
        found = cache[o.ref] = frozenset(sys.intern(t) for t in term_set(index._document(o)))
    return found


def warm_document_terms(index: MatchIndex) -> int:
    """Read every opportunity's terms into the index's cache (a worker does it before it serves); how many."""
    for o in index.opportunities_:
        document_terms(index, o)
    return len(index.opportunities_)


def _text_reason(index: MatchIndex, applicant: Applicant, o: Opportunity, lang: str, audience: str = "self") -> str:
    """The applicant's own words found in the opportunity, or ``""`` when none can be named.

    A compound written as two words («نرم افزار», «برنامه نویسی») counts when its joined form is in
    the opportunity. A similarity of word fragments alone (both texts contain «…بافی») names no
    meaningful word, so it gives no reason to read aloud.
    """
    doc = document_terms(index, o)
    words = [raw.strip("،,.;:()«»\"'!?؛-") for raw in applicant.skills.split()]
    words = [w for w in words if w and not any(c.isdigit() for c in w)]
    shared, seen = [], set()
    j = 0
    while j < len(words):
        pair = f"{words[j]} {words[j + 1]}" if j + 1 < len(words) else ""
        joined = term_key(words[j] + words[j + 1]) if pair else ""
        if joined and joined in doc and term_key(words[j]) not in doc:
            if joined not in seen:
                seen.add(joined)
                shared.append(pair)
            j += 2
            continue
        key = term_key(words[j])
        if key and key in doc and key not in seen:
            seen.add(key)
            shared.append(words[j])
        j += 1
    if not shared:
        return ""
    words = _join(shared[:3], lang)
    return _say(lang, audience,
                (f"واژه‌های شما در شرح این فرصت آمده است ({words})",
                 f"your own words appear in this opportunity ({words})"),
                (f"واژه‌های متقاضی در شرح این فرصت آمده است ({words})",
                 f"the applicant's own words appear in this opportunity ({words})"))


def _product_reason(index: MatchIndex, applicant: Applicant, i: int, lang: str, linked=None,
                    audience: str = "self") -> str:
    o = index.opportunities_[i]
    weights = index.applicant_products(applicant, linked)
    linked = {x.code: x for x in (index.link(applicant.skills) if linked is None else linked)}
    best = max(weights, key=lambda c: (c == o.product, weights[c], c), default="")
    if best != o.product:  # a chain neighbour: say which way
        best = min(weights, key=lambda c: (_relation(index.graph_, c, o.product) in ("", "supplies2", "buys2"),
                                           -weights[c], c), default=best)
    t = _product_name(index, o.product, lang)
    p = _product_name(index, best, lang)
    said = linked.get(best)
    heard = _join(list(said.words[:3]), lang) if said is not None and said.words else ""
    if best == o.product:
        if best in applicant.products:
            return _say(lang, audience,
                        (f"شما هم‌اکنون {t} تولید می‌کنید و این فرصت همین محصول است",
                         f"you already make {t}, the product of this opportunity"),
                        (f"متقاضی هم‌اکنون {t} تولید می‌کند و این فرصت همین محصول است",
                         f"the applicant already makes {t}, the product of this opportunity"))
        return _say(lang, audience,
                    (f"از گفته‌های شما ({heard}) {t} را فهمیدیم و این فرصت همین محصول است",
                     f"from what you said ({heard}) we understood {t}, the product of this opportunity"),
                    (f"از گفته‌های متقاضی ({heard}) {t} را فهمیدیم و این فرصت همین محصول است",
                     f"from what the applicant said ({heard}) we understood {t}, the product of this opportunity"))
    if best in applicant.products:  # a product the applicant makes: the value-chain sentence
        return _adjacency_reason(index, applicant, o, lang, audience)
    rel = _relation(index.graph_, best, o.product)
    if rel in ("supplies", "supplies2"):
        return _say(lang, audience,
                    (f"{p} که کار شماست در زنجیره ارزش به {t} می‌رسد",
                     f"the {p} you work with is an input of {t} in the value chain"),
                    (f"{p} که کار متقاضی است در زنجیره ارزش به {t} می‌رسد",
                     f"the {p} the applicant works with is an input of {t} in the value chain"))
    return _say(lang, audience,
                (f"{t} در زنجیره ارزش نهاده {p} است که کار شماست",
                 f"{t} is an input of the {p} you work with in the value chain"),
                (f"{t} در زنجیره ارزش نهاده {p} است که کار متقاضی است",
                 f"{t} is an input of the {p} the applicant works with in the value chain"))


def _relation(graph, made: str, target: str) -> str:
    if made == target:
        return "same"
    if graph is None:
        return ""
    if made not in graph or target not in graph:
        return ""
    succ, pred = graph._succ, graph._pred  # networkx's own adjacency dicts: dict key views intersect in C
    if target in succ[made]:
        return "supplies"
    if made in succ[target]:
        return "buys"
    # One step between: a successor of one that is a predecessor of the other.
    if not succ[made].keys().isdisjoint(pred[target].keys()):
        return "supplies2"
    if not succ[target].keys().isdisjoint(pred[made].keys()):
        return "buys2"
    return ""


def _adjacency_reason(index: MatchIndex, applicant: Applicant, o: Opportunity, lang: str,
                      audience: str = "self") -> str:
    order = {"same": 0, "supplies": 1, "buys": 2, "supplies2": 3, "buys2": 4, "": 5}
    best = min(((_relation(index.graph_, p, o.product), p) for p in applicant.products),
               key=lambda rp: (order[rp[0]], rp[1]), default=("", ""))
    rel, made = best
    p = _product_name(index, made, lang)
    t = _product_name(index, o.product, lang)
    own = {
        "same": (f"شما هم‌اکنون {p} تولید می‌کنید؛ این فرصت ظرفیت همین محصول را بیشتر می‌کند",
                 f"you already make {p}; this opportunity adds capacity for the same product"),
        "supplies": (f"شما هم‌اکنون {p} تولید می‌کنید؛ این فرصت ({t}) {p} را از تولیدکنندگانی مانند شما می‌خرد",
                     f"you already make {p}; this opportunity ({t}) buys {p} from producers like you"),
        "buys": (f"شما برای تولید {p} به {t} نیاز دارید؛ این فرصت آن را در استان تأمین می‌کند",
                 f"you need {t} to make {p}; this opportunity would supply it in the province"),
        "supplies2": (f"محصول شما ({p}) با یک حلقه واسطه در زنجیره {t} به کار می‌رود",
                      f"what you make ({p}) feeds {t} through one intermediate step"),
        "buys2": (f"{t} با یک حلقه واسطه به {p} که شما تولید می‌کنید می‌رسد",
                  f"{t} reaches the {p} you make through one intermediate step"),
        "": (f"این فرصت در زنجیره ارزش محصولات شما ({p}) است",
             f"this opportunity sits in the value chain of what you make ({p})"),
    }
    desk = {
        "same": (f"متقاضی هم‌اکنون {p} تولید می‌کند؛ این فرصت ظرفیت همین محصول را بیشتر می‌کند",
                 f"the applicant already makes {p}; this opportunity adds capacity for the same product"),
        "supplies": (f"متقاضی هم‌اکنون {p} تولید می‌کند؛ این فرصت ({t}) {p} را از تولیدکنندگانی مانند او می‌خرد",
                     f"the applicant already makes {p}; this opportunity ({t}) buys {p} from producers like them"),
        "buys": (f"متقاضی برای تولید {p} به {t} نیاز دارد؛ این فرصت آن را در استان تأمین می‌کند",
                 f"the applicant needs {t} to make {p}; this opportunity would supply it in the province"),
        "supplies2": (f"محصول متقاضی ({p}) با یک حلقه واسطه در زنجیره {t} به کار می‌رود",
                      f"what the applicant makes ({p}) feeds {t} through one intermediate step"),
        "buys2": (f"{t} با یک حلقه واسطه به {p} که متقاضی تولید می‌کند می‌رسد",
                  f"{t} reaches the {p} the applicant makes through one intermediate step"),
        "": (f"این فرصت در زنجیره ارزش محصولات متقاضی ({p}) است",
             f"this opportunity sits in the value chain of what the applicant makes ({p})"),
    }
    return _say(lang, audience, own[rel], desk[rel])


def _capital_reason(index: MatchIndex, applicant: Applicant, i: int, lang: str, audience: str = "self") -> str:
    o = index.opportunities_[i]
    minimum = index.investment_min_[i]
    capital = applicant.capital_rials
    whose = _say(lang, audience, ("سرمایه شما", "your capital"), ("سرمایه متقاضی", "the applicant's capital"))
    if capital >= minimum or not o.financing:
        return _pick((f"{whose} حداقل سرمایه لازم ({format_rials(minimum, 'fa')}) را پوشش می‌دهد",
                      f"{whose} covers the minimum investment of {format_rials(minimum, 'en')}"), lang)
    pct = format_percent(int(100 * capital / minimum), lang)
    kinds = list(dict.fromkeys(f.kind for f in o.financing))
    routes = _join([_pick(FINANCING_NAMES.get(k, (k, k.replace("_", " "))), lang) for k in kinds], lang)
    many = len(kinds) > 1
    rest = capital >= index.need_[i]
    if lang == "fa":
        verb = "تأمین می‌کنند" if many else "تأمین می‌کند"
        what = "بقیه" if rest else "بیشتر بقیه"
        return f"{whose} {pct} حداقل سرمایه لازم را پوشش می‌دهد؛ {routes} فهرست‌شده {what} را {verb}"
    verb = "cover" if many else "covers"
    what = "the rest" if rest else "most of the rest"
    return f"{whose} covers {pct} of the minimum; the listed {routes} {verb} {what}"


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")


def signal_reason(index: MatchIndex, applicant: Applicant, i: int, signal: str, lang: str, linked=None, *,
                  audience: str = "self") -> str:
    """The sentence explaining why ``signal`` is strong for opportunity row ``i``.

    Parameters
    ----------
    index : MatchIndex
    applicant : Applicant
    i : int
        Row of the opportunity in ``index``.
    signal : str
        One of :data:`matching.features.SIGNALS`.
    lang : {"fa", "en"}
    linked : sequence of LinkedProduct, optional
        The products the applicant's text names, as confirmed (see :func:`matching.model.recommend`);
        ``None`` links the text again.
    audience : {"self", "desk"}, default="self"
        Who reads the sentence: the investor themself («شما», "you") or a member of staff reading
        about the applicant («متقاضی», "the applicant").

    Returns
    -------
    str
        The sentence; ``""`` for a text signal with no meaningful shared word (the caller drops it).
    """
    _check_audience(audience)
    o = index.opportunities_[i]
    if signal == "text":
        return _text_reason(index, applicant, o, lang, audience)
    if signal == "adjacency":
        return _adjacency_reason(index, applicant, o, lang, audience)
    if signal == "product":
        return _product_reason(index, applicant, i, lang, linked, audience)
    if signal == "capital":
        return _capital_reason(index, applicant, i, lang, audience)
    if signal == "county":
        c = _county_name(index, o.county, lang)
        return _say(lang, audience,
                    (f"این فرصت در {c} است، از شهرستان‌هایی که انتخاب کرده‌اید",
                     f"it is in {c}, one of the counties you chose"),
                    (f"این فرصت در {c} است، از شهرستان‌هایی که متقاضی انتخاب کرده است",
                     f"it is in {c}, one of the counties the applicant chose"))
    if signal == "sector":
        p = index.products_.get(o.product)
        chains = [t for t in p.chains if t in applicant.sectors] if p is not None else []
        if chains:
            name = _tag_name(index, chains[0], lang)
            return _say(lang, audience,
                        (f"در زنجیره ارزش {name} است که در آن فعالیت دارید",
                         f"it is in the {name} value chain you work in"),
                        (f"در زنجیره ارزش {name} است که متقاضی در آن فعالیت دارد",
                         f"it is in the {name} value chain the applicant works in"))
        name = _tag_name(index, p.sector, lang) if p is not None else ""
        return _say(lang, audience,
                    (f"در بخش {name} است که در آن فعالیت دارید", f"it is in the {name} sector you work in"),
                    (f"در بخش {name} است که متقاضی در آن فعالیت دارد",
                     f"it is in the {name} sector the applicant works in"))
    if signal == "gap":
        kind = GAP_NAMES.get(o.gap_kind)
        if kind is None:
            return _pick(("یک شکاف اولویت‌دار زنجیره را پر می‌کند", "it fills a priority gap in the chain"), lang)
        return _pick((f"یک شکاف اولویت‌دار زنجیره را پر می‌کند: {kind[0]}",
                      f"it fills a priority gap in the chain: {kind[1]}"), lang)
    raise ValueError(f"unknown signal {signal!r}; expected one of {SIGNALS}")


def exclusion_text(index: MatchIndex, applicant: Applicant, i: int, rule: str, lang: str, *,
                   audience: str = "self") -> str:
    """The sentence explaining why hard rule ``rule`` excludes opportunity row ``i``.

    ``rule`` is one of :data:`matching.features.RULES`; ``audience`` as in :func:`signal_reason`.
    """
    _check_audience(audience)
    o = index.opportunities_[i]
    if rule == "applicant_type":
        mine = _pick(TYPE_NAMES.get(applicant.applicant_type, (applicant.applicant_type,) * 2), lang)
        suits = _join([_pick(TYPE_NAMES.get(t, (t, t)), lang) for t in o.suited_for], lang)
        return _pick((f"این فرصت برای {mine} در نظر گرفته نشده است؛ مناسب {suits} است",
                      f"this opportunity is not offered to {mine}; it suits {suits}"), lang)
    if rule == "capital":
        cap = format_rials(applicant.capital_rials, lang)
        need = format_rials(own_capital_rials(index, i), lang)
        if o.financing:
            return _say(lang, audience,
                        (f"سرمایه شما ({cap}) حتی با تأمین مالی فهرست‌شده کمتر از حداقل لازم است؛ "
                         f"دست‌کم {need} سرمایه نقدی لازم است",
                         f"your capital ({cap}) is below the minimum even with the listed financing; "
                         f"at least {need} of your own capital is needed"),
                        (f"سرمایه متقاضی ({cap}) حتی با تأمین مالی فهرست‌شده کمتر از حداقل لازم است؛ "
                         f"دست‌کم {need} سرمایه نقدی لازم است",
                         f"the applicant's capital ({cap}) is below the minimum even with the listed financing; "
                         f"at least {need} of their own capital is needed"))
        return _say(lang, audience,
                    (f"سرمایه شما ({cap}) کمتر از حداقل سرمایه لازم ({need}) است و تأمین مالی فهرست نشده است",
                     f"your capital ({cap}) is below the minimum investment ({need}) and no financing is listed"),
                    (f"سرمایه متقاضی ({cap}) کمتر از حداقل سرمایه لازم ({need}) است و تأمین مالی فهرست نشده است",
                     f"the applicant's capital ({cap}) is below the minimum investment ({need}) and no financing "
                     "is listed"))
    if rule == "county":
        c = _county_name(index, o.county, lang)
        return _say(lang, audience,
                    (f"این فرصت در {c} است، بیرون از شهرستان‌هایی که انتخاب کرده‌اید",
                     f"it is in {c}, outside the counties you chose"),
                    (f"این فرصت در {c} است، بیرون از شهرستان‌هایی که متقاضی انتخاب کرده است",
                     f"it is in {c}, outside the counties the applicant chose"))
    raise ValueError(f"unknown rule {rule!r}; expected one of {RULES}")


def opens(index: MatchIndex, applicant: Applicant, i: int, rule: str) -> dict:
    """What would open opportunity row ``i`` to ``applicant``, as data.

    ``{"rule": "applicant_type", "types": [suited types]}`` or ``{"rule": "capital", "own_capital_rials":
    the own share needed, "shortfall_rials": what is missing, "financing": [route kinds],
    "financing_share": share the routes cover}``; ``{}`` for the county rule.
    """
    o = index.opportunities_[i]
    if rule == "applicant_type":
        return {"rule": rule, "types": list(o.suited_for)}
    if rule == "capital":
        need = own_capital_rials(index, i)
        return {"rule": rule, "own_capital_rials": need, "shortfall_rials": max(need - int(applicant.capital_rials), 0),
                "financing": list(dict.fromkeys(f.kind for f in o.financing)),
                "financing_share": round(float(index.cover_[i]), 4)}
    return {}


#: What would open an opportunity suited to ``type`` to an applicant of another type: type -> (fa, en),
#: in the order tried (the step a walk-in can most easily take first).
BECOME = {
    "cooperative": ("با تشکیل یک تعاونی (دست‌کم سه عضو) می‌توانید درخواست دهید",
                    "forming a cooperative (at least three members) would qualify"),
    "home_business": ("با گرفتن مجوز مشاغل خانگی می‌توانید درخواست دهید",
                      "a home-business licence would qualify"),
    "individual": ("به‌عنوان سرمایه‌گذار خرد می‌توانید درخواست دهید", "applying as an individual investor would qualify"),
    "company": ("با ثبت یک شرکت می‌توانید درخواست دهید", "registering a company would qualify"),
    "knowledge_based": ("با گرفتن تأییدیه دانش‌بنیان می‌توانید درخواست دهید",
                        "knowledge-based certification would qualify"),
}
#: The same steps as a clerk reads them about the applicant (the English is the same: it names no one).
BECOME_DESK = {
    "cooperative": ("با تشکیل یک تعاونی (دست‌کم سه عضو) متقاضی می‌تواند درخواست دهد", BECOME["cooperative"][1]),
    "home_business": ("با گرفتن مجوز مشاغل خانگی متقاضی می‌تواند درخواست دهد", BECOME["home_business"][1]),
    "individual": ("متقاضی به‌عنوان سرمایه‌گذار خرد می‌تواند درخواست دهد", BECOME["individual"][1]),
    "company": ("با ثبت یک شرکت متقاضی می‌تواند درخواست دهد", BECOME["company"][1]),
    "knowledge_based": ("با گرفتن تأییدیه دانش‌بنیان متقاضی می‌تواند درخواست دهد", BECOME["knowledge_based"][1]),
}
assert set(BECOME_DESK) == set(BECOME)


def opens_text(what: dict, lang: str, *, audience: str = "self") -> str:
    """What would open a near miss (:func:`opens`), as one clause: the step, or the own capital needed."""
    _check_audience(audience)
    if what.get("rule") == "applicant_type":
        step = next((t for t in BECOME if t in what["types"]), None)
        return _say(lang, audience, BECOME[step], BECOME_DESK[step]) if step else ""
    if what.get("rule") == "capital":
        need = format_rials(what["own_capital_rials"], lang)
        short = format_rials(what["shortfall_rials"], lang)
        routes = _join([_pick(FINANCING_NAMES.get(k, (k, k.replace("_", " "))), lang) for k in what["financing"]],
                       lang)
        if routes:
            return _say(lang, audience,
                        (f"با {routes} فهرست‌شده دست‌کم {need} سرمایه نقدی لازم است و {short} کم دارید",
                         f"with the listed {routes} it needs at least {need} of your own capital, {short} more "
                         f"than you have"),
                        (f"با {routes} فهرست‌شده دست‌کم {need} سرمایه نقدی لازم است و متقاضی {short} کم دارد",
                         f"with the listed {routes} it needs at least {need} of the applicant's own capital, "
                         f"{short} more than they have"))
        return _say(lang, audience,
                    (f"بدون تأمین مالی فهرست‌شده دست‌کم {need} سرمایه لازم است و {short} کم دارید",
                     f"with no financing listed it needs at least {need} of your own capital, {short} more than "
                     f"you have"),
                    (f"بدون تأمین مالی فهرست‌شده دست‌کم {need} سرمایه لازم است و متقاضی {short} کم دارد",
                     f"with no financing listed it needs at least {need} of the applicant's own capital, {short} "
                     f"more than they have"))
    return ""


def near_miss_text(index: MatchIndex, applicant: Applicant, i: int, what: dict, lang: str, *,
                   audience: str = "self") -> str:
    """One sentence for a near miss: a good fit, what keeps it out and what would open it.

    Examples (en): "it fits what you do, but it is open to cooperatives and companies only: forming a
    cooperative (at least three members) would qualify"; "it fits what you do, but with the listed bank
    facility it needs at least 6 billion rials of your own capital, 1 billion rials more than you have".
    ``audience`` as in :func:`signal_reason` («با کار متقاضی جور است …» on the desk).
    """
    _check_audience(audience)
    fits = _say(lang, audience, ("با کار شما جور است", "it fits what you do"),
                ("با کار متقاضی جور است", "it fits what the applicant does"))
    if what.get("rule") == "applicant_type":
        suits = _join([_pick(TYPE_NAMES.get(t, (t, t)), lang) for t in what["types"]], lang)
        step = opens_text(what, lang, audience=audience)
        if lang == "fa":
            return f"{fits}، اما فقط برای {suits} است" + (f"؛ {step}" if step else "")
        return f"{fits}, but it is open to {suits} only" + (f": {step}" if step else "")
    if what.get("rule") == "capital":
        return _pick((f"{fits}، اما {opens_text(what, 'fa', audience=audience)}",
                      f"{fits}, but {opens_text(what, 'en', audience=audience)}"), lang)
    return exclusion_text(index, applicant, i, what.get("rule", ""), lang, audience=audience)
