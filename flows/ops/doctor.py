"""`rasid doctor`: is this installation able to poll and alert? One verdict per check.

Every check returns a `Check` instead of raising, so one broken part (a database
down, a bad channel URL) does not hide the others. Nothing here prints a secret:
database passwords are masked and a channel shows only its apprise scheme.
Network checks (outlets reachable) run only when asked for.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable

from extractors.errors import RasidError
from flows.settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def to_dict(self) -> dict:
        return asdict(self)


def run_checks(settings: Settings, *, network: bool = False, prefect_api_url: str | None = None) -> list[Check]:
    """All checks in a fixed order; `prefect_api_url` is the configured API (None: local mode)."""
    checks = [check_database(settings), check_prefect(prefect_api_url), *check_channels(settings),
              check_outlets_file(settings), check_topics(settings)]
    if network:
        checks += asyncio.run(check_outlets_reachable(settings))
    return checks


def mask_url(url: str) -> str:
    """What may be shown of a secret URL: its scheme only."""
    scheme, sep, _ = url.partition("://")
    return f"{scheme}://…" if sep else "…"


def masked_database_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown masked, never raw
        return mask_url(settings.sqlalchemy_url)


def check_database(settings: Settings) -> Check:
    """Reachable, and its schema at the newest migration (doctor never migrates: `rasid db upgrade` does)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage import migrate
    from storage.db import check_url, get_engine

    shown = masked_database_url(settings)
    missing = _missing_sqlite_file(settings)
    if missing:
        return Check("database", False, f"{shown}: no database yet: run `rasid db upgrade` (a poll also creates it)")
    try:
        check_url(settings.sqlalchemy_url)
        engine = get_engine(settings)
        current, head = migrate.current(engine), migrate.head()
    except RasidError as exc:
        return Check("database", False, f"{shown}: {exc}")
    except SQLAlchemyError as exc:
        return Check("database", False, f"{shown}: unreachable: {_first_line(exc)}")
    if current != head:
        state = f"schema at {current}" if current else "schema empty"
        return Check("database", False, f"{shown}: {state}, newest is {head}: run `rasid db upgrade`")
    return Check("database", True, f"{shown}: reachable, schema at newest ({head})")


def _missing_sqlite_file(settings: Settings) -> bool:
    """A SQLite file that does not exist yet: say so rather than create it by connecting."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(settings.sqlalchemy_url)
    except Exception:  # noqa: BLE001 - check_database reports the bad URL
        return False
    return url.get_backend_name() == "sqlite" and bool(url.database) and url.database != ":memory:" \
        and not Path(url.database).is_file()


def check_prefect(api_url: str | None, timeout_s: float = 5.0) -> Check:
    """A configured Prefect API must answer /health; without one, flows run in local mode."""
    import httpx

    if not api_url:
        return Check("prefect", True, "local mode (no PREFECT_API_URL): each run starts a temporary Prefect server")
    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=timeout_s, trust_env=False)
    except httpx.HTTPError as exc:
        return Check("prefect", False, f"{api_url}: unreachable ({exc.__class__.__name__})")
    if response.status_code != 200:
        return Check("prefect", False, f"{api_url}: /health answered HTTP {response.status_code}")
    return Check("prefect", True, f"{api_url}: healthy")


def check_channels(settings: Settings) -> list[Check]:
    """Each channel URL parses in apprise; each channel a topic or the default names is configured."""
    from flows.alerts.relay import Channels

    channels = Channels(settings.channels)
    checks = []
    for name in channels.names():
        shown = mask_url(settings.channels[name].get_secret_value())
        try:
            channels.get(name)
        except RasidError as exc:
            checks.append(Check(f"channel {name}", False, f"{shown}: {exc}"))
            continue
        checks.append(Check(f"channel {name}", True, f"{shown}: understood by apprise"))
    missing = sorted(set(_wanted_channels(settings)) - set(channels.names()))
    if missing:
        checks.append(Check("channels", False, "named but not configured: " + ", ".join(
            f"{n} (set RASID_CHANNELS__{n.upper()})" for n in missing)))
    elif not checks:
        checks.append(Check("channels", False, "no channel configured: alerts stay in the outbox"))
    return checks


def _wanted_channels(settings: Settings) -> Iterable[str]:
    from flows.pipeline.topic_files import load_topics_dir
    from flows.pipeline.watch import load_lists

    yield from settings.default_channels
    try:
        topics, _ = load_topics_dir(settings.topics_dir, load_lists(settings.lists_file))
    except RasidError:  # reported by check_topics
        return
    for topic in topics:
        yield from topic.channels


def check_outlets_file(settings: Settings) -> Check:
    from flows.pipeline.watch import load_outlets

    try:
        outlets = load_outlets(settings.outlets_file)
    except RasidError as exc:
        return Check("outlets", False, str(exc))
    enabled = sum(o.enabled for o in outlets)
    if not enabled:
        return Check("outlets", False, f"{settings.outlets_file}: no enabled outlet")
    return Check("outlets", True, f"{settings.outlets_file}: {enabled} enabled of {len(outlets)}")


def check_topics(settings: Settings) -> Check:
    from flows.pipeline.topic_files import load_topics_dir
    from flows.pipeline.watch import load_lists

    try:
        topics, errors = load_topics_dir(settings.topics_dir, load_lists(settings.lists_file))
    except RasidError as exc:
        return Check("topics", False, str(exc))
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return Check("topics", False, f"{len(errors)} file(s) skipped: {errors[0]}{more}")
    if not topics:
        return Check("topics", False, f"{settings.topics_dir}: no topic")
    return Check("topics", True, f"{settings.topics_dir}: {len(topics)} valid")


async def check_outlets_reachable(settings: Settings) -> list[Check]:
    """Every source of every enabled outlet answers, through the same guarded fetcher a poll uses."""
    from flows.fetch.client import Fetcher
    from flows.pipeline.watch import load_outlets

    try:
        outlets = [o for o in load_outlets(settings.outlets_file) if o.enabled]
    except RasidError:
        return []  # reported by check_outlets_file
    async with Fetcher(settings.fetch.model_copy(update={"retries": 0})) as fetcher:
        return list(await asyncio.gather(*(_reach(fetcher, o) for o in outlets)))


async def _reach(fetcher, outlet) -> Check:
    sources = outlet.sources or (outlet.home,)
    results = await asyncio.gather(*(_get(fetcher, url) for url in sources))
    failed = [error for error in results if error]  # fetch errors name their URL
    if failed:
        return Check(f"outlet {outlet.id}", False, f"{len(failed)} of {len(sources)} source(s) failed; " + failed[0])
    return Check(f"outlet {outlet.id}", True, f"{len(sources)} source(s) answered")


async def _get(fetcher, url: str) -> str | None:
    try:
        await fetcher.get(url)
    except RasidError as exc:
        return f"{exc.kind}: {exc}"
    return None


def _first_line(exc: Exception) -> str:
    """A driver error's first line names the problem; the rest may quote the URL."""
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
