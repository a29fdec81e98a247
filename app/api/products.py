"""Products: GET /api/v1/products/<code> (public), POST /api/v1/products and PATCH /api/v1/products/<code>."""

from __future__ import annotations

from flask import abort, jsonify
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.api.common import (
    _body,
    _cells,
    _conflict,
    _invalid,
    _need_version,
    _problem,
    _unknown_fields,
    _writer,
)
from app.api.schemas import product_json
from app.extensions import db
from app.models import Product
from app.security import authz
from app.services.catalogue.common import cell
from app.services.catalogue.products import (
    PRODUCT_FIELDS,
    check_product,
    create_product,
    product_cells,
    update_product,
)
from app.services.errors import Conflict, Invalid

# ---------------------------------------------------------------- products
PRODUCT_KEYS = {"code", "version", *PRODUCT_FIELDS}


def product(code: str):
    """One active product (a retired one is not shown)."""
    row = db.session.scalar(select(Product).where(Product.code == code, Product.retired.is_(False)))
    if row is None:
        abort(404)
    return jsonify({"data": product_json(row)})


def product_create():
    """Add a product."""
    refused = _writer()
    if refused:
        return refused
    body = _body()
    problems = _unknown_fields(body, PRODUCT_KEYS - {"version"})
    cells, wrong = _cells(body, ("code", *PRODUCT_FIELDS))
    problems += wrong
    try:
        record = check_product(cells, current_user)
    except Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    row = create_product(record, current_user)
    return jsonify({"data": product_json(row)}), 201


def product_update(code: str):
    """Change a product (send the version you read)."""
    refused = _writer()
    if refused:
        return refused
    row = db.session.scalar(authz.scope_products(select(Product).where(Product.code == code), current_user))
    if row is None:
        abort(404)
    body = _body()
    problems = _unknown_fields(body, PRODUCT_KEYS) + _need_version(body)
    if "code" in body and cell(body["code"]) != row.code:
        problems.append(_problem("code", "read_only", lambda: gettext("A product's code cannot be changed.")))
    cells = product_cells(row)
    given, wrong = _cells(body, PRODUCT_FIELDS)
    cells.update(given)
    problems += wrong
    try:
        record = check_product(cells, current_user, existing=row)
    except Invalid as error:
        problems += error.problems
    if problems:
        return _invalid(problems)
    try:
        update_product(row, record, current_user, body["version"])
    except (Conflict, StaleDataError):
        db.session.rollback()
        return _conflict(product_json(db.session.scalar(select(Product).where(Product.code == code))))
    return jsonify({"data": product_json(row)})
