"""Texts the bot sends: pure functions from data to HTML, every outside string escaped.

Each function renders in the current i18n locale (the recipient's language).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.callbacks import StationField
from services.accounts.auth import TokenView
from services.accounts.users import Usage, UserPage, UserView
from services.core.errors import AppError, PayloadTooLarge, QuotaExceeded
from services.core.i18n import ERROR_TEXTS, QUOTA_NEEDS, TOO_LARGE
from services.core.models import DownloadStatus
from services.downloads.views import DownloadPage, DownloadView
from services.ftp.client import FtpError
from services.messaging.service import BotTokenView
from services.stations.settings import MIN_INTERVAL
from services.stations.views import (
    FollowedStation,
    PollResult,
    StationFilePage,
    StationView,
)
from services.storage.files import FilePage, FileView, MediaStats


def _name(user: UserView) -> str:
    return escape(user.display_name)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def state_label(user: UserView) -> str:
    if user.is_active:
        return _("active")
    if user.rejected:
        return _("declined")
    return _("waiting for activation")


def welcome(user: UserView, *, created: bool) -> str:
    name = _name(user)
    if user.is_admin:
        return _("Hello, {name}! You are an administrator of ftpgram.").format(name=name)
    if user.is_active:
        return _("Hello, {name}! Your account is active.").format(name=name)
    if user.rejected:
        return _("Hello, {name}! An administrator declined your registration.").format(name=name)
    if created:
        return _(
            "Hello, {name}! You are registered. An administrator has to activate your account; "
            "I will tell you when that happens."
        ).format(name=name)
    return _("Hello, {name}! Your account is waiting for an administrator to activate it.").format(
        name=name
    )


def help_text(user: UserView | None) -> str:
    lines = [
        _("ftpgram brings files from satellite receiving stations to you."),
        "",
        _("/start — register or see where you stand"),
        _("/code — a one-time code for the web pages and the API"),
        _("/account — your account and API tokens"),
        _("/tokens — bot tokens for apps that send you messages"),
        _("/stations — choose the stations you follow"),
        _("/files — files on your stations"),
        _("/downloads — your downloads from the stations: progress, pause, start, stop"),
        _("/myfiles — your stored files; send me a file to store it"),
        _("/stats — how your storage is used"),
        _("/help — this message"),
    ]
    if user is not None and user.is_admin:
        lines.insert(-1, _("/admin — users: activate, deactivate, administrators"))
        lines.insert(-1, _("/stations_admin — stations: add, check, poll, edit"))
    return "\n".join(lines)


def login_code(code: str, minutes: int) -> str:
    return _(
        "Your sign-in code: <code>{code}</code>\n"
        "It works once, for {minutes} minutes. Never share it: ftpgram staff will not ask for it."
    ).format(code=code, minutes=minutes)


def not_active() -> str:
    return _error_code("inactive_user")


def new_user_notice(user: UserView) -> str:
    contact = f" (@{escape(user.telegram_username)})" if user.telegram_username else ""
    if user.login:
        contact += " " + _("login {login}").format(login=escape(user.login))
    return _("New user: {name}{contact}. Activate the account?").format(
        name=_name(user), contact=contact
    )


def waiting_users_notice(count: int) -> str:
    return ngettext(
        "Many people are registering: {count} is waiting for activation. /admin lists them.",
        "Many people are registering: {count} are waiting for activation. /admin lists them.",
        count,
    ).format(count=count)


def decided_notice(user: UserView, actor: UserView | None) -> str:
    by = _name(actor) if actor else "—"
    if user.is_active:
        return _("New user {name}: activated by {admin}.").format(name=_name(user), admin=by)
    if user.rejected:
        return _("New user {name}: declined by {admin}.").format(name=_name(user), admin=by)
    return _("New user {name}: deactivated by {admin}.").format(name=_name(user), admin=by)


def account_changed(user: UserView) -> str:
    if user.is_active:
        return _("Your account is active now. Send /help to see what you can do.")
    if user.rejected:
        return _("An administrator declined your registration.")
    return _("An administrator deactivated your account.")


def user_list(page: UserPage) -> str:
    header = _("Users: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=page.pages
    )
    lines = [f"<b>{header}</b>"]
    for user in page.items:
        role = " ★" if user.is_admin else ""
        lines.append(f"• {_name(user)}{role} — {state_label(user)}")
    return "\n".join(lines)


def user_card(user: UserView, quota: int) -> str:
    rows = [
        f"<b>{_name(user)}</b>",
        _("State: {state}").format(state=state_label(user)),
        _("Administrator: {flag}").format(flag=_("yes") if user.is_admin else _("no")),
        _("Telegram: {value}").format(
            value=f"@{escape(user.telegram_username)}"
            if user.telegram_username
            else (user.telegram_id or "—")
        ),
        _("Login: {value}").format(value=escape(user.login) if user.login else "—"),
        _("Email: {value}").format(value=escape(user.email) if user.email else "—"),
        _("Quota: {value}").format(value=_bytes(quota)),
        _("Registered: {value}").format(value=_when(user.created_at)),
        _("Last seen: {value}").format(value=_when(user.last_seen_at)),
    ]
    return "\n".join(rows)


def confirm_delete_user(user: UserView) -> str:
    return _("Delete {name} and everything they have stored? This cannot be undone.").format(
        name=_name(user)
    )


def user_deleted(name: str) -> str:
    return _("{name} was deleted.").format(name=escape(name))


def account(user: UserView, quota: int) -> str:
    return _("<b>Your account</b>") + "\n" + user_card(user, quota)


def tokens(items: list[TokenView]) -> str:
    if not items:
        return _("You have no API tokens. Sign in to the web pages or the API to get one.")
    lines = [_("<b>Your API tokens</b>")]
    for token in items:
        label = escape(token.label) or _("(no label)")
        lines.append(
            _("• {label}: created {created}, last used {used}").format(
                label=label, created=_when(token.created_at), used=_when(token.last_used_at)
            )
        )
    return "\n".join(lines)


def confirm_revoke_all() -> str:
    return _("Revoke all your API tokens? Every app and browser signed in with them is signed out.")


def revoked(count: int) -> str:
    return _("Revoked tokens: {count}.").format(count=count)


def ask_login() -> str:
    return _(
        "Send the login you want: 4–20 Latin letters and digits, starting with a letter. "
        "/cancel stops."
    )


def ask_password() -> str:
    return _(
        "Now send a password: at least 6 characters with an upper-case letter, a digit and a "
        "special character. I delete your message right away."
    )


def credentials_saved(login: str) -> str:
    return _("Saved. You can sign in with the login {login} and your password.").format(
        login=f"<code>{escape(login)}</code>"
    )


def confirm_delete_account() -> str:
    return _("Delete your account and everything you have stored? This cannot be undone.")


def account_deleted() -> str:
    return _("Your account is deleted. Send /start if you want to register again.")


def cancelled() -> str:
    return _("Cancelled.")


def nothing_to_cancel() -> str:
    return _("There is nothing to cancel.")


def done() -> str:
    return _("Done.")


def unknown_input() -> str:
    return _("I did not understand that. Send /help to see what I can do.")


def not_registered() -> str:
    return _("You are not registered yet. Send /start first.")


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
            needed=_bytes(exc.needed), free=_bytes(exc.free)
        )
    if isinstance(exc, PayloadTooLarge):
        return escape(_(TOO_LARGE), quote=False).format(maximum=_bytes(exc.maximum))
    if exc.code == "invalid_input" and getattr(exc, "fields", None):
        fields = exc.fields  # type: ignore[attr-defined]
        return "\n".join(f"{escape(k)}: {escape(v)}" for k, v in fields.items())
    if exc.code in ERROR_TEXTS:
        return _error_code(exc.code)
    return escape(exc.message)


MEDIA_ICONS = {
    "image": "🖼",
    "video": "🎬",
    "audio": "🎵",
    "document": "📄",
    "archive": "🗜",
    "other": "📦",
}


def media_label(media_type: str) -> str:
    labels = {
        "image": _("images"),
        "video": _("videos"),
        "audio": _("audio"),
        "document": _("documents"),
        "archive": _("archives"),
        "other": _("other files"),
    }
    icon = MEDIA_ICONS.get(media_type, "📦")
    return f"{icon} {labels.get(media_type, media_type)}"


def file_saved(file: FileView, *, created: bool) -> str:
    if not created:
        return _("You already have this file: {name}. /myfiles").format(name=escape(file.name))
    return _("Saved: {name} ({size}). /myfiles").format(
        name=escape(file.name), size=_bytes(file.size)
    )


def file_too_big_for_bot(limit: int) -> str:
    return _(
        "This file is larger than the bot may download ({limit}). Upload it on the web pages "
        "instead."
    ).format(limit=_bytes(limit))


def file_list(page: FilePage) -> str:
    if page.total == 0:
        return _("You have no files yet. Send me a document, photo, video or audio to store it.")
    pages = max(1, -(-page.total // page.per_page))
    lines = [
        "<b>"
        + _("Your files: {total} (page {page} of {pages})").format(
            total=page.total, page=page.page, pages=pages
        )
        + "</b>"
    ]
    start = (page.page - 1) * page.per_page
    for number, file in enumerate(page.items, start + 1):
        lines.append(
            f"{number}. {escape(file.name)} — {_bytes(file.size)} — {file.created_at:%Y-%m-%d}"
        )
    return "\n".join(lines)


def file_card(file: FileView, link: str | None = None) -> str:
    rows = [
        f"<b>{escape(file.name)}</b>",
        _("Size: {value}").format(value=_bytes(file.size)),
        _("Type: {value}").format(value=media_label(file.media_type)),
        _("Stored: {value}").format(value=_when(file.created_at)),
        _("Last downloaded: {value}").format(value=_when(file.last_download_at)),
    ]
    if file.comment:
        rows.append(_("Comment: {value}").format(value=escape(file.comment)))
    if link:
        rows.append(_("Link: {value}").format(value=escape(link)))
    elif file.shared:
        rows.append(_("Shared by link"))
    return "\n".join(rows)


def ask_new_name() -> str:
    return _("Send the new name. /cancel keeps the old one.")


def ask_comment() -> str:
    return _("Send the comment (a single - removes it). /cancel stops.")


def confirm_delete_file(file: FileView) -> str:
    return _("Delete {name}?").format(name=escape(file.name))


def file_deleted(name: str) -> str:
    return _("{name} was deleted.").format(name=escape(name))


def file_by_link(file: FileView, link: str, limit: int) -> str:
    return _("{name} is larger than the bot may send ({limit}); download it here:\n{link}").format(
        name=escape(file.name), limit=_bytes(limit), link=escape(link)
    )


def bulk_menu() -> str:
    return _("Delete many files at once: choose what to delete. I will count them first.")


def bulk_confirm(count: int, size: int) -> str:
    if count == 0:
        return _("No files match.")
    return _("Delete {count} files ({size})? This cannot be undone.").format(
        count=count, size=_bytes(size)
    )


def bulk_done(count: int) -> str:
    return _("Deleted files: {count}.").format(count=count)


def stats(items: list[MediaStats], usage: Usage) -> str:
    lines = ["<b>" + _("Your storage") + "</b>"]
    for item in items:
        lines.append(f"{media_label(item.media_type)}: {item.count} — {_bytes(item.bytes)}")
    if not items:
        lines.append(_("No files yet."))
    lines.append(
        _("Used {used} of {quota}; {free} free.").format(
            used=_bytes(usage.used), quota=_bytes(usage.quota), free=_bytes(usage.free)
        )
    )
    return "\n".join(lines)


def bot_tokens(items: list[BotTokenView]) -> str:
    lines = [
        "<b>" + _("Bot tokens") + "</b>",
        _(
            "An app with a bot token can send you messages through this bot: POST {url} with "
            "the header {header}."
        ).format(url="/api/v1/messages/", header=escape("Authorization: Bearer <token>")),
    ]
    if not items:
        lines.append(_("You have no bot tokens yet."))
    for token in items:
        lines.append(
            _("• {label}: created {created}, last used {used}, messages {count}").format(
                label=escape(token.label) or _("(no label)"),
                created=_when(token.created_at),
                used=_when(token.last_used_at),
                count=token.messages_sent,
            )
        )
    return "\n".join(lines)


def ask_token_label() -> str:
    return _("Send a label for the new token (for example, the app's name). /cancel stops.")


def new_bot_token(token: str) -> str:
    return _("Your new bot token (shown only now; keep it secret):\n<code>{token}</code>").format(
        token=escape(token)
    )


def bot_token_code(code: str, minutes: int) -> str:
    return _(
        "Your code for creating a bot token on the web: <code>{code}</code>\n"
        "It works once, for {minutes} minutes."
    ).format(code=code, minutes=minutes)


def station_announcement(
    station: StationView, count: int, total_size: int, names: list[str]
) -> str:
    head = ngettext(
        "📡 <b>{station}</b>: {count} new file, {size}",
        "📡 <b>{station}</b>: {count} new files, {size}",
        count,
    ).format(station=escape(station.name), count=count, size=_bytes(total_size))
    lines = [head, *(f"• <code>{escape(name)}</code>" for name in names)]
    if count > len(names):
        lines.append(_("…and {count} more").format(count=count - len(names)))
    return "\n".join(lines)


def station_health(station: StationView) -> str:
    if station.failing:
        return _("⚠️ Station <b>{station}</b> is failing: {error}").format(
            station=escape(station.name), error=escape(station.last_error)
        )
    return _("✅ Station <b>{station}</b> answers again.").format(station=escape(station.name))


# ---- downloads ---------------------------------------------------------------------------------


def download_finished(download: DownloadView) -> str:
    return _("✅ Downloaded <b>{name}</b> ({size}) from {station}. It is in /myfiles now.").format(
        name=escape(download.name),
        size=_bytes(download.size),
        station=escape(download.station_name),
    )


def download_failed(download: DownloadView) -> str:
    return _("❌ The download of <b>{name}</b> failed: {reason}").format(
        name=escape(download.name), reason=escape(download_error(download))
    )


def download_error(download: DownloadView) -> str:
    """Why a download failed or waits, in the reader's language where the reason is known
    (plain text: escape it for HTML)."""
    reasons = {
        "quota_exceeded": _("there is not enough space left in your storage."),
        "write_failed": _(
            "the server could not write the file (its disk may be full). The part downloaded "
            "so far is kept: start it again later."
        ),
        "file_changed": _("the file changed on the station while it was downloaded."),
        "station_file_gone": _("the station no longer has this file."),
        "ftp_not_found": _("the station no longer has this file."),
        "ftp_login": _("the station refused the login."),
        "ftp_tls": _("the secure connection to the station failed."),
        "ftp_timeout": _("the station did not answer in time."),
        "ftp_unreachable": _("the station cannot be reached."),
        "ftp_busy": _("the station is busy (too many connections)."),
        "ftp_dropped": _("the station closed the connection."),
        "ftp_protocol": _("the station answered something unexpected."),
        "internal_error": _("something went wrong on our side; start it again."),
    }
    return reasons.get(download.error_code, download.error)


DOWNLOAD_ICONS = {
    DownloadStatus.QUEUED: "🕓",
    DownloadStatus.DOWNLOADING: "⬇️",
    DownloadStatus.PAUSED: "⏸",
    DownloadStatus.COMPLETED: "✅",
    DownloadStatus.FAILED: "❌",
    DownloadStatus.CANCELLED: "⏹",
}
RETRY_ICON = "🔁"


def _waiting_to_retry(download: DownloadView) -> bool:
    return download.status == DownloadStatus.QUEUED and bool(download.error_code or download.error)


def download_status(download: DownloadView) -> str:
    """The state of a download in a word or two, with its icon."""
    if _waiting_to_retry(download):
        return f"{RETRY_ICON} " + _("waiting to retry")
    labels = {
        DownloadStatus.QUEUED: _("queued"),
        DownloadStatus.DOWNLOADING: _("downloading"),
        DownloadStatus.PAUSED: _("paused"),
        DownloadStatus.COMPLETED: _("downloaded"),
        DownloadStatus.FAILED: _("failed"),
        DownloadStatus.CANCELLED: _("stopped"),
    }
    icon = DOWNLOAD_ICONS.get(download.status, "•")
    return f"{icon} {labels.get(download.status, escape(download.status))}"


def _duration(seconds: int) -> str:
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{hours} h {minutes} min").format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def _percent(value: float) -> str:
    return f"{value:g}%"


def _download_item(number: int, download: DownloadView) -> str:
    lines = [
        f"{number}. <b>{escape(_short(download.name))}</b> — "
        f"{escape(_short(download.station_name, 60))}",
        " · ".join(
            [
                download_status(download),
                _percent(download.percent),
                f"{_bytes(download.bytes_done)} / {_bytes(download.size)}",
            ]
        ),
    ]
    if download.status == DownloadStatus.DOWNLOADING:
        moving = [_("{speed}/s").format(speed=_bytes(download.speed))] if download.speed else []
        if download.eta is not None and download.speed:
            moving.append(_("{time} left").format(time=_duration(download.eta)))
        if download.restarted:
            moving.append(_("started over: the station cannot resume"))
        if moving:
            lines[-1] += " · " + " · ".join(moving)
    if download.status == DownloadStatus.FAILED or _waiting_to_retry(download):
        reason = download_error(download)
        lines.append("<i>" + escape(_short(reason[:1].upper() + reason[1:], 300)) + "</i>")
    return "\n".join(lines)


def download_list(page: DownloadPage) -> str:
    if page.total == 0:
        return _(
            "You have no downloads. Open /files and press ⬇ beside a file to download it from "
            "its station."
        )
    pages = max(1, -(-page.total // page.per_page))
    header = _("Your downloads: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=pages
    )
    start = (page.page - 1) * page.per_page
    items = [_download_item(n, d) for n, d in enumerate(page.items, start + 1)]
    return "\n\n".join([f"<b>{header}</b>", *items])


# Button answers: plain text, at most 200 characters.


def download_requested(download: DownloadView, *, created: bool) -> str:
    name = _short(download.name)
    if download.status == DownloadStatus.COMPLETED:
        if created:
            return _("Downloaded: {name}. It is in /myfiles.").format(name=name)
        return _("Already downloaded: {name}. It is in /myfiles.").format(name=name)
    if created:
        return _("Queued: {name}. Follow it in /downloads.").format(name=name)
    return _("Already in /downloads: {name} ({status}).").format(
        name=name, status=download_status(download)
    )


def download_paused(download: DownloadView) -> str:
    return _("Paused: {name}").format(name=_short(download.name))


def download_started(download: DownloadView) -> str:
    if download.status == DownloadStatus.COMPLETED:
        return _("Downloaded: {name}. It is in /myfiles.").format(name=_short(download.name))
    return _("Started: {name}").format(name=_short(download.name))


def download_stopped(download: DownloadView) -> str:
    return _("Stopped, and what it fetched is deleted: {name}").format(name=_short(download.name))


def download_removed(download: DownloadView) -> str:
    if download.file_id is not None:
        return _("Removed from the list, with its file: {name}").format(name=_short(download.name))
    return _("Removed from the list: {name}").format(name=_short(download.name))


# ---- stations: choosing them, their files ------------------------------------------------------


def station_choice(items: list[FollowedStation]) -> str:
    if not items:
        return _("There are no stations yet. An administrator has to add them first.")
    return (
        "<b>"
        + _("Stations")
        + "</b>\n"
        + _("Tick the stations whose files you want to see and hear about, then press Save.")
    )


def stations_followed(stations: list[StationView]) -> str:
    if not stations:
        return _("You follow no stations now, so you get no announcements. /stations to choose.")
    names = ", ".join(f"<b>{escape(s.name)}</b>" for s in stations)
    return _("You follow: {names}. Their files: /files").format(names=names)


def no_followed_stations() -> str:
    return _("You follow no stations yet. Choose them in /stations.")


def _short(name: str, limit: int = 100) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def station_files(page: StationFilePage, station_name: str | None, only_new: bool) -> str:
    scope = escape(station_name) if station_name else _("all you follow")
    filters = _("Station: {station}").format(station=scope)
    if only_new:
        filters += " · " + _("only new")
    if page.total == 0:
        return filters + "\n" + (_("No new files.") if only_new else _("No files yet."))
    header = _("Station files: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=page.pages
    )
    lines = [f"<b>{header}</b>", filters, ""]
    start = (page.page - 1) * page.per_page
    for number, file in enumerate(page.items, start + 1):
        mark = "🆕 " if file.new else ""
        lines.append(
            f"{number}. {mark}<code>{escape(_short(file.name))}</code> — "
            f"{escape(file.station_name)} — {_bytes(file.size)} — {_when(file.available_at)}"
        )
    return "\n".join(lines)


def pick_station_filter() -> str:
    return _("Show the files of which station?")


def marked_seen() -> str:
    return _("Marked as seen.")


# ---- stations: administration ------------------------------------------------------------------

HEALTH_ICONS = {"ok": "🟢", "failing": "🔴", "waiting": "🕓", "disabled": "⏸"}


def health_label(station: StationView) -> str:
    labels = {
        "ok": _("working"),
        "failing": _("failing"),
        "waiting": _("not polled yet"),
        "disabled": _("disabled"),
    }
    return f"{HEALTH_ICONS[station.health]} {labels[station.health]}"


def tls_label(mode: str) -> str:
    labels = {
        "none": _("no TLS (plain FTP)"),
        "explicit": _("explicit TLS (AUTH TLS)"),
        "implicit": _("implicit TLS (ftps://)"),
    }
    return labels.get(mode, escape(mode))


def encoding_label(encoding: str) -> str:
    return _("automatic") if encoding == "auto" else escape(encoding)


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _masks(masks: list[str]) -> str:
    return escape(", ".join(masks)) if masks else "—"


def station_list(stations: list[StationView], page: int, per_page: int) -> str:
    if not stations:
        return _("No stations yet. Add the first one with the button below.")
    pages = max(1, -(-len(stations) // per_page))
    header = _("Stations: {total} (page {page} of {pages})").format(
        total=len(stations), page=page, pages=pages
    )
    lines = [f"<b>{header}</b>"]
    for station in stations[(page - 1) * per_page : page * per_page]:
        line = (
            f"{HEALTH_ICONS[station.health]} <b>{escape(station.name)}</b> — {escape(station.url)}"
        )
        if station.health == "failing":
            line += "\n      <i>" + escape(_short(station.last_error, 200)) + "</i>"
        lines.append(line)
    return "\n".join(lines)


def _poll_line(poll: PollResult) -> str:
    when = poll.started_at.strftime("%m-%d %H:%M")
    if not poll.ok:
        return f"{when} — ❌ {escape(_short(poll.error, 200))}"
    return f"{when} — " + _("{seen} listed, {new} new, {gone} gone").format(
        seen=poll.files_seen, new=poll.new_files, gone=poll.gone_files
    )


def station_card(station: StationView, polls: list[PollResult], totals: tuple[int, int]) -> str:
    # The password is never shown: only whether there is one.
    rows = [
        f"<b>{escape(station.name)}</b> — {health_label(station)}",
        _("Address: {value}").format(value=f"<code>{escape(station.url)}</code>"),
        _("Login: {value}").format(value=escape(station.login)),
        _("Password: {value}").format(value=_("set") if station.has_password else _("none")),
        _("TLS: {value}").format(value=tls_label(station.tls)),
        _("Verify the certificate: {value}").format(value=_yes_no(station.verify_tls)),
        _("Root folder: {value}").format(value=escape(station.root)),
        _("Include masks: {value}").format(value=_masks(station.include_masks)),
        _("Exclude masks: {value}").format(value=_masks(station.exclude_masks)),
        _("Poll interval: {value} s").format(value=station.poll_interval),
        _("Connections at most: {value}").format(value=station.max_connections),
        _("Name encoding: {value}").format(value=encoding_label(station.encoding)),
        _("Files available: {count} ({size})").format(count=totals[0], size=_bytes(totals[1])),
        _("Last poll: {value}").format(value=_when(station.last_poll_at)),
        _("Last success: {value}").format(value=_when(station.last_success_at)),
    ]
    if station.last_error:
        rows.append(_("Last error: {value}").format(value=escape(_short(station.last_error, 300))))
    if polls:
        rows += ["", "<b>" + _("Recent polls") + "</b>", *(_poll_line(p) for p in polls)]
    return "\n".join(rows)


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
    detail = escape(_short(error.message, 300))
    return f"{label}\n<i>{detail}</i>" if label else detail


def poll_result(station: StationView, result: PollResult) -> str:
    if not result.ok:
        return _("Poll of {station} failed: {error}").format(
            station=f"<b>{escape(station.name)}</b>", error=escape(_short(result.error, 300))
        )
    return _("Poll of {station}: {seen} files listed, {new} new, {gone} gone.").format(
        station=f"<b>{escape(station.name)}</b>",
        seen=result.files_seen,
        new=result.new_files,
        gone=result.gone_files,
    )


def polling(station: StationView) -> str:
    """Plain text: a button's answer."""
    return _("Polling {station}…").format(station=station.name)


