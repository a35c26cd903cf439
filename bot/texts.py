"""Texts the bot sends: pure functions from data to HTML, every outside string escaped.

Each function renders in the current i18n locale (the recipient's language).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from services.auth import TokenView
from services.errors import AppError, PayloadTooLarge, QuotaExceeded
from services.files import FilePage, FileView, MediaStats
from services.messaging import BotTokenView
from services.stations import StationView
from services.users import Usage, UserPage, UserView


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
        _("/myfiles — your stored files; send me a file to store it"),
        _("/stats — how your storage is used"),
        _("/help — this message"),
    ]
    if user is not None and user.is_admin:
        lines.insert(-1, _("/admin — users: activate, deactivate, administrators"))
    return "\n".join(lines)


def login_code(code: str, minutes: int) -> str:
    return _(
        "Your sign-in code: <code>{code}</code>\n"
        "It works once, for {minutes} minutes. Never share it: ftpgram staff will not ask for it."
    ).format(code=code, minutes=minutes)


def not_active() -> str:
    return _("Your account is not active yet. An administrator has to activate it first.")


def new_user_notice(user: UserView) -> str:
    contact = f" (@{escape(user.telegram_username)})" if user.telegram_username else ""
    if user.login:
        contact += " " + _("login {login}").format(login=escape(user.login))
    return _("New user: {name}{contact}. Activate the account?").format(
        name=_name(user), contact=contact
    )


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
    return _("Something went wrong on our side. Please try again in a minute.")


def error(exc: AppError) -> str:
    """A service error in plain words of the user's language."""
    known = {
        "rate_limited": _("Too many attempts. Please wait a little and try again."),
        "inactive_user": not_active(),
        "unknown_user": _("There is no such user."),
        "self_action": _("You cannot do that to your own account."),
        "last_admin": _("You are the last administrator; make someone else admin first."),
        "login_taken": _("This login is taken; choose another."),
        "already_active": _("This user is already active."),
        "unknown_token": _("There is no such token."),
        "unknown_file": _("There is no such file."),
    }
    if isinstance(exc, QuotaExceeded):
        return _("Not enough space: this needs {needed}, {free} are free.").format(
            needed=_bytes(exc.needed), free=_bytes(exc.free)
        )
    if isinstance(exc, PayloadTooLarge):
        return _("The file is too large (at most {maximum}).").format(maximum=_bytes(exc.maximum))
    if exc.code in known:
        return known[exc.code]
    if exc.code == "invalid_input" and getattr(exc, "fields", None):
        fields = exc.fields  # type: ignore[attr-defined]
        return "\n".join(f"{escape(k)}: {escape(v)}" for k, v in fields.items())
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
