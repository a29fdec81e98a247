"""One counter row that changes whenever the value-chain graph or the opportunities change.

Caches (the graph, the gaps, the match index) are keyed on it. Reading it is a single-row
primary-key SELECT; writing it is ``UPDATE data_versions SET value = value + 1`` in the same
transaction as the change, so a rolled-back write leaves it alone and a committed one is seen by
every process (each web worker, the task consumer) at once.

Two ways a write bumps it:

* ORM writes: a ``before_flush`` listener on every session (installed once by ``install()``, from
  ``create_app``) looks at the new, changed and deleted rows; if any is a product, link, value chain
  (chain membership changes mark the product or chain dirty), opportunity or financing route, it
  bumps the counter once for that flush.
* Bulk writes that bypass the session's unit of work (``services.transfer.apply``) call ``bump()``.

On PostgreSQL the UPDATE holds the row lock until commit, so writers of graph data are serialised
for the length of their transaction; readers never wait.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    DATA,
    County,
    DataVersion,
    FinancingRoute,
    Link,
    Obstacle,
    OfficeSettings,
    Opportunity,
    Product,
    Sector,
    ValueChain,
)

#: The records whose writes change the graph, the gaps or the opportunities (obstacle reports of supply cuts
#: are the gaps' infrastructure facet), the counties and sectors whose names the pages cached per data
#: version show (the county map, the list's filter options), and the office's details every page's header and
#: footer show (saved rarely: a save rebuilds the caches once).
WATCHED = (Product, Link, ValueChain, Opportunity, FinancingRoute, Obstacle, County, Sector, OfficeSettings)


def bump(session: Session | None = None, name: str = DATA) -> None:
    """Add one to the counter inside the session's current transaction."""
    session = session if session is not None else db.session
    if has_request_context():
        g.pop("pj_data_version", None)  # the request's reading (graph.data_version) is now out of date
    table = DataVersion.__table__
    result = session.execute(update(table).where(table.c.name == name).values(value=table.c.value + 1))
    if result.rowcount == 0:  # a database migrated without the seed row: create it
        session.execute(insert(table).values(name=name, value=1))


def current(session: Session | None = None, name: str = DATA) -> int:
    """The counter's value (0 when the row is missing)."""
    session = session if session is not None else db.session
    return session.execute(select(DataVersion.value).where(DataVersion.name == name)).scalar() or 0


def _changes_data(session: Session) -> bool:
    watched = WATCHED
    for obj in session.new:
        if isinstance(obj, watched):
            return True
    for obj in session.deleted:
        if isinstance(obj, watched):
            return True
    for obj in session.dirty:
        if isinstance(obj, watched) and session.is_modified(obj):
            return True
    return False


def _before_flush(session: Session, flush_context, instances) -> None:
    if _changes_data(session):
        bump(session)


def install() -> None:
    """Listen on every ORM session (idempotent; called once from ``create_app``)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
