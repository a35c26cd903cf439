"""Texts every feature shares: dates, sizes, shortened names; the answers of any handler
(cancelled, done, not understood, not registered); and errors in plain words — the codes of the
shared catalog, FTP failures and station field problems, which any handler may meet.

Texts the bot sends are pure functions from data to HTML, every outside string escaped; each
renders in the current i18n locale (the recipient's language). The features' own texts are in
`bot/<feature>/texts.py`.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _

from services.core.errors import AppError, PayloadTooLarge, QuotaExceeded
from services.core.i18n import ERROR_TEXTS, QUOTA_NEEDS, TOO_LARGE
from services.ftp.client import FtpError
from services.stations.settings import MIN_INTERVAL


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def size_label(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def short(name: str, limit: int = 100) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def cancelled() -> str:
    return _("Cancelled.")


def done() -> str:
    return _("Done.")


def unknown_input() -> str:
    return _("I did not understand that. Send /help to see what I can do.")


def not_registered() -> str:
    return _("You are not registered yet. Send /start first.")


def not_active() -> str:
    return _error_code("inactive_user")


def internal_error() -> str:
    return _error_code("internal_error")


def _error_code(code: str) -> str:
    """The words of an error code, shared with the web pages (plain text, escaped here)."""
    return escape(_(ERROR_TEXTS[code]), quote=False)


def error(exc: AppError) -> str:
    """A service error in plain words of the user's language."""
    if isinstance(exc, FtpError):
        return ftp_failure(exc)
    if exc.code == "invalid_station" and getattr(exc, "fields", None):
        problem = _station_field_problem(next(iter(exc.fields)))  # type: ignore[attr-defined]
        if problem:
            return problem
    if isinstance(exc, QuotaExceeded):
        return escape(_(QUOTA_NEEDS), quote=False).format(
            needed=size_label(exc.needed), free=size_label(exc.free)
        )
    if isinstance(exc, PayloadTooLarge):
        return escape(_(TOO_LARGE), quote=False).format(maximum=size_label(exc.maximum))
    if exc.code == "invalid_input" and getattr(exc, "fields", None):
        fields = exc.fields  # type: ignore[attr-defined]
        return "\n".join(f"{escape(k)}: {escape(v)}" for k, v in fields.items())
    if exc.code in ERROR_TEXTS:
        return _error_code(exc.code)
    return escape(exc.message)


def ftp_failure(error: FtpError) -> str:
    labels = {
        "timeout": _("The station did not answer in time."),
        "unreachable": _("The station cannot be reached."),
        "login": _("The station refused the login or password."),
        "tls": _("The TLS connection failed."),
        "busy": _("The station is busy (too many connections)."),
        "dropped": _("The station closed the connection."),
        "not_found": _("The folder was not found on the station."),
        "protocol": _("The station answered something unexpected."),
    }
    label = labels.get(error.kind, "")
    detail = escape(short(error.message, 300))
    return f"{label}\n<i>{detail}</i>" if label else detail


def _station_field_problem(field: str) -> str | None:
    problems = {
        "name": _("The name must not be empty."),
        "host": _("The host must be a name or an IP address."),
        "port": _("The port must be a number from 1 to 65535."),
        "poll_interval": _("The poll interval must be from {low} to 86400 seconds.").format(
            low=MIN_INTERVAL
        ),
        "max_connections": _("Connections must be from 1 to 20."),
        "url": _("The address must look like ftp://host[:port][/folder] or ftps://…"),
    }
    return problems.get(field)
