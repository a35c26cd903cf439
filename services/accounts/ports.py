"""What accounts need from outside: notices to people (the bot edge renders them in the
recipient's language) and the release of a deleted person's stored files (the storage
capability does it; accounts do not import storage)."""

from __future__ import annotations

from typing import Protocol

from services.accounts.users import UserView


class AccountNotifier(Protocol):
    async def send_login_code(
        self, user: UserView, code: str, minutes: int, purpose: str = "sign_in"
    ) -> None:
        """Tell `user` their one-time code (for signing in, or for a bot token)."""

    async def announce_new_user(self, admin: UserView, user: UserView) -> int | None:
        """Ask `admin` to activate or reject `user`; returns the message id to update later."""

    async def announce_waiting_users(self, admin: UserView, count: int) -> None:
        """Tell `admin` that `count` people are waiting for a decision (after a flood of
        registrations, instead of one message each)."""

    async def update_new_user_notice(
        self, admin: UserView, message_id: int, user: UserView, actor: UserView | None
    ) -> None:
        """Show on an earlier announcement what became of `user` and who decided."""

    async def account_changed(self, user: UserView) -> None:
        """Tell `user` their account was activated, deactivated or declined."""


class Belongings(Protocol):
    async def release_user_files(self, user_id: int) -> int:
        """Let go of every file `user_id` stores (content nobody else holds leaves the disk);
        returns how many were released."""
