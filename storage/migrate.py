"""Schema migrations (Alembic), applied automatically when a poll or the demo opens a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the schema to head; concurrent callers on PostgreSQL wait for each other."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(727100)"))
        command.upgrade(_config(conn), "head")
    return head()


def autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new revision for model changes (`python -m storage.migrate MSG`)."""
    with engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)


if __name__ == "__main__":
    import sys
    import tempfile

    from storage.db import get_engine

    db = get_engine(f"sqlite:///{tempfile.mkdtemp()}/gen.db")
    upgrade(db)
    autogenerate(db, " ".join(sys.argv[1:]) or "schema change")
