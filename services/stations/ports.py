"""What stations need from outside: notices to followers and admins (the bot edge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.accounts.users import UserView

if TYPE_CHECKING:
    from services.stations.views import StationView


class StationNotifier(Protocol):
    async def announce_station_files(
        self, user: UserView, station: StationView, *, count: int, total_size: int, names: list[str]
    ) -> None:
        """Tell a follower that `count` files became available on `station` (first `names`)."""

    async def station_health_changed(self, admin: UserView, station: StationView) -> None:
        """Tell `admin` that `station` started failing (`station.failing`) or recovered."""
