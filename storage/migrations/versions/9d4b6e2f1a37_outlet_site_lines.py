"""outlet site lines: what each outlet repeats on its pages, learned per outlet (hashed line keys)

Revision ID: 9d4b6e2f1a37
Revises: 7c3e91a0b5d2
Create Date: 2026-12-05 14:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9d4b6e2f1a37'
down_revision = '7c3e91a0b5d2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outlets') as batch:
        batch.add_column(sa.Column('site_lines', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outlets') as batch:
        batch.drop_column('site_lines')
