"""Station settings as admins give them: an ftp:// or ftps:// URL taken apart, fields checked and
cleaned before they are stored."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from services.core.errors import InvalidInput
from services.ftp.client import (
    NAME_ENCODINGS,
    TLS_MODES,
)

# The shortest poll interval: stations are other people's servers.
MIN_INTERVAL = 30


def parse_station_url(url: str) -> dict[str, Any]:
    """`ftp://host[:port][/path]` or `ftps://…` (implicit TLS) as station fields."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("ftp", "ftps") or not parts.hostname:
        raise InvalidInput(
            "The address must look like ftp://host[:port][/folder] or ftps://…",
            code="invalid_url",
            fields={"url": "expected ftp:// or ftps:// with a host"},
        )
    try:
        port = parts.port
    except ValueError as error:
        raise InvalidInput(
            "The port is not a number from 1 to 65535.", code="invalid_url"
        ) from error
    tls = "implicit" if parts.scheme == "ftps" else "none"
    fields: dict[str, Any] = {
        "host": parts.hostname,
        "port": port or (990 if tls == "implicit" else 21),
        "tls": tls,
        "root": unquote(parts.path) or "/",
    }
    if parts.username:
        fields["login"] = unquote(parts.username)
    if parts.password:
        fields["password"] = unquote(parts.password)
    return fields


def expand_url(values: dict[str, Any], current_tls: str) -> dict[str, Any]:
    """`url` replaced by the fields it states. TLS never drops implicitly: ftp:// keeps explicit
    TLS (and turns implicit into explicit); only `"tls": "none"` switches it off. A URL without
    a port means the default port of the resulting TLS mode."""
    url = values.pop("url", None)
    if not url:
        return values
    expanded = parse_station_url(str(url))
    if expanded["tls"] == "none" and current_tls != "none":
        expanded["tls"] = "explicit"
    if urlsplit(str(url).strip()).port is None:
        tls = values.get("tls", expanded["tls"])
        expanded["port"] = 990 if tls == "implicit" else 21
    return {**expanded, **values}


EDITABLE = {
    "url",
    "name",
    "host",
    "port",
    "login",
    "password",
    "tls",
    "verify_tls",
    "root",
    "include_masks",
    "exclude_masks",
    "poll_interval",
    "max_connections",
    "encoding",
    "enabled",
    "latitude",
    "longitude",
    "altitude",
    "min_elevation",
    "platforms",
}
# Where the antenna is and what it receives: predictions change with them.
LOCATION = {"latitude", "longitude", "altitude", "min_elevation", "platforms"}
# What each location field may be: (low, high).
_RANGES = {
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
    "altitude": (-500.0, 9000.0),
    "min_elevation": (0.0, 60.0),
}


def clean_settings(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked, normalised station fields; raises InvalidInput naming the first bad one."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise InvalidInput(f"Unknown station field: {sorted(unknown)[0]}", code="invalid_field")
    out = dict(fields)

    def bad(name: str, message: str) -> InvalidInput:
        return InvalidInput(message, code="invalid_station", fields={name: message})

    for key in ("name", "host", "login", "root"):
        if key in out and any(c in str(out[key]) for c in "\r\n\0"):
            raise bad(key, "Line breaks and NUL characters are not allowed here.")
    if "name" in out:
        out["name"] = " ".join(str(out["name"]).split())[:100]
        if not out["name"]:
            raise bad("name", "The name must not be empty.")
    if "host" in out:
        host = str(out["host"]).strip()
        if not host or not re.fullmatch(r"[A-Za-z0-9.\-:\[\]_]+", host):
            raise bad("host", "The host must be a name or an IP address.")
        out["host"] = host
    if "port" in out and not (isinstance(out["port"], int) and 0 < out["port"] < 65536):
        raise bad("port", "The port must be a number from 1 to 65535.")
    if "tls" in out and out["tls"] not in TLS_MODES:
        raise bad("tls", "TLS must be one of none, explicit, implicit.")
    if "encoding" in out and out["encoding"] not in NAME_ENCODINGS:
        raise bad("encoding", "The name encoding must be one of auto, utf-8, cp1251.")
    if "root" in out:
        root = "/" + str(out["root"]).strip().strip("/")
        out["root"] = root
    for key in ("include_masks", "exclude_masks"):
        if key in out:
            value = out[key]
            if isinstance(value, str):
                value = [m for m in re.split(r"[,\n]", value)]
            out[key] = [str(m).strip() for m in value if str(m).strip()]
    if "poll_interval" in out and not (
        isinstance(out["poll_interval"], int) and MIN_INTERVAL <= out["poll_interval"] <= 86400
    ):
        raise bad("poll_interval", f"The poll interval must be {MIN_INTERVAL}–86400 seconds.")
    if "max_connections" in out and not (
        isinstance(out["max_connections"], int) and 1 <= out["max_connections"] <= 20
    ):
        raise bad("max_connections", "Connections must be from 1 to 20.")
    if "login" in out:
        out["login"] = str(out["login"]).strip() or "anonymous"
    for key, (low, high) in _RANGES.items():
        value = out.get(key)
        if key in out and value is None and key in ("latitude", "longitude"):
            continue  # no location: nothing predicted
        if key in out and not (
            isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        ):
            raise bad(
                key, f"{key.replace('_', ' ').capitalize()} must be from {low:g} to {high:g}."
            )
    if "platforms" in out:
        value = out["platforms"]
        if isinstance(value, str):
            value = re.split(r"[,\n]", value)
        if not isinstance(value, list) or len(value) > 50:
            raise bad("platforms", "Platforms are a list of at most 50 names.")
        out["platforms"] = sorted({str(p).strip()[:40] for p in value if str(p).strip()})
    return out