def connecting(host: str) -> str:
    return _("Connecting to {host}…").format(host=escape(host))


def connected(entries: int) -> str:
    return _("✅ Connected; entries in the root folder: {count}.").format(count=entries)


def station_test_result(station: StationView, entries: int | None, error: FtpError | None) -> str:
    name = f"<b>{escape(station.name)}</b>"
    if error is not None:
        return f"❌ {name}: " + ftp_failure(error)
    return f"{name}: " + connected(entries or 0)


def confirm_delete_station(station: StationView) -> str:
    return _(
        "Delete the station {name}? Its file list goes too, and its followers stop following it."
    ).format(name=f"<b>{escape(station.name)}</b>")


def station_deleted(name: str) -> str:
    """Plain text: a button's answer."""
    return _("{name} was deleted.").format(name=name)


def chosen_tls(mode: str) -> str:
    return _("TLS: {value}").format(value=tls_label(mode))


def ask_station_url() -> str:
    return _(
        "Adding a station. Send its address: ftp://host[:port][/folder], or ftps://… for "
        "implicit TLS. /cancel stops."
    )


def ask_station_login() -> str:
    return _("The login on the station? Send - for anonymous access.")


def ask_station_password() -> str:
    return _("The password? I delete your message right away.")


def ask_station_tls(suggested: str) -> str:
    return _("How to connect? The address suggests: {mode}.").format(mode=tls_label(suggested))


