"""A deterministic synthetic province with hidden applicant preferences, for evaluation.

:func:`make_dataset` draws products grouped into value chains with a
supplier → user graph, published opportunities on those products, and
applicants. Every applicant has *hidden* preferences — a home chain, the
products it already makes, the counties it would work in, a comfortable
capital — and only part of them shows in its profile: the skills text is drawn
from the home chain's vocabulary (mixed Persian and English words), stated
sectors and counties are sometimes left empty. :func:`relevance` then says,
from the hidden preferences alone, how relevant each opportunity is to each
applicant (graded 0–2), which is the ground truth :mod:`matching.evaluate`
scores a ranking against.

Everything is drawn from ``numpy.random.default_rng(seed)`` so the same seed
always gives the same data.

Examples
--------
>>> data = make_dataset(n_products=60, n_opportunities=80, n_applicants=20, seed=1)
>>> len(data.opportunities), len(data.applicants)
(80, 20)
>>> rel = relevance(data)
>>> rel.shape
(20, 80)
>>> int(rel.max()) <= 2
True
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from chains.records import (
    APPLICANT_TYPES,
    FINANCING_KINDS,
    Applicant,
    Chain,
    County,
    FinancingRoute,
    Opportunity,
    Product,
)

__all__ = ["SyntheticData", "make_dataset", "relevance", "CHAIN_VOCABULARY", "COUNTIES"]

#: chain slug -> (fa name, en name, [(fa word, en word), ...]); the vocabulary skills are drawn from.
CHAIN_VOCABULARY: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "dairy": ("لبنیات", "dairy", [
        ("شیر", "milk"), ("پنیر", "cheese"), ("ماست", "yogurt"), ("کره", "butter"), ("خامه", "cream"),
        ("دامداری", "livestock"), ("پاستوریزه", "pasteurised"), ("دوغ", "doogh"), ("آغوز", "colostrum"),
        ("کشک", "kashk"), ("لبنی", "dairy"), ("گاوداری", "cattle")]),
    "copper": ("مس", "copper", [
        ("مس", "copper"), ("کاتد", "cathode"), ("مفتول", "wire rod"), ("کابل", "cable"), ("ذوب", "smelting"),
        ("کنسانتره", "concentrate"), ("معدن", "mining"), ("لوله", "tube"), ("ورق", "sheet"), ("آلیاژ", "alloy"),
        ("سیم", "wire"), ("ریخته‌گری", "casting")]),
    "automotive": ("قطعات خودرو", "automotive parts", [
        ("قطعه", "part"), ("خودرو", "vehicle"), ("ترمز", "brake"), ("موتور", "engine"), ("گیربکس", "gearbox"),
        ("رینگ", "wheel rim"), ("پلاستیک", "plastic"), ("قالب‌سازی", "tooling"), ("لنت", "brake pad"),
        ("فنر", "spring"), ("یاتاقان", "bearing"), ("مونتاژ", "assembly")]),
    "petrochemicals": ("پتروشیمی", "petrochemicals", [
        ("پلیمر", "polymer"), ("پلی‌اتیلن", "polyethylene"), ("گرانول", "granule"), ("رزین", "resin"),
        ("حلال", "solvent"), ("متانول", "methanol"), ("اوره", "urea"), ("روانکار", "lubricant"),
        ("فیلم", "film"), ("بسپار", "polymerisation"), ("کود", "fertiliser"), ("شوینده", "detergent")]),
    "carpet": ("فرش و نساجی", "carpet and textiles", [
        ("فرش", "carpet"), ("قالی", "rug"), ("نخ", "yarn"), ("پشم", "wool"), ("ابریشم", "silk"),
        ("رنگرزی", "dyeing"), ("بافندگی", "weaving"), ("گلیم", "kilim"), ("پارچه", "fabric"),
        ("ریسندگی", "spinning"), ("تار", "warp"), ("نقشه", "pattern")]),
    "dried_fruit": ("خشکبار", "dried fruit and nuts", [
        ("کشمش", "raisin"), ("بادام", "almond"), ("گردو", "walnut"), ("فندق", "hazelnut"), ("زردآلو", "apricot"),
        ("انگور", "grape"), ("سورتینگ", "sorting"), ("خشک‌کن", "dryer"), ("پسته", "pistachio"),
        ("آجیل", "nuts"), ("برگه", "dried slices"), ("باغ", "orchard")]),
    "leather": ("چرم و کفش", "leather and footwear", [
        ("چرم", "leather"), ("کفش", "shoe"), ("دباغی", "tanning"), ("پوست", "hide"), ("کیف", "bag"),
        ("زیره", "sole"), ("رویه", "upper"), ("کمربند", "belt"), ("دوخت", "stitching"), ("سالامبور", "wet blue"),
        ("چسب", "adhesive"), ("قالب", "last")]),
    "confectionery": ("شیرینی و شکلات", "confectionery", [
        ("شکلات", "chocolate"), ("شیرینی", "pastry"), ("آبنبات", "candy"), ("بیسکویت", "biscuit"),
        ("کاکائو", "cocoa"), ("شکر", "sugar"), ("گز", "gaz nougat"), ("قنادی", "confectioner"),
        ("نان", "bread"), ("آرد", "flour"), ("کیک", "cake"), ("پولکی", "poolaki")]),
    "construction": ("مصالح ساختمانی", "construction materials", [
        ("سیمان", "cement"), ("آجر", "brick"), ("سنگ", "stone"), ("گچ", "gypsum"), ("بتن", "concrete"),
        ("کاشی", "tile"), ("سرامیک", "ceramic"), ("شیشه", "glass"), ("آهک", "lime"), ("بلوک", "block"),
        ("میلگرد", "rebar"), ("عایق", "insulation")]),
    "agriculture": ("کشاورزی و غذا", "agriculture and food", [
        ("گندم", "wheat"), ("سیب", "apple"), ("سیب‌زمینی", "potato"), ("گلخانه", "greenhouse"),
        ("نهال", "seedling"), ("کمپوت", "canned fruit"), ("رب", "paste"), ("آبمیوه", "juice"),
        ("سردخانه", "cold storage"), ("بسته‌بندی", "packaging"), ("عسل", "honey"), ("زعفران", "saffron")]),
}

#: East Azerbaijan counties used by the synthetic data: (slug, fa, en).
COUNTIES: tuple[County, ...] = tuple(
    County(slug, fa, en)
    for slug, fa, en in [
        ("tabriz", "تبریز", "Tabriz"), ("marand", "مرند", "Marand"), ("maragheh", "مراغه", "Maragheh"),
        ("mianeh", "میانه", "Mianeh"), ("ahar", "اهر", "Ahar"), ("sarab", "سراب", "Sarab"),
        ("bonab", "بناب", "Bonab"), ("shabestar", "شبستر", "Shabestar"), ("azarshahr", "آذرشهر", "Azarshahr"),
        ("hashtrud", "هشترود", "Hashtrud"), ("jolfa", "جلفا", "Jolfa"), ("malekan", "ملکان", "Malekan"),
        ("osku", "اسکو", "Osku"), ("bostanabad", "بستان‌آباد", "Bostanabad"), ("kaleybar", "کلیبر", "Kaleybar"),
        ("ajabshir", "عجب‌شیر", "Ajabshir"), ("varzaqan", "ورزقان", "Varzaqan"), ("heris", "هریس", "Heris"),
    ]
)

_STAGE_NAMES = {  # product name patterns by stage: (fa, en)
    "raw": ("{}", "{}"),
    "intermediate": ("{} فرآوری‌شده", "processed {}"),
    "final": ("محصولات {}", "{} products"),
    "service": ("خدمات {}", "{} services"),
}
_ACTIVITY = [("خط بسته‌بندی", "packaging line"), ("کارگاه", "workshop"), ("واحد", "plant"), ("مرکز", "centre")]
_GAP_KINDS = ("missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "")  # chains.gaps KINDS, or none
_STAGES = ("raw", "intermediate", "final", "service")


@dataclass(frozen=True)
class SyntheticData:
    """A synthetic province and its hidden ground truth.

    Attributes
    ----------
    products : tuple of Product
    chains : tuple of Chain
    counties : tuple of County
    graph : networkx.DiGraph
        Supplier → user edges over product codes.
    opportunities : tuple of Opportunity
    gap_priority : dict
        Opportunity ref → priority in [0, 1] (what the gap scorer would publish).
    applicants : tuple of Applicant
    hidden_chain : numpy.ndarray of int
        Per applicant, the index (into ``chains``) of its home chain.
    hidden_counties : tuple of frozenset
        Per applicant, the counties it would actually work in (empty: anywhere).
    opportunity_chain : numpy.ndarray of int
        Per opportunity, the index of its product's chain.
    """

    products: tuple[Product, ...]
    chains: tuple[Chain, ...]
    counties: tuple[County, ...]
    graph: nx.DiGraph
    opportunities: tuple[Opportunity, ...]
    gap_priority: dict[str, float]
    applicants: tuple[Applicant, ...]
    hidden_chain: np.ndarray
    hidden_counties: tuple[frozenset[str], ...]
    opportunity_chain: np.ndarray


def _words(rng: np.random.Generator, vocab: list[tuple[str, str]], n: int) -> list[str]:
    picks = rng.choice(len(vocab), size=min(n, len(vocab)), replace=False)
    langs = rng.random(len(picks)) < 0.5
    return [vocab[p][0] if fa else vocab[p][1] for p, fa in zip(picks, langs, strict=True)]


def make_dataset(
    n_products: int = 300,
    n_opportunities: int = 600,
    n_applicants: int = 300,
    links_per_product: float = 2.5,
    seed: int = 0,
) -> SyntheticData:
    """Draw a synthetic province.

    Parameters
    ----------
    n_products, n_opportunities, n_applicants : int
        Sizes. The design scale is 40,000 products, 100,000 opportunities and
        200,000 applicants.
    links_per_product : float
        Mean number of suppliers per product (edges are mostly inside a chain,
        one in twenty crosses chains).
    seed : int
        Seed of the generator; the same seed gives the same data.

    Returns
    -------
    SyntheticData
    """
    rng = np.random.default_rng(seed)
    slugs = list(CHAIN_VOCABULARY)
    n_chains = len(slugs)
    chains = tuple(
        Chain(s, CHAIN_VOCABULARY[s][0], CHAIN_VOCABULARY[s][1], priority=float(rng.uniform(0.3, 0.9))) for s in slugs
    )

    # Products: chain, stage (ordered raw → final → service), a name from the chain's words.
    p_chain = rng.integers(0, n_chains, n_products)
    p_stage = rng.integers(0, 4, n_products)
    codes = [f"{1000 + i:04d}" if i < 9000 else f"{100000 + i:06d}" for i in range(n_products)]
    products = []
    for i in range(n_products):
        slug = slugs[p_chain[i]]
        vocab = CHAIN_VOCABULARY[slug][2]
        w = vocab[rng.integers(len(vocab))]
        stage = _STAGES[p_stage[i]]
        pattern = _STAGE_NAMES[stage]
        suited = tuple(t for t in APPLICANT_TYPES if rng.random() < 0.6)
        products.append(
            Product(
                code=codes[i],
                name_fa=pattern[0].format(w[0]),
                name_en=pattern[1].format(w[1]),
                sector=slug,
                stage=stage,
                suited_for=suited,
                chains=(slug,),
            )
        )

    # Graph: each product buys from suppliers at an earlier stage, mostly in its own chain.
    graph = nx.DiGraph()
    graph.add_nodes_from(codes)
    by_chain_stage: dict[tuple[int, int], np.ndarray] = {}
    order = np.lexsort((p_stage, p_chain))
    for c in range(n_chains):
        for s in range(4):
            by_chain_stage[c, s] = order[(p_chain[order] == c) & (p_stage[order] == s)]
    n_sup = rng.poisson(links_per_product, n_products)
    edges = []
    for i in range(n_products):
        if p_stage[i] == 0 or n_sup[i] == 0:
            continue
        c = p_chain[i] if rng.random() >= 0.05 else rng.integers(n_chains)
        pool = np.concatenate([by_chain_stage[c, s] for s in range(p_stage[i])])
        if len(pool) == 0:
            continue
        for j in rng.choice(pool, size=min(n_sup[i], len(pool)), replace=False):
            edges.append((codes[j], codes[i]))
    graph.add_edges_from(edges, coefficient=1.0)

    # Opportunities.
    n_counties = len(COUNTIES)
    o_prod = rng.integers(0, n_products, n_opportunities)
    o_county = rng.integers(0, n_counties, n_opportunities)
    o_min = np.round(np.exp(rng.uniform(np.log(2e9), np.log(5e11), n_opportunities)), -6).astype(np.int64)
    o_max = (o_min * rng.uniform(1.5, 4.0, n_opportunities)).astype(np.int64)
    o_prio = rng.random(n_opportunities)
    opportunities = []
    gap_priority = {}
    for i in range(n_opportunities):
        p = products[o_prod[i]]
        county = COUNTIES[o_county[i]]
        act = _ACTIVITY[rng.integers(len(_ACTIVITY))]
        vocab = CHAIN_VOCABULARY[p.sector][2]
        desc = [vocab[k] for k in rng.choice(len(vocab), 3, replace=False)]
        n_fin = rng.integers(0, 3)
        financing = tuple(
            FinancingRoute(FINANCING_KINDS[k], float(np.round(rng.uniform(0.1, 0.4), 2)))
            for k in rng.choice(len(FINANCING_KINDS), n_fin, replace=False)
        )
        suited = p.suited_for if rng.random() < 0.8 else ()
        ref = f"OPP-{i + 1:06d}"
        opportunities.append(
            Opportunity(
                ref=ref,
                title_fa=f"{act[0]} {p.name_fa} در {county.name_fa}",
                title_en=f"{p.name_en.capitalize()} {act[1]} in {county.name_en}",
                product=p.code,
                county=county.slug,
                agency=f"{p.sector}-agency",
                investment_min_rials=int(o_min[i]),
                investment_max_rials=int(o_max[i]),
                jobs=int(rng.integers(3, 120)),
                description_fa="، ".join(d[0] for d in desc),
                description_en=", ".join(d[1] for d in desc),
                suited_for=suited,
                financing=financing,
                gap_kind=_GAP_KINDS[rng.integers(len(_GAP_KINDS))],
            )
        )
        gap_priority[ref] = float(np.round(o_prio[i], 3))

    # Applicants with hidden preferences; the profile shows only part of them.
    by_chain = [np.flatnonzero(p_chain == c) for c in range(n_chains)]
    a_chain = rng.integers(0, n_chains, n_applicants)
    a_type = rng.integers(0, len(APPLICANT_TYPES), n_applicants)
    a_cap = np.round(np.exp(rng.uniform(np.log(1e9), np.log(1e12), n_applicants)), -6).astype(np.int64)
    applicants = []
    hidden_counties = []
    for i in range(n_applicants):
        c = a_chain[i]
        slug = slugs[c]
        skills = _words(rng, CHAIN_VOCABULARY[slug][2], int(rng.integers(2, 6)))
        n_make = int(rng.integers(0, 3))
        makes = tuple(codes[j] for j in rng.choice(by_chain[c], min(n_make, len(by_chain[c])), replace=False))
        home = frozenset(COUNTIES[k].slug for k in rng.choice(n_counties, int(rng.integers(0, 3)), replace=False))
        hidden_counties.append(home)
        stated_counties = tuple(sorted(home)) if rng.random() < 0.7 else ()
        stated_sectors = (slug,) if rng.random() < 0.5 else ()
        applicants.append(
            Applicant(
                ref=f"APP-{i + 1:06d}",
                applicant_type=APPLICANT_TYPES[a_type[i]],
                capital_rials=int(a_cap[i]),
                sectors=stated_sectors,
                skills=" ".join(skills),
                products=makes,
                counties=stated_counties,
                lang="fa" if rng.random() < 0.8 else "en",
            )
        )

    return SyntheticData(
        products=tuple(products),
        chains=chains,
        counties=COUNTIES,
        graph=graph,
        opportunities=tuple(opportunities),
        gap_priority=gap_priority,
        applicants=tuple(applicants),
        hidden_chain=a_chain,
        hidden_counties=tuple(hidden_counties),
        opportunity_chain=p_chain[o_prod],
    )


def relevance(data: SyntheticData, applicants: np.ndarray | None = None, max_cover: float = 0.9) -> sp.csr_matrix:
    """Graded relevance (0–2) of every opportunity to each applicant, from the hidden preferences.

    An opportunity is relevant only if the applicant could and would take it:
    its type is suited, its capital reaches the own share of the minimum
    investment that the financing routes leave, and the opportunity is in one
    of the counties it would work in (any county when it has none — but a
    third of applicants do not state theirs). Among those, the grade adds up

    * 1 for an opportunity in the applicant's home chain,
    * 1 more if the opportunity's product is a direct supplier or user of (or
      the same as) a product the applicant makes.

    Gap priority plays no part, and counties matter more than the default
    weights assume: a scorer trained on feedback should discover both.

    Parameters
    ----------
    data : SyntheticData
    applicants : array of int, optional
        Indices of the applicants to grade; all by default.
    max_cover : float
        Cap on the financing share, as in :class:`matching.features.MatchIndex`.

    Returns
    -------
    scipy.sparse.csr_matrix of shape (len(applicants), n_opportunities), int8
    """
    idx = np.arange(len(data.applicants)) if applicants is None else np.asarray(applicants)
    opps = data.opportunities
    n = len(opps)
    code_ix = {p.code: k for k, p in enumerate(data.products)}
    o_prod = np.array([code_ix[o.product] for o in opps])
    o_county = np.array([o.county for o in opps])
    cover = np.array([min(sum(f.share for f in o.financing), max_cover) for o in opps])
    need = (1 - cover) * np.array([o.investment_min_rials for o in opps], dtype=float)
    suited = [frozenset(o.suited_for) for o in opps]
    rows = []
    for a_i in idx:
        a = data.applicants[a_i]
        ok = np.array([not s or a.applicant_type in s for s in suited]) & (a.capital_rials >= need)
        grade = (data.opportunity_chain == data.hidden_chain[a_i]).astype(np.int8)
        near = set()
        for code in a.products:
            near.add(code)
            near.update(data.graph.successors(code))
            near.update(data.graph.predecessors(code))
        if near:
            near_ix = np.array([code_ix[c] for c in near])
            grade += np.isin(o_prod, near_ix).astype(np.int8)
        home = data.hidden_counties[a_i]
        if home:
            ok &= np.isin(o_county, list(home))
        grade = grade * ok
        rows.append(sp.csr_matrix(grade.astype(np.int8)))
    return sp.vstack(rows, format="csr") if rows else sp.csr_matrix((0, n), dtype=np.int8)
