"""Texts the bot sends: pure functions from data to HTML, every outside string escaped."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from services.users import UserView


def welcome(user: UserView, *, created: bool) -> str:
    name = escape(user.full_name or user.telegram_username or "")
    if user.is_admin:
        return _("Hello, {name}! You are an administrator of ftpgram.").format(name=name)
    if user.is_active:
        return _("Hello, {name}! Your account is active.").format(name=name)
    if created:
        return _(
            "Hello, {name}! You are registered. An administrator has to activate your account; "
            "I will tell you when that happens."
        ).format(name=name)
    return _("Hello, {name}! Your account is waiting for an administrator to activate it.").format(
        name=name
    )


def help_text() -> str:
    return _(
        "ftpgram brings files from satellite receiving stations to you.\n\n"
        "/start — register or see where you stand\n"
        "/help — this message"
    )


def unknown_input() -> str:
    return _("I did not understand that. Send /help to see what I can do.")


def not_registered() -> str:
    return _("You are not registered yet. Send /start first.")


def internal_error() -> str:
    return _("Something went wrong on our side. Please try again in a minute.")
