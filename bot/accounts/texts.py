"""Texts of accounts: /start and /help, the sign-in code, /account and its form, the user notices
for administrators and /admin, and /tokens (bot tokens for apps)."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common import texts as common
from services.accounts.auth import TokenView
from services.accounts.users import UserPage, UserView
from services.messaging.service import BotTokenView


def _name(user: UserView) -> str:
    return escape(user.display_name)


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
        _("/station_files — files on your stations"),
        _("/downloads — your downloads from the stations: progress, pause, start, stop"),
        _("/passes — satellite passes over your stations, downloaded whole in one press"),
        _("/next — the next passes over your stations"),
        _("/announce — which passes to announce to you"),
        _("/timezone — the time zone of the times shown"),
        _("/myfiles — your stored files; send me a file to store it"),
        _("/stats — how your storage is used"),
        _("/help — this message"),
    ]
    if user is not None and user.is_admin:
        lines.insert(-1, _("/admin — users: activate, deactivate, administrators"))
        lines.insert(-1, _("/stations_admin — stations: add, check, poll, edit"))
        lines.insert(-1, _("/pattern — file name patterns of a station"))
    return "\n".join(lines)


def nothing_to_cancel() -> str:
    return _("There is nothing to cancel.")


def login_code(code: str, minutes: int) -> str:
    return _(
        "Your sign-in code: <code>{code}</code>\n"
        "It works once, for {minutes} minutes. Never share it: ftpgram staff will not ask for it."
    ).format(code=code, minutes=minutes)


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
        _("Quota: {value}").format(value=common.size_label(quota)),
        _("Registered: {value}").format(value=common.when(user.created_at)),
        _("Last seen: {value}").format(value=common.when(user.last_seen_at)),
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
                label=label,
                created=common.when(token.created_at),
                used=common.when(token.last_used_at),
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


# ---- /tokens: bot tokens -------------------------------------------------------------------------


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
                created=common.when(token.created_at),
                used=common.when(token.last_used_at),
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
