"""article search index: normalized word forms per article, FTS5 (SQLite) or GIN (PostgreSQL)

Revision ID: bc35bbcea6b3
Revises: 246fc6d7d000
Create Date: 2026-11-23 19:06:35.853972

The rows are filled by storage/search.py (Python normalization); articles stored
before this revision are indexed by the catch-up that runs before every search.
"""
from alembic import op
import sqlalchemy as sa


revision = 'bc35bbcea6b3'
down_revision = '246fc6d7d000'
branch_labels = None
depends_on = None

# External-content FTS5: the words live once, in article_search; triggers keep the index in step.
SQLITE_UP = (
    "CREATE VIRTUAL TABLE article_fts USING fts5(terms, content='article_search', content_rowid='article_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER article_search_ai AFTER INSERT ON article_search BEGIN "
    "INSERT INTO article_fts(rowid, terms) VALUES (new.article_id, new.terms); END",
    "CREATE TRIGGER article_search_ad AFTER DELETE ON article_search BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, terms) VALUES ('delete', old.article_id, old.terms); END",
    "CREATE TRIGGER article_search_au AFTER UPDATE ON article_search BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, terms) VALUES ('delete', old.article_id, old.terms); "
    "INSERT INTO article_fts(rowid, terms) VALUES (new.article_id, new.terms); END",
)
SQLITE_DOWN = ("DROP TRIGGER IF EXISTS article_search_au", "DROP TRIGGER IF EXISTS article_search_ad",
               "DROP TRIGGER IF EXISTS article_search_ai", "DROP TABLE IF EXISTS article_fts")
# Each word is one lexeme as written (no parser, no dictionary): the same forms as the matcher's.
# A stored column, not an expression index: the planner may choose a scan for a frequent
# word, and recomputing the tsvector per row then costs 10x more than reading it.
# Objects named article_fts* are made here by hand; autogenerate must skip them (env.py).
POSTGRES_UP = (
    "ALTER TABLE article_search ADD COLUMN article_fts_words tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(terms, ' '))) STORED",
    "CREATE INDEX article_fts_words_gin ON article_search USING gin (article_fts_words)",
)


def upgrade() -> None:
    op.create_table('article_search',
    sa.Column('article_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ),
    sa.PrimaryKeyConstraint('article_id')
    )
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    op.drop_table('article_search')
