"""The messaging gateway: bot tokens, and messages external apps send to a token's
owner through the bot.

A bot token opens exactly one thing: sending messages to its owner. It is stored as a SHA-256,
shown once, and rate limited per token (a token bucket plus a daily cap), so one noisy app cannot
get the whole bot flood-limited.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from services.accounts.codes import BOT_TOKEN, CodeService
from services.accounts.users import UserService, UserView
from services.core.errors import (
    AppError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
)
from services.core.models import BotToken, MessageKind, MessageOrigin, User
from services.messaging.delivery import DeliveryService, MessageView
from services.storage.blobs import BlobService
from services.storage.files import clean_name
from services.storage.store import IncomingFile, quota_error, size_error

TOKEN_PREFIX = "ftb_"
FORMATS = ("plain", "markdown", "html")
KINDS = tuple(MessageKind)
MAX_TEXT = 64 * 1024
MAX_DOCUMENT = 50 * 1000 * 1000
MAX_PHOTO = 10 * 1000 * 1000


@dataclass(frozen=True)
class RateLimit:
    per_second: float = 1.0
    burst: int = 10
    per_day: int = 1000


@dataclass(frozen=True)
class BotTokenView:
    id: int
    user_id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    messages_sent: int

    @classmethod
    def of(cls, row: BotToken) -> BotTokenView:
        return cls(
            row.id, row.user_id, row.label, row.created_at, row.last_used_at, row.messages_sent
        )


@dataclass(frozen=True)
class NewBotToken:
    token: str
    view: BotTokenView


def _attachment_too_large(size: int) -> AppError:
    error = size_error(MAX_DOCUMENT)(size)
    error.message = f"Telegram takes files of at most {MAX_DOCUMENT} bytes here."
    return error


def _hash(token: str) -> str:
    # Headers may carry any bytes: aiohttp hands undecodable ones over as lone surrogates.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class MessagingService:
    def __init__(
        self,
        *,
        delivery: DeliveryService,
        codes: CodeService,
        blobs: BlobService,
        users: UserService,
        limit: RateLimit,
    ) -> None:
        self._delivery = delivery
        self._codes = codes
        self._blobs = blobs
        self._users = users
        self.limit = limit

    # ---- tokens ------------------------------------------------------------------------

    async def create_token(self, user: UserView, label: str = "") -> NewBotToken:
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = await BotToken.create(
            user_id=user.id,
            label=label.strip()[:100],
            token_hash=_hash(token),
            created_at=datetime.now(UTC),
            bucket=float(self.limit.burst),
        )
        return NewBotToken(token, BotTokenView.of(row))

    async def create_token_with_code(
        self, user: UserView, code: str, label: str = ""
    ) -> NewBotToken:
        """Seed 004: a code from the bot confirms that the token is wanted."""
        await self._codes.verify_user(user.id, code, BOT_TOKEN)
        return await self.create_token(user, label or "web")

    async def request_code(self, user: UserView) -> None:
        await self._codes.request(user, BOT_TOKEN)

    async def tokens(self, user_id: int) -> list[BotTokenView]:
        rows = await BotToken.filter(user_id=user_id).order_by("-created_at", "-id")
        return [BotTokenView.of(r) for r in rows]

    async def revoke(self, user_id: int, token_id: int) -> None:
        if not await BotToken.filter(id=token_id, user_id=user_id).delete():
            raise NotFound("There is no such bot token.", code="unknown_bot_token")

    async def authenticate(self, token: str) -> BotTokenView:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise Unauthorized("The bot token is not valid.", code="invalid_bot_token")
        row = await BotToken.get_or_none(token_hash=_hash(token)).select_related("user")
        if row is None:
            raise Unauthorized("The bot token is not valid.", code="invalid_bot_token")
        if not row.user.is_active:
            raise Unauthorized("The token's owner is not active.", code="inactive_user")
        return BotTokenView.of(row)

    async def _take(self, token_id: int) -> None:
        """One message from this token's allowance, or RateLimited."""
        for _attempt in range(5):
            row = await BotToken.get(id=token_id)
            now = datetime.now(UTC)
            today = now.strftime("%Y-%m-%d")
            day_count = row.day_count if row.day == today else 0
            if day_count >= self.limit.per_day:
                midnight = (
                    datetime.combine(now.date(), datetime.min.time(), UTC).timestamp() + 86400
                )
                raise RateLimited(
                    "This token has sent its messages for today.",
                    retry_after=max(1, math.ceil(midnight - now.timestamp())),
                )
            elapsed = (now - row.bucket_at).total_seconds() if row.bucket_at else math.inf
            bucket = min(float(self.limit.burst), row.bucket + elapsed * self.limit.per_second)
            if bucket < 1:
                wait = (1 - bucket) / self.limit.per_second
                raise RateLimited(
                    "Too many messages; slow down.", retry_after=max(1, math.ceil(wait))
                )
            # Compare-and-set on the previous state, so concurrent requests (or processes) never
            # spend the same allowance twice.
            changed = await BotToken.filter(
                id=token_id, bucket_at=row.bucket_at, day_count=row.day_count
            ).update(
                bucket=bucket - 1,
                bucket_at=now,
                day=today,
                day_count=day_count + 1,
                last_used_at=now,
            )
            if changed:
                return
        raise RateLimited("Too many messages at once; slow down.", retry_after=1)

    # ---- sending -----------------------------------------------------------------------

    async def receive_attachment(
        self, token: BotTokenView, read: Callable[[int], Awaitable[bytes]]
    ) -> IncomingFile:
        """Stream an attachment in, stopping as soon as it passes the largest file Telegram
        takes or the space the token's owner has left (attachments kept with the history count
        against the owner's quota)."""
        owner = await self._users.get(token.user_id)
        free = await self._users.free(owner)
        incoming = self._blobs.store.incoming()
        if free >= MAX_DOCUMENT:
            incoming.limit, incoming.on_limit = MAX_DOCUMENT, _attachment_too_large
        else:
            incoming.limit, incoming.on_limit = free, quota_error(free)
        try:
            await incoming.copy_from(read)
        except BaseException:
            await incoming.discard()
            raise
        return incoming

    async def send(
        self,
        token: BotTokenView,
        *,
        text: str,
        fmt: str = "plain",
        title: str = "",
        silent: bool = False,
        disable_link_preview: bool = False,
        kind: str = MessageKind.TEXT,
        attachment: tuple[IncomingFile, str] | None = None,
    ) -> MessageView:
        """Queue a message from an app to the token's owner."""
        if fmt not in FORMATS:
            raise InvalidInput("Unknown format.", fields={"format": " | ".join(FORMATS)})
        if kind not in KINDS:
            raise InvalidInput("Unknown message type.", fields={"type": " | ".join(KINDS)})
        if kind == MessageKind.TEXT and not text.strip():
            raise InvalidInput("The message is empty.", fields={"text": "must not be empty"})
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                f"The text is longer than {MAX_TEXT} characters.", fields={"text": "too long"}
            )
        owner = await User.get(id=token.user_id)
        if owner.unreachable_at is not None:
            raise Conflict(
                "The person has blocked the bot; messages cannot reach them.",
                code="user_unreachable",
            )
        if owner.telegram_id is None:
            raise Conflict("The token's owner has no Telegram account.", code="no_telegram")
        await self._take(token.id)

        async def queue(stored: tuple[str, str, int] | None = None) -> MessageView:
            return await self._delivery.enqueue(
                owner.id,
                text,
                fmt=fmt,
                title=title,
                silent=silent,
                disable_link_preview=disable_link_preview,
                bot_token_id=token.id,
                kind=kind,
                attachment=stored,
                origin=MessageOrigin.APP,
            )

        if attachment is None:
            return await queue()
        incoming, name = attachment
        name = clean_name(name)
        limit = MAX_PHOTO if kind == MessageKind.PHOTO else MAX_DOCUMENT
        if incoming.size > limit:
            raise size_error(limit)(incoming.size)
        sha256 = await incoming.finish()
        # Checked and kept in one step per person: parallel sends cannot overrun the quota.
        async with self._users.space_lock(owner.id):
            free = await self._users.free(UserView.of(owner))
            if incoming.size > free:
                raise quota_error(free)(incoming.size)
            await self._blobs.retain_content(sha256, incoming)
            return await queue((sha256, name, incoming.size))

    # ---- history and edits -------------------------------------------------------------

    async def _own(self, user: UserView, message_id: int) -> MessageView:
        message = await self._delivery.get(message_id)
        # ftpgram's own notices (codes among them) are not the user's history to edit.
        if message.user_id != user.id or message.origin != MessageOrigin.APP:
            raise NotFound("There is no such message.", code="unknown_message")
        return message

    async def history(
        self, user: UserView, *, page: int = 1, per_page: int = 50
    ) -> tuple[list[MessageView], int]:
        return await self._delivery.history(user.id, page=page, per_page=per_page)

    async def edit(
        self, user: UserView, message_id: int, text: str, fmt: str | None
    ) -> MessageView:
        await self._own(user, message_id)
        if fmt is not None and fmt not in FORMATS:
            raise InvalidInput("Unknown format.", fields={"format": " | ".join(FORMATS)})
        return await self._delivery.edit(message_id, text, fmt=fmt)

    async def delete(self, user: UserView, message_id: int) -> None:
        await self._own(user, message_id)
        await self._delivery.delete(message_id)
