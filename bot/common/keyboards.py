"""Inline keyboards every feature shares: pure functions from data to markup. The features' own
keyboards are in `bot/<feature>/keyboards.py`."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton


def buttons(*pairs: tuple[str, CallbackData]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=data.pack()) for text, data in pairs]
