"""outlet health and adaptive polling

Revision ID: 16483eb27b29
Revises: bc35bbcea6b3
Create Date: 2026-11-23 20:00:10.719168
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '16483eb27b29'
down_revision = 'bc35bbcea6b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diagnosis', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('next_poll', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outlets', schema=None) as batch_op:
        batch_op.drop_column('next_poll')
        batch_op.drop_column('diagnosis')
