"""Links between products: one validator and the writes."""

from __future__ import annotations

import networkx as nx
from flask_babel import gettext
from sqlalchemy import select

from app.extensions import db
from app.models import Link, Product
from app.services.audit import audit
from app.services.catalogue.common import _only_row, active_codes, apply, diff, jsonable
from app.services.catalogue.limits import checked
from app.services.errors import (
    FieldProblem,
    Invalid,
    both,
    check_version,
    from_chain_error,
)
from app.services.graph import value_chain_graph
from chains import io as chain_io
from chains.errors import ChainDataError


def check_link(cells: dict, user_product: Product, existing: Link | None = None) -> object:
    """The link record (supplier → ``user_product``), or ``Invalid``: import rules, then the graph."""


    cells = {**cells, "user": user_product.code}
    if existing is not None:
        cells["supplier"] = existing.supplier.code
    problems: list[FieldProblem] = []
    record = None
    try:
        fields = ("supplier", "user", "coefficient", "source", "as_of")
        record = _only_row(chain_io.read_links([{k: cells.get(k, "") for k in fields}], active_codes(), source="form"))
    except ChainDataError as error:
        problems += from_chain_error(error, {"user": "supplier"})
    if record is not None and existing is None:
        supplier = db.session.scalar(select(Product).where(Product.code == record.supplier))
        taken = db.session.scalar(select(Link).where(Link.supplier_id == supplier.id,
                                                     Link.user_id == user_product.id, Link.retired.is_(False)))
        s, u = record.supplier, record.user
        if taken is not None:
            problems.append(both(lambda: gettext("%(supplier)s is already an input of %(user)s.", supplier=s, user=u),
                                 "duplicate_link", "supplier"))
        else:
            graph = value_chain_graph()
            # Adding supplier → user closes a cycle exactly when the graph already leads from user to supplier.
            if s in graph and u in graph and nx.has_path(graph, u, s):
                path = nx.shortest_path(graph, u, s)
                chain = " → ".join(path + [u])
                problems.append(both(lambda: gettext("This link would close a loop in the value chain: %(path)s.",
                                                     path=chain), "cycle", "supplier"))
    problems = checked("links", cells, problems)
    if problems:
        raise Invalid(problems)
    return record


def create_link(record, user_product: Product, user) -> Link:
    supplier = db.session.scalar(select(Product).where(Product.code == record.supplier))
    values = {"coefficient": float(record.coefficient), "source": record.provenance.source,
              "as_of": record.provenance.as_of, "agency_id": user.agency_id or user_product.agency_id,
              "illustrative": False, "retired": False}
    row = db.session.scalar(select(Link).where(Link.supplier_id == supplier.id, Link.user_id == user_product.id))
    key = f"{supplier.code}>{user_product.code}"
    if row is not None:  # a retired link comes back (one row per supplier-user pair)
        before, after = diff(row, values)
        apply(row, values)
        db.session.flush()
        audit("unretire", "link", key, before=before, after=after, user=user)
        return row
    row = Link(supplier_id=supplier.id, user_id=user_product.id, **values)
    db.session.add(row)
    db.session.flush()
    audit("create", "link", key, after={"supplier": supplier.code, "user": user_product.code,
                                        **{k: jsonable(v) for k, v in values.items()}}, user=user)
    return row


def update_link(row: Link, record, user, version) -> Link:
    check_version(row, version)
    values = {"coefficient": float(record.coefficient), "source": record.provenance.source,
              "as_of": record.provenance.as_of, "illustrative": False}
    before, after = diff(row, values)
    apply(row, values)
    db.session.flush()
    audit("update", "link", f"{row.supplier.code}>{row.user.code}", before=before, after=after, user=user)
    return row


def retire_link(row: Link, user, version) -> None:
    check_version(row, version)
    if not row.retired:
        row.retired = True
        db.session.flush()
        audit("retire", "link", f"{row.supplier.code}>{row.user.code}", before={"retired": False},
              after={"retired": True}, user=user)
