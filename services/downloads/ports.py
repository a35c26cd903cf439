"""What downloads need from outside: notices to the person who asked (the bot edge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from services.accounts.users import UserView

if TYPE_CHECKING:
    from services.downloads.views import DownloadView


class DownloadNotifier(Protocol):
    async def download_finished(self, user: UserView, download: DownloadView) -> None:
        """Tell `user` that a download from a station is in their files now."""

    async def download_failed(self, user: UserView, download: DownloadView) -> None:
        """Tell `user` that a download failed, and why (`download.error`)."""