def ask_station_name(host: str) -> str:
    return _("Last step: send a name for the station, or use {host}.").format(
        host=f"<b>{escape(host)}</b>"
    )


def probe_failed(error: FtpError) -> str:
    return (
        "❌ "
        + _("Could not connect.")
        + " "
        + ftp_failure(error)
        + "\n\n"
        + _("Save the station anyway (it shows as failing until it answers), or cancel?")
    )


def station_added(station: StationView, entries: int | None) -> str:
    lines = [connected(entries)] if entries is not None else []
    lines.append(
        _("Station {name} is saved; it will be polled shortly.").format(
            name=f"<b>{escape(station.name)}</b>"
        )
    )
    return "\n".join(lines)


def station_field_label(field: StationField) -> str:
    labels = {
        StationField.NAME: _("Name"),
        StationField.URL: _("Address"),
        StationField.LOGIN: _("Login"),
        StationField.PASSWORD: _("Password"),
        StationField.TLS: _("TLS"),
        StationField.VERIFY_TLS: _("Verify the certificate"),
        StationField.ROOT: _("Root folder"),
        StationField.INCLUDE_MASKS: _("Include masks"),
        StationField.EXCLUDE_MASKS: _("Exclude masks"),
        StationField.POLL_INTERVAL: _("Poll interval"),
        StationField.MAX_CONNECTIONS: _("Connections"),
        StationField.ENCODING: _("Name encoding"),
    }
    return labels[field]


