"""Every CallbackData of the bot, in one place: short prefixes, enum actions, ids only.

Telegram allows 64 bytes of callback data; `tests/test_callbacks.py` packs each class with its
largest values and checks the size.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class UserAdminAction(StrEnum):
    LIST = "l"
    OPEN = "o"
    ACTIVATE = "a"
    REJECT = "r"
    DEACTIVATE = "d"
    MAKE_ADMIN = "m"
    UNMAKE_ADMIN = "u"
    DELETE = "x"
    CONFIRM_DELETE = "X"


# The page of buttons on a new-user notice (not a page of the user list).
NOTICE_PAGE = 0


class UserAdminCallback(CallbackData, prefix="ua"):
    action: UserAdminAction
    user_id: int = 0
    page: int = 1


class AccountAction(StrEnum):
    SHOW = "s"
    TOKENS = "t"
    REVOKE = "r"
    REVOKE_ALL = "a"
    CONFIRM_REVOKE_ALL = "A"
    CREDENTIALS = "c"
    DELETE = "x"
    CONFIRM_DELETE = "X"


class AccountCallback(CallbackData, prefix="ac"):
    action: AccountAction
    token_id: int = 0


class FileAction(StrEnum):
    LIST = "l"
    OPEN = "o"
    SEND = "s"
    LINK = "k"
    NEW_LINK = "n"
    REVOKE_LINK = "r"
    RENAME = "m"
    COMMENT = "c"
    DELETE = "x"
    CONFIRM_DELETE = "X"
    BULK = "b"
    BULK_ASK = "q"
    BULK_CONFIRM = "B"


class FileCallback(CallbackData, prefix="f"):
    action: FileAction
    file_id: int = 0
    page: int = 1
    # Bulk deletion: a media type ("" for any) and an age in days (0 for any age).
    media: str = ""
    days: int = 0


class BotTokenAction(StrEnum):
    LIST = "l"
    NEW = "n"
    CODE = "c"
    REVOKE = "r"


class BotTokenCallback(CallbackData, prefix="bt"):
    action: BotTokenAction
    token_id: int = 0


class StationFilesCallback(CallbackData, prefix="sf"):
    """A page of `/files`: station files, for one station (0: all followed) or only new ones."""

    station_id: int = 0
    page: int = 1
    new: bool = False


ALL_CALLBACKS: tuple[type[CallbackData], ...] = (
    UserAdminCallback,
    AccountCallback,
    FileCallback,
    BotTokenCallback,
    StationFilesCallback,
)
