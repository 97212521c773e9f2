"""key counts: stories per story key, so grouping's document frequencies never count the index

Revision ID: 5f1c2a9d7e40
Revises: 16483eb27b29
Create Date: 2026-11-23 22:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '5f1c2a9d7e40'
down_revision = '16483eb27b29'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('key_counts',
                    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('stories', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('key'))
    # an existing archive: count once what the index holds
    op.execute("INSERT INTO key_counts (key, stories) SELECT key, count(*) FROM story_keys GROUP BY key")


def downgrade() -> None:
    op.drop_table('key_counts')
