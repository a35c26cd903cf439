"""The bot side of `services.messaging.delivery.TelegramGateway`: Bot API calls, and their
errors mapped to what delivery should do next."""

from __future__ import annotations

from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import FSInputFile, InlineKeyboardMarkup, LinkPreviewOptions, Message

from services.messaging.delivery import (
    TEXT_CLAIM,
    Rejected,
    RetryAfter,
    Transient,
    Unreachable,
)

T = TypeVar("T")


async def _call(call: Awaitable[T]) -> T:
    try:
        return await call
    except TelegramRetryAfter as exc:
        raise RetryAfter(exc.retry_after) from None
    except TelegramForbiddenError as exc:
        raise Unreachable(exc.message) from None
    except (TelegramBadRequest, TelegramNotFound) as exc:
        raise Rejected(exc.message) from None
    except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
        raise Transient(str(exc)) from None
    except TelegramAPIError as exc:
        raise Transient(exc.message) from None


def _markup(data: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.model_validate(data) if data else None


class BotGateway:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(
        self,
        chat_id: int,
        html: str,
        *,
        reply_markup: dict[str, Any] | None,
        silent: bool,
        disable_link_preview: bool,
    ) -> int:
        sent: Message = await _call(
            self.bot.send_message(
                chat_id,
                html,
                reply_markup=_markup(reply_markup),
                disable_notification=silent,
                link_preview_options=LinkPreviewOptions(is_disabled=disable_link_preview),
                # Well within the delivery's claim on the message: a call still hanging when the
                # claim ran out would see the message queued again and sent twice.
                request_timeout=int(TEXT_CLAIM.total_seconds() / 2),
            )
        )
        return sent.message_id

    async def send_file(
        self, chat_id: int, *, kind: str, path: Path, name: str, caption_html: str, silent: bool
    ) -> int:
        file = FSInputFile(path, filename=name)
        caption = caption_html or None
        if kind == "photo":
            sent: Message = await _call(
                self.bot.send_photo(chat_id, file, caption=caption, disable_notification=silent)
            )
        else:
            sent = await _call(
                self.bot.send_document(chat_id, file, caption=caption, disable_notification=silent)
            )
        return sent.message_id

    async def edit_text(
        self, chat_id: int, message_id: int, html: str, *, reply_markup: dict[str, Any] | None
    ) -> None:
        await _call(
            self.bot.edit_message_text(
                html, chat_id=chat_id, message_id=message_id, reply_markup=_markup(reply_markup)
            )
        )

    async def delete(self, chat_id: int, message_id: int) -> None:
        await _call(self.bot.delete_message(chat_id, message_id))
