"""applicants.strict_counties: the profile asked for opportunities in its counties only

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('strict_counties', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.drop_column('strict_counties')
