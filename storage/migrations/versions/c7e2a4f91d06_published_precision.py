"""article published_precision: "day" when the page gave a day without a time

Revision ID: c7e2a4f91d06
Revises: e81c5d3a7f20
Create Date: 2026-12-06 04:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c7e2a4f91d06'
down_revision = 'e81c5d3a7f20'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # articles stored before keep NULL: their published is shown with its time, as it was
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('published_precision', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('published_precision')
