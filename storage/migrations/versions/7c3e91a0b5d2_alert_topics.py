"""alert topics: one outbox row per development and channel names every topic it matched

Revision ID: 7c3e91a0b5d2
Revises: 5f1c2a9d7e40
Create Date: 2026-12-05 13:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7c3e91a0b5d2'
down_revision = '5f1c2a9d7e40'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts') as batch:
        batch.add_column(sa.Column('topics', sa.JSON(), nullable=False, server_default='[]'))
    # rows written before: each named its one topic
    array = "json_build_array" if op.get_bind().dialect.name == "postgresql" else "json_array"
    op.execute(f"UPDATE alerts SET topics = {array}(topic_id)")


def downgrade() -> None:
    with op.batch_alter_table('alerts') as batch:
        batch.drop_column('topics')
