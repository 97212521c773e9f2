"""The one settings object of rasid.

Built once by the command line (YAML file, then `.env`, then `RASID_*` variables,
nested with `__`, e.g. `RASID_FETCH__ALLOW_NETWORKS=127.0.0.1/32`) and passed down;
nothing reads the environment at import time.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


class FetchSettings(BaseModel):
    """Limits that keep a slow, huge or hostile server from hurting a poll."""

    user_agent: str = "rasid/0.1 (+https://github.com/rasid-news/rasid; news monitoring)"
    timeout_s: float = Field(20.0, gt=0, description="total deadline per request, body included")
    connect_timeout_s: float = Field(5.0, gt=0)
    max_bytes: int = Field(10_000_000, gt=0, description="largest body kept, after decompression")
    max_redirects: int = Field(5, ge=0)
    per_host_concurrency: int = Field(2, ge=1)
    per_host_delay_s: float = Field(1.0, ge=0, description="minimum gap between requests to one host")
    retries: int = Field(2, ge=0, description="extra attempts for transient errors")
    url_budget_s: float | None = Field(
        None, gt=0, description="total time one URL may take, retries and their waits included "
                                "(default: 2 × timeout_s), so a dripping server costs a bounded time")
    obey_robots: bool = True
    backoff_s: float = Field(1.0, ge=0, description="first retry delay; doubles each retry (with jitter)")
    max_retry_after_s: float = Field(60.0, ge=0, description="longest Retry-After honoured within a poll; "
                                     "a longer one fails the request as transient at once")
    robots_ttl_s: float = Field(3600.0, gt=0, description="how long a site's robots.txt is cached")
    max_sitemap_children: int = Field(3, ge=1, description="newest child sitemaps read from a sitemap index")
    replay_url: str | None = Field(
        None, description="offline replay: a request for scheme://HOST/PATH?Q is sent to {replay_url}/HOST/PATH?Q")
    allow_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="non-public networks that may be fetched anyway (tests: 127.0.0.1/32)")

    @property
    def url_budget(self) -> float:
        """Seconds one URL may take in all: `url_budget_s`, or twice the per-attempt deadline."""
        return self.url_budget_s if self.url_budget_s is not None else 2 * self.timeout_s

    @field_validator("allow_networks", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        for net in value:
            ipaddress.ip_network(net, strict=False)
        return value


class WebSettings(BaseModel):
    """The read-only findings page (`rasid web`, and beside the Prefect UI under `rasid serve`)."""

    host: str = Field("127.0.0.1", description="address the page listens on (127.0.0.1: this machine only)")
    port: int = Field(4280, ge=1, le=65535)
    with_serve: bool = Field(True, description="rasid serve serves the page too")
    timezone: str = Field("UTC", description="the reader's zone for times on the page: an IANA name "
                          "(Asia/Baghdad) or UTC")
    stories_per_topic: int = Field(10, ge=1, le=200, description="latest stories listed per topic on the front page")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Asia/Baghdad, or UTC)") from None
        return value


class Settings(BaseSettings):
    """Everything a run of rasid may be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="RASID_", env_nested_delimiter="__", env_file=".env",
        extra="forbid", yaml_file=None)

    state_dir: Path = Path(".rasid")
    database_url: SecretStr | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file rasid.db in state_dir")
    outlets_file: Path = SEEDS_DIR / "outlets.yaml"
    topics_dir: Path = SEEDS_DIR / "topics"
    lists_file: Path = SEEDS_DIR / "lists.yaml"
    gazetteer_file: Path = SEEDS_DIR / "gazetteer.yaml"
    places_file: Path | None = Field(SEEDS_DIR / "places.tsv",
                                     description="place table added to the gazetteer (seeds/make_places.py); none: off")
    channels: dict[str, SecretStr] = Field(
        default_factory=dict, description="apprise URLs by channel name (secrets)")
    default_channels: list[str] = Field(default_factory=lambda: ["default"])
    operator_channels: list[str] = Field(default_factory=list,
                                         description="who hears that an outlet went dark (default: default_channels)")
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    alert_lease_s: float = Field(120.0, gt=0, description="how long a relay holds an alert it is delivering")
    alert_max_attempts: int = Field(5, ge=1, description="deliveries tried before an alert is marked failed")
    max_articles_per_outlet: int = Field(50, ge=1, description="newest feed items fetched per poll")
    prepare_processes: int = Field(
        default_factory=lambda: min(os.cpu_count() or 1, 8), ge=0,
        description="worker processes that extract, match and sign large batches of pages "
                    "(0: all in the poll's own process); default: one per CPU, at most 8")
    log_level: str = "INFO"

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, dotenv_settings]
        yaml_file = settings_cls.model_config.get("yaml_file")
        if yaml_file:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file))
        return tuple(sources)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.state_dir / 'rasid.db').resolve()}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from an optional YAML file, `.env`, the environment and overrides.

    A bad file or value raises ConfigError naming the file and the field.
    """
    from pydantic import ValidationError

    from extractors.errors import ConfigError

    cls = Settings
    if config_file is not None:
        if not Path(config_file).is_file():
            raise ConfigError("settings file not found", source=str(config_file))
        cls = type("FileSettings", (Settings,), {"model_config": {**Settings.model_config, "yaml_file": str(config_file)}})
    try:
        return cls(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{field}: {first['msg']}", source=str(config_file) if config_file else "settings") from None
    except Exception as exc:  # YAML syntax errors, a list where a mapping belongs, and the like
        raise _unreadable(exc, config_file) from None


def _unreadable(exc: Exception, config_file: Path | None):
    """The reason and position only: YAML's own message quotes the offending line, which may
    hold a channel URL (a secret)."""
    from extractors.errors import ConfigError

    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or exc.__class__.__name__
    return ConfigError(f"cannot read settings: {reason}", source=str(config_file) if config_file else "settings",
                       line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None)


def write_settings_file(settings: Settings, path: Path) -> Path:
    """Write settings as YAML a child process can load with --config (readable by the owner only).

    Secrets are written in clear because the child needs them; the file is 0600.
    """
    import os

    import yaml

    def plain(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return value.get_secret_value()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, BaseModel):
            return plain(dict(value))
        return str(value) if isinstance(value, Path) else value

    data = {k: v for k, v in plain(dict(settings)).items() if v is not None}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False)
    return path
