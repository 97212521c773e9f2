"""Engines and write transactions for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode and every transaction starts with BEGIN IMMEDIATE, so two
pollers on one file serialize their writes instead of failing half-way with
"database is locked". PostgreSQL URLs are routed to psycopg 3.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from extractors.errors import PermanentError, TransientError
from storage import models  # noqa: F401 - registers the tables

_ENGINES: dict[str, Engine] = {}
_MIGRATED: set = set()


def normalize_url(url: str) -> str:
    """Accept plain postgresql:// URLs and send them to psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _url_of(target: Any) -> str:
    return target if isinstance(target, str) else target.sqlalchemy_url


def get_engine(target: Any) -> Engine:
    """One engine per URL per process; `target` is a URL or a Settings object."""
    url = normalize_url(_url_of(target))
    if url not in _ENGINES:
        _ENGINES[url] = _create(url)
    return _ENGINES[url]


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # let us emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=60000"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def init_db(target: Any) -> Engine:
    """The engine, with the schema migrated to head (once per process and URL)."""
    engine = get_engine(target)
    if engine.url in _MIGRATED:
        return engine
    from storage import migrate

    try:
        if migrate.current(engine) != migrate.head():
            migrate.upgrade(engine)
    except OperationalError as exc:
        raise TransientError(f"database unreachable: {_safe(exc)}") from None
    _MIGRATED.add(engine.url)
    return engine


def _safe(exc: Exception) -> str:
    """The first line of a driver error, which names the problem but not the password."""
    return str(getattr(exc, "orig", exc)).splitlines()[0]


@contextmanager
def open_db(target: Any) -> Iterator[Session]:
    """A session on an initialised database; commits on success, rolls back on error."""
    engine = init_db(target)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def check_url(url: str) -> None:
    """Refuse a database URL that cannot work before anything connects."""
    try:
        make_url(normalize_url(url))
    except Exception as exc:  # sqlalchemy raises ArgumentError with the URL inside
        raise PermanentError(f"invalid database URL ({exc.__class__.__name__})") from None


def read_only_engine(target: Any) -> Engine:
    """An engine that cannot write, for pages that only read (flows/web): SQLite opened with
    mode=ro (and plain deferred transactions, so a reader never takes the write lock), PostgreSQL
    sessions with default_transaction_read_only. A missing SQLite file is an error, not a new
    empty archive. Nothing is migrated here (storage.migrate.current tells whether it must be)."""
    url = normalize_url(_url_of(target))
    key = "read-only " + url
    if key not in _ENGINES:
        _ENGINES[key] = _create_read_only(url)
    return _ENGINES[key]


def _create_read_only(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                             connect_args={"options": "-c default_transaction_read_only=on"})
    path = Path(parsed.database or "")
    if not parsed.database or parsed.database == ":memory:" or not path.is_file():
        raise PermanentError(f"no archive at {path} (fill one with `rasid poll`, or `rasid demo --state-dir DIR` "
                             "and RASID_STATE_DIR=DIR)")
    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true",
                           connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.execute("PRAGMA busy_timeout=60000")

    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests drop their databases afterwards)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    _MIGRATED.clear()
