"""The schema the migrations build is the schema the models describe, and an archive made by an
older version is upgraded in place with what the new tables need."""

from datetime import datetime, timezone

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from storage import migrate
from storage.db import get_engine


def test_migrated_schema_matches_the_models(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, *_: not (name or "").startswith("article_fts")})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_key_counts_are_filled_from_an_existing_key_index(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "16483eb27b29")  # before key_counts existed
        when = datetime(2025, 1, 1, tzinfo=timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        for story in (1, 2, 3):
            conn.execute(text("INSERT INTO stories (id, title, published, created, members, outlets) "
                              "VALUES (:i, 't', :w, :w, 1, '[]')"), {"i": story, "w": when})
        for key, story in (("t:a", 1), ("t:a", 2), ("t:a", 3), ("t:b", 2), ("e:x", 3)):
            conn.execute(text("INSERT INTO story_keys (key, story_id, published) VALUES (:k, :s, :w)"),
                         {"k": key, "s": story, "w": when})
    migrate.upgrade(engine)
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT key, stories FROM key_counts")).all())
    assert counts == {"t:a": 3, "t:b": 1, "e:x": 1}


def test_the_quick_head_and_current_revision_agree_with_alembic(tmp_path):
    """init_db decides whether to migrate without importing Alembic; its answers must be Alembic's."""
    from alembic.script import ScriptDirectory

    engine = get_engine(f"sqlite:///{tmp_path / 'rev.db'}")
    assert migrate.current(engine) is None  # never migrated: no alembic_version table
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "16483eb27b29")
    with engine.connect() as conn:
        assert migrate.current(engine) == MigrationContext.configure(conn).get_current_revision() == "16483eb27b29"
    assert migrate.head() == ScriptDirectory.from_config(migrate._config()).get_current_head()
    assert migrate.upgrade(engine) == migrate.current(engine) == migrate.head()
