"""article stance: who claimed, confirmed or denied the development an article tells

Revision ID: a4d2f6c81e93
Revises: 9d4b6e2f1a37
Create Date: 2026-12-06 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'a4d2f6c81e93'
down_revision = '9d4b6e2f1a37'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # articles stored before have no stance read (NULL): they never show as claims or denials
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('stance', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(sa.Column('stance_by', sa.Text(), nullable=True))
        batch.add_column(sa.Column('stance_by_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('stance_by_id')
        batch.drop_column('stance_by')
        batch.drop_column('stance')
