"""load indexes: trigram indexes for the opportunity text search, and the list's order

The opportunity search is ``search_text LIKE '%word%' OR ref ILIKE '%word%'``; without these every search read
every opportunity (a sequential scan, bench/load/plans.py). On PostgreSQL they are GIN trigram indexes
(``pg_trgm``, created in the ``public`` schema when missing: a trusted extension, the database owner may create
it); on SQLite plain indexes of the same names, so the schema matches the models on both. The third index
serves the list's order (newest published first) without a sort of every published row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _trgm_schema(bind) -> str:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    return bind.exec_driver_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                                "WHERE e.extname = 'pg_trgm'").scalar()


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        ops = f'"{_trgm_schema(bind)}".gin_trgm_ops'
        op.execute(f"CREATE INDEX ix_opportunities_search_text_trgm ON opportunities USING gin (search_text {ops})")
        op.execute(f"CREATE INDEX ix_opportunities_ref_trgm ON opportunities USING gin (ref {ops})")
    else:
        op.create_index("ix_opportunities_search_text_trgm", "opportunities", ["search_text"])
        op.create_index("ix_opportunities_ref_trgm", "opportunities", ["ref"])
    op.create_index("ix_opportunities_status_published", "opportunities", ["status", "published_at", "id"])


def downgrade():
    op.drop_index("ix_opportunities_status_published", table_name="opportunities")
    op.drop_index("ix_opportunities_ref_trgm", table_name="opportunities")
    op.drop_index("ix_opportunities_search_text_trgm", table_name="opportunities")
