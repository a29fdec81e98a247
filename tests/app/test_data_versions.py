"""The data version is one counter row: writes bump it in their transaction, reads are one primary-key SELECT."""

from __future__ import annotations

from sqlalchemy import event, select

from app.extensions import db
from app.models import FinancingRoute, Link, Opportunity, Product, ValueChain
from app.services import transfer as svc
from app.services.graph import data_version
from app.services.versions import current


def test_an_orm_write_to_each_watched_model_bumps_the_counter(fresh_app):
    with fresh_app.app_context():
        before = current()
        product = db.session.scalar(select(Product).order_by(Product.id))
        product.capacity = (product.capacity or 0) + 1
        db.session.commit()
        after_product = current()
        assert after_product == before + 1
        link = db.session.scalar(select(Link).order_by(Link.id))
        link.coefficient = link.coefficient + 0.01
        chain = db.session.scalar(select(ValueChain).order_by(ValueChain.id))
        chain.priority = 0.5
        db.session.commit()
        assert current() > after_product
        mark = current()
        opp = db.session.scalar(select(Opportunity).order_by(Opportunity.id))
        opp.jobs = opp.jobs + 1
        db.session.commit()
        assert current() > mark
        mark = current()
        route = db.session.scalar(select(FinancingRoute).order_by(FinancingRoute.id))
        db.session.delete(route)
        db.session.commit()
        assert current() > mark
        mark = current()
        other = db.session.scalar(select(ValueChain).where(ValueChain.id != chain.id).order_by(ValueChain.id))
        product = db.session.scalar(select(Product).where(~Product.chains.any(ValueChain.id == other.id)))
        product.chains.append(other)  # chain membership only
        db.session.commit()
        assert current() > mark


def test_a_rolled_back_write_leaves_the_counter_alone(fresh_app):
    with fresh_app.app_context():
        before = current()
        product = db.session.scalar(select(Product).order_by(Product.id))
        product.capacity = (product.capacity or 0) + 1
        db.session.flush()
        assert current() == before + 1  # seen inside the transaction
        db.session.rollback()
        assert current() == before


def test_a_write_to_anything_else_leaves_the_counter_alone(fresh_app):
    from app.models import Agency

    with fresh_app.app_context():
        before = current()
        agency = db.session.scalar(select(Agency).order_by(Agency.id))
        agency.name_en = agency.name_en + " "
        db.session.commit()
        assert current() == before


def test_a_county_rename_reaches_the_cached_map_and_filters(fresh_app):
    """The county map and the list's filter choices are kept per data version: renaming a county bumps it,
    so the next list shows the new name in both."""
    from app.models import County

    client = fresh_app.test_client()
    assert client.get("/en/opportunities").status_code == 200
    with fresh_app.app_context():
        before = current()
        county = db.session.scalar(select(County).order_by(County.id))
        county.name_en = "Renamed County"
        db.session.commit()
        assert current() > before
    html = client.get("/en/opportunities").get_data(as_text=True)
    assert html.count("Renamed County") >= 3  # the filter choice, the map's county and its table row


def test_a_bulk_import_bumps_the_counter(fresh_app, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("code,name_fa,name_en,sector,stage,capacity,output\n0406,پنیر,Cheese,food,final,9100,1\n",
                    encoding="utf-8")
    with fresh_app.app_context():
        before = data_version()
        outcome = svc.import_table("products", svc.read_table("products", path, "p.csv"), svc.cli_user(None),
                                   dry_run=False)
        assert outcome.ok
        db.session.commit()
        assert data_version() != before and data_version()[1] > before[1]


def test_a_get_does_no_aggregate_scan(app, client):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.lower())

    with app.app_context():
        engine = db.engine
    client.get("/en/gaps")  # warm the caches
    event.listen(engine, "before_cursor_execute", record)
    try:
        for path in ("/en/", "/en/gaps", "/en/chains/dairy", "/en/opportunities", "/fa/chains"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert statements
    assert not [s for s in statements if "sum(" in s], [s for s in statements if "sum(" in s]
    assert [s for s in statements if "data_versions" in s]
