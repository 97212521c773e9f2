"""telegram posts: views, edited and forwarded-from on the article row of a channel post

Revision ID: e81c5d3a7f20
Revises: a4d2f6c81e93
Create Date: 2026-12-06 02:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e81c5d3a7f20'
down_revision = 'a4d2f6c81e93'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # web articles keep NULL in all three
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('views', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('edited', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('forwarded_from', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('forwarded_from')
        batch.drop_column('edited')
        batch.drop_column('views')
