"""PostgreSQL plans of the opportunity list and search queries, as the list page sends them.

The statements are the app's own (``services.queries.opportunity_query``, ordered and paged as
``public/opportunities.py`` does), compiled for PostgreSQL with their values inlined, and explained with
``EXPLAIN (ANALYZE, BUFFERS)`` on the harness's cluster. A sequential scan of ``opportunities`` in any of them
means every request reads every row; ``explain_all`` says so under the plans.
"""

from __future__ import annotations

from sqlalchemy import create_engine, func, select

from app.models import Opportunity
from app.services.queries import OpportunityFilters, opportunity_query

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


def statements(f: OpportunityFilters) -> dict:
    stmt = opportunity_query(f)
    rows = stmt.order_by(Opportunity.published_at.desc(), Opportunity.id.desc()).limit(PAGE)
    return {"count": select(func.count()).select_from(stmt.subquery()), "page": rows}


def explain_all(cluster) -> str:
    out, scans = ["PostgreSQL plans of the list and search queries (EXPLAIN ANALYZE, BUFFERS):"], []
    engine = create_engine(cluster.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        for title, filters in CASES:
            for part, stmt in statements(filters).items():
                compiled = stmt.compile(bind=engine, compile_kwargs={"render_postcompile": True})
                params = compiled.params
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), params)
                plan = "\n".join(r[0] for r in rows)
                out.append(f"\n-- {title} — {part}\n-- parameters {params}\n{plan}")
                if "Seq Scan on opportunities" in plan:
                    scans.append(f"{title} ({part})")
    engine.dispose()
    out.append("\nsequential scans of opportunities: " + (", ".join(scans) if scans else "none"))
    return "\n".join(out) + "\n"