def station_edit_menu(station: StationView) -> str:
    return _("Editing {name}: choose what to change.").format(name=f"<b>{escape(station.name)}</b>")


def ask_station_value(field: StationField, station: StationView) -> str:
    if field is StationField.PASSWORD:
        ask = _("Send the new password, or - for none. I delete your message right away.")
        return ask + " " + _("/cancel keeps the old one.")
    asks = {
        StationField.NAME: (_("Send the new name."), escape(station.name)),
        StationField.URL: (
            _("Send the new address: ftp://host[:port][/folder] or ftps://…"),
            escape(station.url),
        ),
        StationField.LOGIN: (
            _("Send the new login, or - for anonymous access."),
            escape(station.login),
        ),
        StationField.ROOT: (_("Send the folder to list."), escape(station.root)),
        StationField.INCLUDE_MASKS: (
            _(
                "Send the masks of the files to list, separated by commas (for example "
                "*.hrpt, 2026/*), or - for all files."
            ),
            _masks(station.include_masks),
        ),
        StationField.EXCLUDE_MASKS: (
            _("Send the masks of the files to skip, separated by commas, or - for none."),
            _masks(station.exclude_masks),
        ),
        StationField.POLL_INTERVAL: (
            _("Send the poll interval in seconds, from {low} to 86400.").format(low=MIN_INTERVAL),
            str(station.poll_interval),
        ),
        StationField.MAX_CONNECTIONS: (
            _("Send how many connections the station allows at once, from 1 to 20."),
            str(station.max_connections),
        ),
    }
    ask, now = asks[field]
    return (
        ask
        + "\n"
        + _("Now: {value}").format(value=f"<code>{now}</code>")
        + "\n"
        + _("/cancel keeps the old one.")
    )


def ask_station_choice(field: StationField) -> str:
    if field is StationField.TLS:
        return _("Choose how to connect:")
    return _("Choose how the station encodes file names:")


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
