"""Authorisation rules for changing data, in one place (forms, API and imports all ask here).

* ``admin`` and ``hq`` may change everything.
* An ``agency_editor`` may change:
  - products whose sector is one of their agency's sectors;
  - links whose *user* product they may change (an agency keeps the inputs of its own products);
  - opportunities whose responsible agency is theirs, or whose product they may change;
  - value chains their agency maintains (``ValueChain.agency_id``), including which products are in them
    (``can_change_membership``);
  - and, on what they write: an opportunity points only at a product of their agency's sectors
    (``can_point_opportunity_at``; keeping the product it already has is fine), and a record names only
    their own agency as its source (``can_name_agency``).
* Everyone else changes nothing.

Who may *see* records that are not public: an opportunity's applicants (the reverse look-up) are shown
to ``admin`` and ``hq``, and to an editor of the opportunity's responsible agency (``can_see_applicants``).

Query scoping (``scope_*``) applies the same rules in SQL, so lists and look-ups by id never
show an editor a record they may not change (guessing ids gives 404/403, never someone else's row).
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from app.extensions import db
from app.models import Link, Obstacle, Opportunity, Product, ValueChain, agency_sectors

EDIT_ALL = ("admin", "hq")


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def agency_sector_ids(user) -> select:
    return select(agency_sectors.c.sector_id).where(agency_sectors.c.agency_id == user.agency_id)


def _editor_sector_ids(user) -> set[int]:

    if user.agency_id is None:
        return set()
    return set(db.session.scalars(agency_sector_ids(user)))


def can_edit_product(user, product: Product) -> bool:
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and product.sector_id in _editor_sector_ids(user)


def can_edit_link(user, link: Link) -> bool:
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and link.user is not None and can_edit_product(user, link.user)


def can_edit_opportunity(user, opportunity: Opportunity) -> bool:
    role = _role(user)
    if role in EDIT_ALL:
        return True
    if role != "agency_editor":
        return False
    return opportunity.agency_id == user.agency_id or (
        opportunity.product is not None and can_edit_product(user, opportunity.product))


def can_edit_chain(user, chain: ValueChain) -> bool:
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and chain.agency_id is not None and chain.agency_id == user.agency_id


def can_point_opportunity_at(user, product, current=None) -> bool:
    """May ``user`` make an opportunity's product ``product``? Editors: only products of their agency's
    sectors; an opportunity that keeps the product it has (``current``) is not moved anywhere."""
    role = _role(user)
    if role in EDIT_ALL:
        return True
    if role != "agency_editor" or product is None:
        return False
    if current is not None and current.code == product.code:
        return True
    return product.sector_id in _editor_sector_ids(user)


def can_change_membership(user, chain: ValueChain) -> bool:
    """Putting a product into a value chain or taking it out is a change to the chain (its owner's)."""
    return can_edit_chain(user, chain)


def can_name_agency(user, agency_id: int | None) -> bool:
    """The agency a product or link names as its source: an editor names only their own (or none)."""
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and (agency_id is None or agency_id == user.agency_id)


def can_see_applicants(user, opportunity: Opportunity) -> bool:
    """The reverse look-up of an opportunity's applicants: HQ, admins, and its responsible agency's editors."""
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and user.agency_id is not None and user.agency_id == opportunity.agency_id


def scope_products(stmt: Select, user) -> Select:
    role = _role(user)
    if role in EDIT_ALL:
        return stmt
    if role != "agency_editor" or user.agency_id is None:
        return stmt.where(false())
    return stmt.where(Product.sector_id.in_(agency_sector_ids(user)))


def scope_links(stmt: Select, user) -> Select:
    role = _role(user)
    if role in EDIT_ALL:
        return stmt
    if role != "agency_editor" or user.agency_id is None:
        return stmt.where(false())
    return stmt.where(Link.user_id.in_(select(Product.id).where(Product.sector_id.in_(agency_sector_ids(user)))))


def scope_opportunities(stmt: Select, user) -> Select:
    role = _role(user)
    if role in EDIT_ALL:
        return stmt
    if role != "agency_editor" or user.agency_id is None:
        return stmt.where(false())
    own_products = select(Product.id).where(Product.sector_id.in_(agency_sector_ids(user)))
    return stmt.where((Opportunity.agency_id == user.agency_id) | Opportunity.product_id.in_(own_products))


def scope_chains(stmt: Select, user) -> Select:
    role = _role(user)
    if role in EDIT_ALL:
        return stmt
    if role != "agency_editor" or user.agency_id is None:
        return stmt.where(false())
    return stmt.where(ValueChain.agency_id == user.agency_id)


# ---------------------------------------------------------------- the single window (issue 11)
# A case step, a step template and an expression of interest belong to one agency: its editors act on
# them; HQ and admins on all. Scoping by id in SQL keeps other agencies' rows a 404.
def scope_agency_rows(stmt: Select, column, user) -> Select:
    role = _role(user)
    if role in EDIT_ALL:
        return stmt
    if role != "agency_editor" or user.agency_id is None:
        return stmt.where(false())
    return stmt.where(column == user.agency_id)


def can_act_for_agency(user, agency_id: int | None) -> bool:
    """Acting on an agency's own records (its case steps, its interest queue, its plan): its editors, and HQ."""
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return role == "agency_editor" and user.agency_id is not None and user.agency_id == agency_id


# ---------------------------------------------------------------- the Production Leap HQ's records
def can_run_working_group(user) -> bool:
    """Recording working-group meetings and assigning or rejecting obstacle reports: HQ and admins."""
    return _role(user) in EDIT_ALL


def can_work_obstacle(user, obstacle, status: str) -> bool:
    """HQ moves an obstacle anywhere; an agency editor only works reports assigned to their agency, and
    may send them to the working group or resolve them, never reassign or reject them."""
    role = _role(user)
    if role in EDIT_ALL:
        return True
    return (role == "agency_editor" and user.agency_id is not None and obstacle.agency_id == user.agency_id
            and status in ("working_group", "resolved"))


def scope_obstacles(stmt: Select, user) -> Select:
    """Obstacle reports a user may work on: HQ and admins all, an agency's editors those assigned to it."""
    return scope_agency_rows(stmt, Obstacle.agency_id, user)


def can_edit_plan(user, plan) -> bool:
    """An agency's operational plan: its own editors, and HQ."""
    return can_act_for_agency(user, plan.agency_id)


def can_file_demand(user) -> bool:
    """Private-sector demands: the Chamber of Commerce's working group files them (HQ may on its behalf)."""
    return _role(user) in ("chamber", *EDIT_ALL)

