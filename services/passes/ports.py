"""What passes need from outside: notices to followers and admins (the bot edge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.accounts.users import UserView

if TYPE_CHECKING:
    from services.passes.views import PassView, ScheduledPass


class PassNotifier(Protocol):
    async def announce_passes(self, user: UserView, passes: list[PassView]) -> None:
        """Tell a follower that these passes over one station they follow are complete (one
        message; usually one pass, several after a quiet spell or a backlog)."""

    async def pass_missed(
        self, admin: UserView, station_name: str, missed: list[ScheduledPass]
    ) -> None:
        """Tell `admin` that predicted passes brought no files to the station."""
