"""Every callback of the bot fits Telegram's 64 bytes of callback data, packed with its largest
values, and comes back unchanged."""

from __future__ import annotations

import inspect
import itertools
import types
import typing
from enum import Enum
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot import callbacks
from bot.callbacks import ALL_CALLBACKS
from bot.files.keyboards import BULK_MEDIA
from services.ftp.client import NAME_ENCODINGS, TLS_MODES

# The largest id the database hands out (IntField: signed 32 bits); pages and days are smaller.
BIG_ID = 2**31 - 1
# The longest text each str field carries.
LONGEST_TEXT = {
    ("FileCallback", "media"): max(BULK_MEDIA, key=len),
    ("StationAdminCallback", "value"): max([*TLS_MODES, *NAME_ENCODINGS, "0", "1"], key=len),
    ("StationWizardCallback", "tls"): max(TLS_MODES, key=len),
}


def candidates(cls: type[CallbackData], name: str, annotation: Any) -> list[Any]:
    """The values worth packing for one field: every member of an enum, else the largest."""
    options = [a for a in typing.get_args(annotation) if a is not type(None)]
    optional = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None
    base = options[0] if optional and len(options) == 1 else annotation
    if inspect.isclass(base) and issubclass(base, Enum):
        return [*base, *([None] if optional else [])]
    if base is bool:
        return [True]
    if base is int:
        return [BIG_ID]
    if base is str:
        assert (cls.__name__, name) in LONGEST_TEXT, f"add the longest {cls.__name__}.{name}"
        return [LONGEST_TEXT[(cls.__name__, name)]]
    raise AssertionError(f"{cls.__name__}.{name}: no test values for {annotation!r}")


def test_callback_data_fits_telegrams_64_bytes() -> None:
    for cls in ALL_CALLBACKS:
        fields = cls.model_fields
        values = [candidates(cls, name, info.annotation) for name, info in fields.items()]
        for combination in itertools.product(*values):
            data = cls(**dict(zip(fields, combination, strict=True)))
            packed = data.pack()
            assert len(packed.encode()) <= 64, packed
            assert cls.unpack(packed) == data


def test_every_callback_class_is_listed_once_with_its_own_prefix() -> None:
    defined = {
        value
        for value in vars(callbacks).values()
        if inspect.isclass(value) and issubclass(value, CallbackData) and value is not CallbackData
    }
    assert defined == set(ALL_CALLBACKS)
    prefixes = [cls.__prefix__ for cls in ALL_CALLBACKS]
    assert len(prefixes) == len(set(prefixes))
