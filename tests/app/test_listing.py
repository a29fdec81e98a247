"""The in-memory listing (app/services/listing.py) finds exactly what the database's substring rule finds, in
the same order: checked against the SQL the list used before (kept here as the oracle) over the seed, for every
filter alone and in combination, words that are common, rare, partial, absent or full of LIKE's wildcards."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy import or_, select

from app.extensions import db
from app.models import County, Opportunity, Product, Sector, ValueChain, chain_products
from app.services.listing import Listing, ListingSource
from app.services.queries import OpportunityFilters, count_opportunities, published_listing
from app.services.records import APPLICANT_TYPES
from matching.normalize import fold


def oracle(f: OpportunityFilters) -> list[int]:
    """The list's rule as SQL (LIKE on the folded search text, ILIKE on the reference), newest first."""
    stmt = select(Opportunity.id).where(Opportunity.status == "published")
    if f.chain:
        stmt = stmt.where(Opportunity.product_id.in_(
            select(chain_products.c.product_id).join(ValueChain, ValueChain.id == chain_products.c.chain_id)
            .where(ValueChain.slug == f.chain)))
    if f.sector:
        stmt = stmt.where(Opportunity.product_id.in_(
            select(Product.id).join(Sector, Sector.id == Product.sector_id).where(Sector.slug == f.sector)))
    if f.county:
        stmt = stmt.where(Opportunity.county_id.in_(select(County.id).where(County.slug == f.county)))
    if f.min_rials is not None:
        stmt = stmt.where(Opportunity.investment_max_rials >= f.min_rials)
    if f.max_rials is not None:
        stmt = stmt.where(Opportunity.investment_min_rials <= f.max_rials)
    if f.applicant_type:
        stmt = stmt.where(Opportunity.suited_mask.op("&")(1 << APPLICANT_TYPES.index(f.applicant_type)) != 0)
    for word in fold(f.q).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(or_(Opportunity.search_text.like(f"%{escaped}%", escape="\\"),
                              Opportunity.ref.ilike(f"%{escaped}%", escape="\\")))
    return list(db.session.scalars(stmt.order_by(Opportunity.published_at.desc(), Opportunity.id.desc())))


def _words(app) -> list[str]:
    with app.app_context():
        texts = db.session.scalars(select(Opportunity.search_text).where(Opportunity.status == "published")).all()
        refs = db.session.scalars(select(Opportunity.ref)).all()
    words = sorted({w for t in texts for w in t.split()})
    rng = random.Random(20261201)
    picked = rng.sample(words, min(40, len(words)))
    # Parts of words (a Persian compound's second half, an English stem), single letters (the common-word
    # path), a reference and its lower-case digits, wildcards and words that occur nowhere.
    parts = [w[1:-1] for w in picked[:10] if len(w) > 4] + [w[:3] for w in picked[10:20]]
    return picked + parts + ["ا", "e", "ی", refs[0], refs[0].lower()[-4:], "%", "_", "\\", "a%b", "zzzzqq",
                             "کیکپزی"]


def test_every_word_finds_what_the_sql_rule_finds(app):
    words = _words(app)
    with app.test_request_context("/en/opportunities"):
        listing = published_listing()
        for w in words:
            f = OpportunityFilters(q=w)
            assert [int(listing.ids[p]) for p in listing.positions(f)] == oracle(f), w
        for a, b in itertools.islice(itertools.combinations(words[:30], 2), 60):
            f = OpportunityFilters(q=f"{a} {b}")
            assert listing.count(f) == len(oracle(f)), (a, b)


def test_every_filter_and_their_combinations_find_what_the_sql_rule_finds(app):
    with app.test_request_context("/en/opportunities"):
        chains = db.session.scalars(select(ValueChain.slug)).all()
        sectors = db.session.scalars(select(Sector.slug)).all()
        counties = db.session.scalars(select(County.slug)).all()
        listing = published_listing()
        rng = random.Random(7)
        cases = [OpportunityFilters()]
        cases += [OpportunityFilters(chain=c) for c in chains] + [OpportunityFilters(sector=s) for s in sectors]
        cases += [OpportunityFilters(county=c) for c in counties]
        cases += [OpportunityFilters(applicant_type=t) for t in APPLICANT_TYPES]
        cases += [OpportunityFilters(min_rials=v) for v in (0, 10**9, 10**10, 10**11, 10**30, -(10**30))]
        cases += [OpportunityFilters(max_rials=v) for v in (0, 10**9, 10**10, 10**11, 10**30, -(10**30))]
        for _ in range(150):
            cases.append(OpportunityFilters(
                chain=rng.choice([None, *chains]), sector=rng.choice([None, None, *sectors]),
                county=rng.choice([None, *counties]), min_rials=rng.choice([None, 10**9, 5 * 10**10]),
                max_rials=rng.choice([None, None, 10**11]), applicant_type=rng.choice([None, *APPLICANT_TYPES]),
                q=rng.choice(["", "", "tabriz", "تبریز", "شیرینی", "workshop"])))
        for f in cases:
            if f.min_rials is not None and abs(f.min_rials) > 2**63 or f.max_rials is not None and abs(
                    f.max_rials) > 2**63:
                expected = oracle(OpportunityFilters(
                    min_rials=None if f.min_rials is None else max(min(f.min_rials, 2**63 - 1), -(2**63)),
                    max_rials=None if f.max_rials is None else max(min(f.max_rials, 2**63 - 1), -(2**63))))
            else:
                expected = oracle(f)
            assert [int(listing.ids[p]) for p in listing.positions(f)] == expected, f
            assert count_opportunities(f) == len(expected)


def test_the_api_page_is_in_id_order_and_the_list_page_newest_first(app):
    with app.test_request_context("/en/opportunities"):
        listing = published_listing()
        f = OpportunityFilters()
        assert listing.page_ids(f, 0, 10**6) == oracle(f)
        assert listing.page_ids(f, 0, 10**6, by_id=True) == sorted(oracle(f))
        assert listing.page_ids(f, 5, 3) == oracle(f)[5:8]


def test_a_newly_published_opportunity_is_found_on_the_next_request(fresh_app):
    client = fresh_app.test_client()
    assert "0 opportunities found" in client.get("/en/opportunities?q=zzunique").get_data(as_text=True)
    with fresh_app.app_context():
        opp = db.session.scalars(select(Opportunity).where(Opportunity.status == "published")).first()
        opp.search_text += " zzunique"
        db.session.commit()
    html = client.get("/en/opportunities?q=zzunique").get_data(as_text=True)
    assert "1 opportunity found" in html
    resp = client.get("/api/v1/opportunities?q=zzunique")
    assert resp.get_json()["meta"]["total"] == 1


@pytest.mark.parametrize("word", ["a", "xyz"])
def test_a_listing_of_nothing_finds_nothing(word):
    empty = Listing(ListingSource(rows=[], product_sector={}, chain_products={}, county_ids={}, sector_ids={}))
    assert len(empty) == 0
    assert empty.count(OpportunityFilters(q=word, county="tabriz", min_rials=10**40)) == 0
    assert empty.page_ids(OpportunityFilters(), 0, 20) == []
