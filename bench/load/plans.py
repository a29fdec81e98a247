"""PostgreSQL plans of what the opportunity list and its search send to the database, as the list page sends it.

The list's filters and word search are answered in memory (``app/services/listing.py``) from a copy of the
published opportunities that each process reads once per data version; per request the database sees only
the read of the page's rows by primary key. Both are the app's own statements, compiled for PostgreSQL with
their values inlined and explained with ``EXPLAIN (ANALYZE, BUFFERS)`` on the harness's cluster:

* per request: the public list's page of cards and the API's page, for filter sets of the list with filters,
  the text search and both (the ids are the ones the listing finds on the cluster's data); a sequential scan
  of ``opportunities`` in any of them means every request reads every row, and ``explain_all`` says so;
* once per data version: the read that builds the listing (every published opportunity, in the list's order,
  by design a full read), with its time.
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Opportunity
from app.services.listing import Listing
from app.services.queries import OpportunityFilters, card_statement, listing_source_statements, read_listing_source

PAGE = 20

#: (title, filters): the list with filters, the text search, and both.
CASES = (
    ("list: county + sector filter, first page", OpportunityFilters(county="tabriz", sector="food")),
    ("list: chain + minimum investment + applicant type", OpportunityFilters(chain="dairy", min_rials=10**10,
                                                                             applicant_type="cooperative")),
    ("search: q=پنیر (one word)", OpportunityFilters(q="پنیر")),
    ("search: q=copper wire + county", OpportunityFilters(q="copper wire", county="marand")),
    ("search: q=LOAD-0001 (a reference)", OpportunityFilters(q="LOAD-00012")),
)


def _explain(conn, engine, stmt) -> tuple[str, dict]:
    compiled = stmt.compile(bind=engine, compile_kwargs={"render_postcompile": True})
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params)
    return "\n".join(r[0] for r in rows), compiled.params


def explain_all(cluster) -> str:
    out, scans = ["PostgreSQL plans of the list and search queries (EXPLAIN ANALYZE, BUFFERS):"], []
    engine = create_engine(cluster.url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(engine) as session, engine.connect() as conn:
        t0 = time.perf_counter()
        listing = Listing(read_listing_source(session))
        built = time.perf_counter() - t0
        for title, filters in CASES:
            ids = listing.page_ids(filters, 0, PAGE)
            found = listing.count(filters)
            for part, stmt in (("page of cards", card_statement(ids or [0])),
                               ("API page", select(Opportunity).where(Opportunity.id.in_(sorted(ids) or [0])))):
                plan, params = _explain(conn, engine, stmt)
                out.append(f"\n-- {title} — {part} ({found:,} found in memory)\n-- parameters {params}\n{plan}")
                if "Seq Scan on opportunities" in plan:
                    scans.append(f"{title} ({part})")
        out.append(f"\n-- once per data version: the listing's read ({len(listing):,} published opportunities, "
                   f"read and indexed in {built:.1f} s)")
        for stmt in listing_source_statements():
            out.append(_explain(conn, engine, stmt)[0])
    engine.dispose()
    out.append("\nsequential scans of opportunities per request: " + (", ".join(scans) if scans else "none"))
    return "\n".join(out) + "\n"
