"""Settings: the one place configuration is read, from the environment and `.env`.

Every key is documented in `.env.example`. Loading fails with `ConfigError`, whose message names
the offending key and never echoes a secret value.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import ByteSize, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from redis.connection import parse_url

from services.core.errors import ConfigError

BOT_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SECRET_KEY_FILE = "secret_key"
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
_SECRET_KEYS = {"bot_token", "secret_key", "database_url", "redis_url", "metrics_token"}


def _check_http_url(value: str, key: str, *, https_only: bool = False) -> str:
    parts = urlsplit(value)
    schemes = ("https",) if https_only else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname:
        expected = "an https:// URL" if https_only else "an http:// or https:// URL"
        raise ValueError(f"must be {expected}")
    return value.rstrip("/")


class Settings(BaseSettings):
    """All of ftpgram's configuration. Derived defaults are filled in by `load_settings`."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_api_local: bool = False
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    auto_activate: bool = False
    # Reverse proxies in front of ftpgram (addresses or networks): from them, the client's
    # address is taken from X-Forwarded-For. Per-address limits count the proxy otherwise.
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    default_quota: ByteSize = ByteSize(10 * 1024**3)
    max_upload: ByteSize = ByteSize(20 * 1024**3)
    data_dir: Path = Path("data")
    database_url: SecretStr | None = None
    storage_dir: Path | None = None
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8080, ge=0, le=65535)  # 0: any free port
    public_url: str | None = None
    secret_key: SecretStr | None = None
    webhook_url: str | None = None
    log_level: LogLevel = "INFO"
    log_file: Path | None = None
    log_retention_days: int = Field(default=30, ge=1)
    message_retention_days: int = Field(default=90, ge=1)
    bot_token_rate: float = Field(default=1.0, gt=0)
    bot_token_burst: int = Field(default=10, ge=1)
    bot_token_daily: int = Field(default=1000, ge=1)
    # Extra CA certificates trusted for station FTPS (beside the system ones).
    station_ca_file: Path | None = None
    station_timeout: float = Field(default=30.0, gt=0)
    station_poll_timeout: float = Field(default=600.0, gt=0)
    # A new file is stable once unchanged across two polls at least this many seconds apart.
    station_settle_seconds: float = Field(default=30.0, ge=0)
    # Downloads from stations running at once in this process (each station's own connection
    # limit applies as well).
    download_concurrency: int = Field(default=4, ge=1, le=64)
    # Automatic retries after a connection loss, a timeout or a busy station, before a download
    # fails (the person can start it again); waits double from DOWNLOAD_RETRY_DELAY.
    download_retries: int = Field(default=8, ge=0, le=100)
    download_retry_delay: float = Field(default=5.0, gt=0)
    # A running download is renewed every second; after a crash another start (or another
    # process) resumes it once this many seconds passed without renewal.
    download_lease: float = Field(default=15.0, ge=2)
    # Files of one satellite whose start times lie this many seconds apart or less (and whose
    # names carry no different orbit) belong to one pass.
    pass_tolerance: float = Field(default=300.0, ge=0, le=3600)
    # A pass is complete, and announced, once no new file of it appeared for this long.
    pass_quiet: float = Field(default=600.0, ge=0, le=86400)
    # A predicted pass with no files this long after it set is reported missed to admins.
    pass_missed_after: float = Field(default=1800.0, ge=60, le=7 * 86400)
    # Orbital elements (TLE, CelesTrak's three-line format) for predicted passes: a local file,
    # or a URL downloaded once a day. Neither: no predictions.
    tle_file: Path | None = None
    tle_url: str | None = None
    # Cluster mode: several processes share PostgreSQL and this Redis (conversation state,
    # events between processes). Empty: one process, no Redis.
    redis_url: SecretStr | None = None
    # GET /metrics (Prometheus) answers only with `Authorization: Bearer <METRICS_TOKEN>`;
    # empty: /metrics is off.
    metrics_token: SecretStr | None = None

    @field_validator(
        "bot_token", "secret_key", "database_url", "redis_url", "metrics_token", mode="before"
    )
    @classmethod
    def _empty_secret_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "public_url",
        "webhook_url",
        "log_file",
        "storage_dir",
        "station_ca_file",
        "tle_file",
        "tle_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _check_bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not BOT_TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("must look like 123456789:AAE... (the token @BotFather gave you)")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            items = [item.strip() for item in value.replace(";", ",").split(",")]
            ids = []
            for item in items:
                if not item:
                    continue
                if not item.lstrip("-").isdigit():
                    raise ValueError(f"must be comma-separated Telegram ids (not {item[:20]!r})")
                ids.append(int(item))
            return frozenset(ids)
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            items = [item.strip() for item in value.replace(";", ",").split(",")]
            try:
                return tuple(ip_network(item, strict=False) for item in items if item)
            except ValueError as exc:
                raise ValueError(f"must be comma-separated addresses or networks: {exc}") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        return _check_http_url(value.strip(), "TELEGRAM_API_URL")

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_http_url(value.strip(), "PUBLIC_URL")

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # Telegram delivers webhooks over HTTPS only.
        return _check_http_url(value.strip(), "WEBHOOK_URL", https_only=True)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        scheme = urlsplit(value.get_secret_value()).scheme
        if scheme not in ("sqlite", "postgres", "postgresql", "asyncpg"):
            raise ValueError("must start with sqlite:// or postgres://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        if urlsplit(value.get_secret_value()).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("must start with redis://, rediss:// or unix://")
        try:
            parse_url(value.get_secret_value())  # type: ignore[no-untyped-call]
        except ValueError:
            # redis' own message may quote the URL, password included.
            raise ValueError("is not a valid Redis URL (redis://:password@host:6379/0)") from None
        return value

    @field_validator("metrics_token")
    @classmethod
    def _check_metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().strip()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    # Derived values, always set after `load_settings`.

    @property
    def database(self) -> str:
        assert self.database_url is not None
        return self.database_url.get_secret_value()

    @property
    def storage(self) -> Path:
        assert self.storage_dir is not None
        return self.storage_dir

    @property
    def secret(self) -> bytes:
        assert self.secret_key is not None
        return self.secret_key.get_secret_value().encode()

    @property
    def base_url(self) -> str:
        assert self.public_url is not None
        return self.public_url

    @property
    def clustered(self) -> bool:
        """Several processes on PostgreSQL and Redis (REDIS_URL set)."""
        return self.redis_url is not None

    @property
    def redis(self) -> str:
        assert self.redis_url is not None
        return self.redis_url.get_secret_value()

    def secret_values(self) -> list[str]:
        """Every configured secret, for the log redaction filter."""
        values = [self.bot_token, self.secret_key, self.metrics_token]
        found = [v.get_secret_value() for v in values if v is not None]
        for url in (self.database_url, self.redis_url):
            if url is not None:
                password = urlsplit(url.get_secret_value()).password
                if password:
                    found.append(password)
        return found


def _describe(error: Any) -> str:
    key = ".".join(str(part) for part in error["loc"]).upper() or "settings"
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["loc"] and error["loc"][0] not in _SECRET_KEYS and isinstance(value, str | int):
        return f"{key}: {message} (got {str(value)[:60]!r})"
    return f"{key}: {message}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings and fill in the derived defaults (paths, URLs, the secret key)."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(e) for e in exc.errors())) from None
    except UnicodeDecodeError:
        raise ConfigError(".env: the file is not valid UTF-8") from None
    data_dir = settings.data_dir
    if settings.clustered:
        _check_cluster(settings)
    if settings.database_url is None:
        settings.database_url = SecretStr(f"sqlite://{data_dir / 'ftpgram.sqlite3'}")
    if settings.storage_dir is None:
        settings.storage_dir = data_dir / "storage"
    if settings.log_file is None:
        settings.log_file = data_dir / "ftpgram.log"
    if settings.public_url is None:
        host = settings.api_host if settings.api_host not in ("0.0.0.0", "::") else "127.0.0.1"  # noqa: S104
        settings.public_url = f"http://{host}:{settings.api_port}"
    if settings.secret_key is None:
        settings.secret_key = SecretStr(_stored_secret_key(data_dir))
    return settings


