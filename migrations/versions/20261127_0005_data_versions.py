"""data versions: one counter row bumped by every write to the graph or the opportunities

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_versions',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.bulk_insert(table, [{'name': 'data', 'value': 1}])


def downgrade():
    op.drop_table('data_versions')
