"""Ports: what services need from the outside, as small Protocols the edges implement.

The bot edge implements `Notifier` (rendering each notice in the recipient's language); tests may
use any object with these methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.users import UserView

if TYPE_CHECKING:
    from services.downloads import DownloadView
    from services.stations import StationView


class Notifier(Protocol):
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

    async def announce_station_files(
        self, user: UserView, station: StationView, *, count: int, total_size: int, names: list[str]
    ) -> None:
        """Tell a follower that `count` files became available on `station` (first `names`)."""

    async def station_health_changed(self, admin: UserView, station: StationView) -> None:
        """Tell `admin` that `station` started failing (`station.failing`) or recovered."""

    async def download_finished(self, user: UserView, download: DownloadView) -> None:
        """Tell `user` that a download from a station is in their files now."""

    async def download_failed(self, user: UserView, download: DownloadView) -> None:
        """Tell `user` that a download failed, and why (`download.error`)."""
