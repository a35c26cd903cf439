"""What passes need from outside: notices to followers and admins (the bot edge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.accounts.users import UserView

if TYPE_CHECKING:
    from services.passes.views import PassView, ScheduledPass


class PassNotifier(Protocol):
    async def announce_pass(self, user: UserView, passage: PassView) -> None:
        """Tell a follower that a pass over a station they follow is complete."""

    async def pass_missed(self, admin: UserView, station_name: str, missed: ScheduledPass) -> None:
        """Tell `admin` that a predicted pass brought no files to the station."""
