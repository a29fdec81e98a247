"""Value chains: one validator, membership and the writes."""

from __future__ import annotations

from app.extensions import db
from app.models import Product, ValueChain
from app.security import authz
from app.services.audit import audit
from app.services.catalogue.common import _only_row, apply, diff
from app.services.catalogue.limits import checked
from app.services.errors import Invalid, NotAllowed, check_version, from_chain_error
from chains import io as chain_io
from chains.errors import ChainDataError

CHAIN_FIELDS = ("name_fa", "name_en", "description_fa", "description_en", "priority")


def chain_cells(c: ValueChain) -> dict[str, str]:
    return {"name_fa": c.name_fa, "name_en": c.name_en, "description_fa": c.description_fa or "",
            "description_en": c.description_en or "", "priority": repr(c.priority)}


def check_chain(cells: dict, chain: ValueChain):
    problems, record = [], None
    try:
        record = _only_row(chain_io.read_chains([{"slug": chain.slug, **{k: cells.get(k, "") for k in CHAIN_FIELDS}}],
                                        source="form"))
    except ChainDataError as error:
        problems = from_chain_error(error)
    problems = checked("chains", cells, problems)
    if problems:
        raise Invalid(problems)
    return record


def update_chain(row: ValueChain, record, user, version) -> None:
    check_version(row, version)
    values = {"name_fa": record.name_fa, "name_en": record.name_en, "description_fa": record.description_fa,
              "description_en": record.description_en, "priority": float(record.priority)}
    before, after = diff(row, values)
    if not after:
        return
    apply(row, values)
    db.session.flush()
    audit("update", "chain", row.slug, before=before, after=after, user=user)


def _bump(chain: ValueChain) -> None:
    """Membership lives in a link table, so the ORM would not bump the chain's version on its own."""
    chain.version = chain.version + 1


def _may_change_membership(chain: ValueChain, user, version) -> None:
    if not authz.can_change_membership(user, chain):
        raise NotAllowed()
    check_version(chain, version)


def add_chain_product(chain: ValueChain, product: Product, user, version) -> bool:
    _may_change_membership(chain, user, version)
    if product in chain.products:
        return False
    chain.products.append(product)
    _bump(chain)
    db.session.flush()
    audit("update", "chain", chain.slug, before={"products_added": []}, after={"products_added": [product.code]},
          user=user)
    return True


def remove_chain_product(chain: ValueChain, product: Product, user, version) -> bool:
    _may_change_membership(chain, user, version)
    if product not in chain.products:
        return False
    chain.products.remove(product)
    _bump(chain)
    db.session.flush()
    audit("update", "chain", chain.slug, before={"products_removed": [product.code]},
          after={"products_removed": []}, user=user)
    return True


def set_chain_retired(chain: ValueChain, retired: bool, user, version) -> None:
    check_version(chain, version)
    if chain.retired != retired:
        chain.retired = retired
        db.session.flush()
        audit("retire" if retired else "unretire", "chain", chain.slug, before={"retired": not retired},
              after={"retired": retired}, user=user)
