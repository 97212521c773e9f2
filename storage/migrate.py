"""Schema migrations (Alembic), applied automatically when a poll or the demo opens a database.

Whether a database is at head is answered without Alembic: importing it and loading the
revision scripts cost ~1 s, paid by every poll and every command that opens the
database, while the answer (one row of alembic_version against the revision ids written
in the scripts) is a query and a directory listing. Alembic is imported to upgrade.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=(.*)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def _config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision of the scripts (the one no other revises), read from their text."""
    revisions, revised = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        lines = {name: _QUOTED.findall(value) for name, value in _REVISION_LINE.findall(text)}
        revisions.update(lines["revision"][:1])
        revised.update(lines.get("down_revision", ()))  # a merge revises several
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"migrations must form one line, found heads {sorted(heads)}")
    return heads.pop()


def current(engine: Engine) -> str | None:
    """The revision the database is at; None for a database never migrated."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> str:
    """Bring the schema to head; concurrent callers on PostgreSQL wait for each other."""
    from alembic import command

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(727100)"))
        command.upgrade(_config(conn), "head")
    return head()


def autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new revision for model changes (`python -m storage.migrate MSG`)."""
    from alembic import command

    with engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)


if __name__ == "__main__":
    import sys
    import tempfile

    from storage.db import get_engine

    db = get_engine(f"sqlite:///{tempfile.mkdtemp()}/gen.db")
    upgrade(db)
    autogenerate(db, " ".join(sys.argv[1:]) or "schema change")
