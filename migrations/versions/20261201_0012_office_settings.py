"""office settings: the office's name, address, phone, hours and statements, shown in the header and footer

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'office_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_name_fa', sa.String(length=200), nullable=False),
        sa.Column('office_name_en', sa.String(length=200), nullable=False),
        sa.Column('address_fa', sa.String(length=500), nullable=False),
        sa.Column('address_en', sa.String(length=500), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('hours_fa', sa.String(length=300), nullable=False),
        sa.Column('hours_en', sa.String(length=300), nullable=False),
        sa.Column('privacy_fa', sa.Text(), nullable=False),
        sa.Column('privacy_en', sa.Text(), nullable=False),
        sa.Column('accessibility_fa', sa.Text(), nullable=False),
        sa.Column('accessibility_en', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_settings')),
    )


def downgrade():
    op.drop_table('office_settings')
