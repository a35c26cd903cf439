"""Every CallbackData of the bot, in one place: short prefixes, enum actions, ids only.

Telegram allows 64 bytes of callback data; `tests/bot/test_callbacks.py` packs each class with
its largest values and checks the size.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Bounds for the numbers in callback data: a forged button with a 40-digit id is no match (the
# fallback answers it) instead of an overflow in the database driver.
Id = Annotated[int, Field(ge=0, lt=2**63)]
Page = Annotated[int, Field(ge=0, lt=2**31)]


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
    user_id: Id = 0
    page: Page = 1


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
    token_id: Id = 0


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
    file_id: Id = 0
    page: Page = 1
    # Bulk deletion: a media type ("" for any) and an age in days (0 for any age).
    media: str = ""
    days: Page = 0


class BotTokenAction(StrEnum):
    LIST = "l"
    NEW = "n"
    CODE = "c"
    REVOKE = "r"


class BotTokenCallback(CallbackData, prefix="bt"):
    action: BotTokenAction
    token_id: Id = 0


class StationFilesAction(StrEnum):
    OPEN = "o"  # a new message with the list (the button of an announcement)
    LIST = "l"  # this message shows the list
    PICK = "p"  # this message shows the station filter's choices
    SEEN = "s"  # mark the listed station (or all followed) seen, then list


class StationFilesCallback(CallbackData, prefix="sf"):
    """A page of `/station_files`: station files, for one station (0: all followed) or only new
    ones."""

    station_id: Id = 0
    page: Page = 1
    new: bool = False
    action: StationFilesAction = StationFilesAction.OPEN


class StationChoiceAction(StrEnum):
    TOGGLE = "t"
    ALL = "a"
    NONE = "n"
    SAVE = "s"


class StationChoiceCallback(CallbackData, prefix="sc"):
    """`/stations`: the choice lives in the buttons themselves (`chosen` says whether a station is
    ticked now) until Save, so nothing is stored for a choice that is never saved."""

    action: StationChoiceAction
    station_id: Id = 0
    chosen: bool = False


class StationAdminAction(StrEnum):
    LIST = "l"
    OPEN = "o"
    ADD = "a"
    ENABLE = "e"
    DISABLE = "d"
    POLL = "p"
    TEST = "t"
    EDIT = "m"
    FIELD = "f"  # ask for a field's new value (text, or the choices of a choice field)
    SET = "v"  # set a choice field to `value`
    DELETE = "x"
    CONFIRM_DELETE = "X"


class StationField(StrEnum):
    NAME = "n"
    URL = "u"
    LOGIN = "l"
    PASSWORD = "p"
    TLS = "t"
    VERIFY_TLS = "c"
    ROOT = "r"
    INCLUDE_MASKS = "i"
    EXCLUDE_MASKS = "e"
    POLL_INTERVAL = "s"
    MAX_CONNECTIONS = "k"
    ENCODING = "E"
    LOCATION = "g"  # latitude, longitude, altitude, elevation mask
    PLATFORMS = "f"


class StationAdminCallback(CallbackData, prefix="sa"):
    action: StationAdminAction
    station_id: Id = 0
    page: Page = 1  # the page of the station list to go back to
    field: StationField | None = None
    value: str = ""  # a choice field's value: a TLS mode, a name encoding, "1" / "0"


class StationWizardAction(StrEnum):
    TLS = "t"
    DEFAULT_NAME = "n"
    SAVE_ANYWAY = "s"
    CANCEL = "c"


class StationWizardCallback(CallbackData, prefix="sw"):
    action: StationWizardAction
    tls: str = ""


class DownloadRequestCallback(CallbackData, prefix="dr"):
    """⬇ beside a file of `/station_files`: download that station file."""

    station_file_id: Id


class DownloadAction(StrEnum):
    LIST = "l"  # show a page of the list (also the refresh)
    PAUSE = "p"
    START = "s"
    DOWN = "d"  # stop, and delete what it fetched
    REMOVE = "r"  # delete a finished download from the list, with its file


class DownloadCallback(CallbackData, prefix="dl"):
    """`/downloads`: a page of the list, or an action on one download shown on that page."""

    action: DownloadAction
    download_id: Id = 0
    page: Page = 1


class PassAction(StrEnum):
    LIST = "l"  # this message shows a page of /passes
    FILES = "f"  # the pass's files
    DOWNLOAD = "d"  # download every file of the pass


class PassCallback(CallbackData, prefix="ps"):
    """`/passes` and the pass announcements: a page of the list, or one pass. `page` is the
    page of the list to go back to; 0 under an announcement, whose Files opens a message of its
    own. `shown`: this message shows the pass's files (refreshed after Download pass)."""

    action: PassAction
    pass_id: Id = 0
    page: Page = 1
    shown: bool = False


class AnnounceAction(StrEnum):
    STATIONS = "l"  # this message shows the followed stations to choose from
    STATION = "s"  # this message shows one station's choices
    PLATFORM = "p"  # tick or untick the platform at `index` of the station's choices
    INSTRUMENT = "i"  # the same for an instrument
    EVERYTHING = "a"  # untick all: every pass is announced


class AnnounceCallback(CallbackData, prefix="an"):
    """`/announce`: which passes of a station to announce. A platform or instrument is named by
    its place in the station's sorted choices (`keyboards.announce_choices`), ids only."""

    action: AnnounceAction
    station_id: Id = 0
    index: Id = 0


class PatternAction(StrEnum):
    STATION = "s"  # show a station's patterns and ask for a new one
    DELETE = "x"  # delete the station's pattern at `index`
    SAVE = "v"  # save the pattern just tried
    CANCEL = "c"  # drop it


class PatternCallback(CallbackData, prefix="pt"):
    """`/pattern`: the file name patterns of a station (administrators)."""

    action: PatternAction
    station_id: Id = 0
    index: Id = 0


ALL_CALLBACKS: tuple[type[CallbackData], ...] = (
    UserAdminCallback,
    AccountCallback,
    FileCallback,
    BotTokenCallback,
    StationFilesCallback,
    StationChoiceCallback,
    StationAdminCallback,
    StationWizardCallback,
    DownloadRequestCallback,
    DownloadCallback,
    PassCallback,
    AnnounceCallback,
    PatternCallback,
)
