"""Alembic environment: runs on the connection storage.db hands it (never reads a config URL)."""

from alembic import context
from sqlmodel import SQLModel

from storage import models  # noqa: F401 - registers the tables

connection = context.config.attributes["connection"]


def include_name(name, type_, parent_names):
    """The search index (article_fts*: FTS5 on SQLite, tsvector on PostgreSQL) is made by hand
    in its migration; autogenerate must not propose dropping it."""
    return not (name or "").startswith("article_fts")


context.configure(connection=connection, target_metadata=SQLModel.metadata,
                  render_as_batch=connection.dialect.name == "sqlite", include_name=include_name)
with context.begin_transaction():
    context.run_migrations()
