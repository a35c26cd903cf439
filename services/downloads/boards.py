"""The live downloads message of each chat, claimed by one process at a time and edited at most
once per interval."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max

from services.core.models import (
    Download,
    DownloadBoard,
)
from services.downloads.views import ACTIVE, Board, utcnow


class DownloadBoardService:
    """Each chat's live downloads message (its "board"): which message it is, when it may be
    edited next, and what it shows. The bot edge renders and edits (bot/downloads/boards.py)."""

    async def set_board(self, user_id: int, message_id: int, page: int, digest: str) -> None:
        """Make `message_id` the chat's live downloads message (replacing an earlier one)."""
        now = utcnow()
        updated = await DownloadBoard.filter(user_id=user_id).update(
            message_id=message_id, page=page, digest=digest, updated_at=now, next_edit_at=now
        )
        if not updated:
            with contextlib.suppress(IntegrityError):
                await DownloadBoard.create(
                    user_id=user_id,
                    message_id=message_id,
                    page=page,
                    digest=digest,
                    updated_at=now,
                    next_edit_at=now,
                )

    async def boards_due(self, interval: float) -> list[Board]:
        """Claim the live messages due for a look, at most one claim per `interval` seconds,
        each claimed by one process only; boards of people with nothing moving are left."""
        now = utcnow()
        rows = await DownloadBoard.filter(next_edit_at__lte=now)
        if not rows:
            return []
        users = [r.user_id for r in rows]
        latest: dict[int, datetime] = {
            int(item["user_id"]): item["last"]
            for item in await Download.filter(user_id__in=users)
            .annotate(last=Max("updated_at"))
            .group_by("user_id")
            .values("user_id", "last")
        }
        moving = {d.user_id for d in await Download.filter(user_id__in=users, status__in=ACTIVE)}
        due: list[Board] = []
        for row in rows:
            last = latest.get(row.user_id)
            if row.user_id not in moving and (last is None or last <= row.updated_at):
                continue  # nothing moves, and the last change is shown already
            claimed = await DownloadBoard.filter(id=row.id, next_edit_at=row.next_edit_at).update(
                next_edit_at=now + timedelta(seconds=interval)
            )
            if claimed:
                due.append(
                    Board(row.id, row.user_id, int(row.message_id), row.page, row.digest, now)
                )
        return due

    async def board_shown(self, board_id: int, digest: str, *, as_of: datetime) -> None:
        """The board shows `digest`, rendered from the state at `as_of` (its claim time): a
        change after that time still counts as not shown."""
        await DownloadBoard.filter(id=board_id).update(digest=digest, updated_at=as_of)

    async def board_later(self, board_id: int, seconds: float) -> None:
        """Telegram asked to wait (`retry_after`): look at the board again after that."""
        await DownloadBoard.filter(id=board_id).update(
            next_edit_at=utcnow() + timedelta(seconds=seconds)
        )

    async def drop_board(self, board_id: int) -> None:
        await DownloadBoard.filter(id=board_id).delete()
