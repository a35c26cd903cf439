"""Reading what the bot sent: a message as the person sees it, the next message that says
something, a sign-in code in it."""

from __future__ import annotations

import html
import re

from tests.support.telegram_fake import BotMessage, FakeTelegram


def seen(text: str) -> str:
    """A message as the person reads it: tags gone, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def message_containing(
    telegram: FakeTelegram, chat_id: int, fragment: str, timeout: float = 15.0
) -> BotMessage:
    """The next message with `fragment`, passing over others (an admin's health alerts arrive
    through the delivery queue, in no fixed order with the bot's answers)."""
    while True:
        message = await telegram.expect_message(chat_id, timeout)
        if fragment in message.text:
            return message


def code_in(text: str) -> str:
    """The six-digit sign-in code in a message (in <code> or bare)."""
    match = re.search(r"<code>(\d{6})</code>|\b(\d{6})\b", text)
    assert match, text
    return match.group(1) or match.group(2)