def _check_cluster(settings: Settings) -> None:
    """Cluster mode needs what several processes share, given explicitly (the defaults are
    each process's own: a key generated into its data directory, storage beside it, links to
    its own port)."""
    for key, value in (
        ("SECRET_KEY", settings.secret_key),
        ("STORAGE_DIR", settings.storage_dir),
        ("PUBLIC_URL", settings.public_url),
    ):
        if value is None:
            raise ConfigError(
                f"{key}: several processes must share it: set the same {key} in every process"
            )
    url = settings.database_url.get_secret_value() if settings.database_url else ""
    if not url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        raise ConfigError(
            "REDIS_URL: several processes need a shared PostgreSQL database: "
            "set DATABASE_URL=postgres://..."
        )
    if settings.webhook_url is None:
        raise ConfigError(
            "REDIS_URL: several processes receive Telegram updates by webhook "
            "(long polling is for one process): set WEBHOOK_URL"
        )


def _stored_secret_key(data_dir: Path) -> str:
    """The secret key kept in the data directory, created once with mode 0600."""
    path = data_dir / SECRET_KEY_FILE
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(0o600)
            key = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"SECRET_KEY: cannot read {path}: {exc}") from None
        if len(key) < 32:
            raise ConfigError(f"SECRET_KEY: the key in {path} is too short; delete it") from None
        return key
    except OSError as exc:
        raise ConfigError(f"SECRET_KEY: cannot create {path}: {exc.strerror}") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
