"""The schema is built only by migrations, which agree with the models; seeding is idempotent."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from app.extensions import db
from app.models import Link, Opportunity, Product

ROOT = Path(__file__).resolve().parents[2]


def test_the_migrations_have_a_single_head():
    config = Config(str(ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrading_to_head_gives_exactly_the_models(empty_app):
    with empty_app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_the_migrations_downgrade_to_nothing_and_back(empty_app):
    from flask_migrate import downgrade, upgrade

    with empty_app.app_context():
        downgrade(directory=str(ROOT / "migrations"), revision="base")
        upgrade(directory=str(ROOT / "migrations"))
        assert db.session.scalar(select(func.count(Product.id))) == 0


def table_counts():
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in (Product, Link,
                                                                                             Opportunity)}


def test_seeding_twice_duplicates_nothing(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    with empty_app.app_context():
        after_first = table_counts()
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert " 0 created" in second.output and "created" in second.output
    with empty_app.app_context():
        assert table_counts() == after_first
    assert after_first["products"] >= 150 and after_first["links"] >= 300 and after_first["opportunities"] >= 40


def test_seed_if_empty_leaves_an_existing_database_alone(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["seed", "--if-empty"])
    assert result.exit_code == 0
    assert "not seeding" in result.output


def test_seeding_never_overwrites_figures_an_agency_has_replaced(fresh_app):
    with fresh_app.app_context():
        product = db.session.scalars(select(Product).order_by(Product.code)).first()
        product.capacity = product.capacity + 12345
        product.illustrative = False
        db.session.commit()
        code, capacity = product.code, product.capacity
    assert fresh_app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with fresh_app.app_context():
        again = db.session.scalar(select(Product).where(Product.code == code))
        assert again.capacity == capacity and again.illustrative is False


def test_a_bad_seed_folder_is_refused_without_writing_anything(empty_app, tmp_path):
    import shutil

    for f in (ROOT / "data" / "seed").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    links = (tmp_path / "links.csv").read_text(encoding="utf-8").splitlines()
    links.append("9999,0401,1.0,x,,2025-01-01")
    (tmp_path / "links.csv").write_text("\n".join(links) + "\n", encoding="utf-8")
    result = empty_app.test_cli_runner().invoke(args=["seed", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "links.csv" in result.output
    with empty_app.app_context():
        assert db.session.scalar(select(func.count(Product.id))) == 0
