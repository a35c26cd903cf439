"""Where the client keeps its tokens: one file in the user's config directory
(`platformdirs.user_config_dir("ftpgram")`, e.g. `~/.config/ftpgram/credentials.json`), readable
by its owner only (0600, in a 0700 directory), with one token per server URL and the server
logged in to last as the default.

The environment can stand in for it: `FTPGRAM_SERVER` names the server, `FTPGRAM_TOKEN` gives
the token (nothing is then read from or written to the file).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from client.errors import AUTH, USAGE, ClientError

FILE_NAME = "credentials.json"
SERVER_ENV = "FTPGRAM_SERVER"
TOKEN_ENV = "FTPGRAM_TOKEN"


def config_path() -> Path:
    return Path(platformdirs.user_config_dir("ftpgram")) / FILE_NAME


def normalize_server(url: str) -> str:
    """`http(s)://host[:port][/prefix]`, without a trailing slash; anything else is a usage
    error."""
    raw = url.strip()
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ClientError(
            f"Not a server address: {url!r} (expected http://host:port or https://host).", USAGE
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ClientError(
            f"Not a server address: {url!r} (no credentials, query or fragment).", USAGE
        )
    try:
        parts.port  # noqa: B018 (validates the port)
    except ValueError:
        raise ClientError(f"Not a server address: {url!r} (bad port).", USAGE) from None
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


@dataclass
class Credentials:
    """The content of the credentials file."""

    default_server: str | None = None
    servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path = field(default_factory=config_path)

    @classmethod
    def load(cls) -> Credentials:
        path = config_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, ValueError) as exc:
            raise ClientError(f"Cannot read {path}: {exc}", USAGE) from None
        if not isinstance(data, dict) or not isinstance(data.get("servers", {}), dict):
            raise ClientError(f"{path} is not an ftpgram credentials file.", USAGE)
        default = data.get("default_server")
        return cls(
            default_server=default if isinstance(default, str) else None,
            servers={
                str(url): entry
                for url, entry in data.get("servers", {}).items()
                if isinstance(entry, dict)
            },
            path=path,
        )

    def save(self) -> None:
        """Write atomically; the file is never readable by anyone else, not even briefly."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps(
            {"default_server": self.default_server, "servers": self.servers}, indent=2
        )
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(text + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise

    def remember(self, server: str, token: str, user: str) -> None:
        self.servers[server] = {"token": token, "user": user}
        self.default_server = server
        self.save()

    def forget(self, server: str) -> bool:
        found = self.servers.pop(server, None) is not None
        if self.default_server == server:
            self.default_server = next(iter(self.servers), None)
        if found:
            self.save()
        return found

    def token_for(self, server: str) -> str | None:
        token = self.servers.get(server, {}).get("token")
        return token if isinstance(token, str) and token else None

    def too_open(self) -> bool:
        """True when others may read the file (it was copied or its mode changed)."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return False
        return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


def choose_server(option: str | None, credentials: Credentials, environ: Mapping[str, str]) -> str:
    """--server, else FTPGRAM_SERVER, else the server logged in to last."""
    chosen = option or environ.get(SERVER_ENV) or credentials.default_server
    if not chosen:
        raise ClientError(
            f"Which server? Pass --server URL or set {SERVER_ENV} "
            "(login remembers it for next time).",
            USAGE,
        )
    return normalize_server(chosen)


def choose_token(server: str, credentials: Credentials, environ: Mapping[str, str]) -> str:
    token = environ.get(TOKEN_ENV) or credentials.token_for(server)
    if not token:
        raise ClientError(
            f"Not logged in to {server}: run 'ftpgram client login' first.", AUTH, code="login"
        )
    return token.strip()
