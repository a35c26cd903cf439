"""Inline keyboards: pure functions from data to markup."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    NOTICE_PAGE,
    AccountAction,
    AccountCallback,
    BotTokenAction,
    BotTokenCallback,
    DownloadAction,
    DownloadCallback,
    DownloadRequestCallback,
    FileAction,
    FileCallback,
    StationAdminAction,
    StationAdminCallback,
    StationChoiceAction,
    StationChoiceCallback,
    StationField,
    StationFilesAction,
    StationFilesCallback,
    StationWizardAction,
    StationWizardCallback,
    UserAdminAction,
    UserAdminCallback,
)
from bot.texts import (
    HEALTH_ICONS,
    encoding_label,
    media_label,
    station_field_label,
    tls_label,
)
from services.accounts.auth import TokenView
from services.accounts.users import UserPage, UserView
from services.downloads.views import ACTIVE, FINISHED, HOLDING, STARTABLE, DownloadPage
from services.ftp.client import NAME_ENCODINGS, TLS_MODES
from services.messaging.service import BotTokenView
from services.stations.views import FollowedStation, StationFilePage, StationView
from services.storage.files import FilePage, FileView


def _button(text: str, data: UserAdminCallback | AccountCallback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _admin(action: UserAdminAction, user_id: int = 0, page: int = 1) -> UserAdminCallback:
    return UserAdminCallback(action=action, user_id=user_id, page=page)


def new_user_decision(user: UserView) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(
                    "✅ " + _("Activate"), _admin(UserAdminAction.ACTIVATE, user.id, NOTICE_PAGE)
                ),
                _button("❌ " + _("Reject"), _admin(UserAdminAction.REJECT, user.id, NOTICE_PAGE)),
            ]
        ]
    )


def user_list(page: UserPage) -> InlineKeyboardMarkup:
    rows = []
    for user in page.items:
        mark = "🟢" if user.is_active else ("⛔" if user.rejected else "🕓")
        rows.append(
            [
                _button(
                    f"{mark} {user.display_name}"[:60],
                    _admin(UserAdminAction.OPEN, user.id, page.page),
                )
            ]
        )
    navigation = []
    if page.page > 1:
        navigation.append(_button("◀", _admin(UserAdminAction.LIST, page=page.page - 1)))
    if page.page < page.pages:
        navigation.append(_button("▶", _admin(UserAdminAction.LIST, page=page.page + 1)))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def user_card(user: UserView, page: int) -> InlineKeyboardMarkup:
    rows = []
    if user.is_active:
        rows.append([_button(_("Deactivate"), _admin(UserAdminAction.DEACTIVATE, user.id, page))])
        if user.is_admin:
            rows.append(
                [
                    _button(
                        _("Remove admin rights"),
                        _admin(UserAdminAction.UNMAKE_ADMIN, user.id, page),
                    )
                ]
            )
        else:
            rows.append(
                [_button(_("Make admin"), _admin(UserAdminAction.MAKE_ADMIN, user.id, page))]
            )
    else:
        row = [_button("✅ " + _("Activate"), _admin(UserAdminAction.ACTIVATE, user.id, page))]
        if not user.rejected:
            row.append(_button("❌ " + _("Reject"), _admin(UserAdminAction.REJECT, user.id, page)))
        rows.append(row)
    rows.append([_button("🗑 " + _("Delete"), _admin(UserAdminAction.DELETE, user.id, page))])
    rows.append([_button("« " + _("Back to the list"), _admin(UserAdminAction.LIST, page=page))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_user_delete(user: UserView, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Yes, delete"), _admin(UserAdminAction.CONFIRM_DELETE, user.id, page)),
                _button(_("No"), _admin(UserAdminAction.OPEN, user.id, page)),
            ]
        ]
    )


def _account(action: AccountAction, token_id: int = 0) -> AccountCallback:
    return AccountCallback(action=action, token_id=token_id)


def account() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button("🔑 " + _("API tokens"), _account(AccountAction.TOKENS))],
            [_button(_("Set login and password"), _account(AccountAction.CREDENTIALS))],
            [_button("🗑 " + _("Delete my account"), _account(AccountAction.DELETE))],
        ]
    )


def tokens(items: list[TokenView]) -> InlineKeyboardMarkup:
    rows = [
        [
            _button(
                "✖ " + (token.label or _("(no label)"))[:40] + f" #{token.id}",
                _account(AccountAction.REVOKE, token.id),
            )
        ]
        for token in items
    ]
    if items:
        rows.append([_button(_("Revoke all"), _account(AccountAction.REVOKE_ALL))])
    rows.append([_button("« " + _("Back"), _account(AccountAction.SHOW))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_account(action: AccountAction) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Yes"), _account(action)),
                _button(_("No"), _account(AccountAction.SHOW)),
            ]
        ]
    )


def _file(
    action: FileAction, file_id: int = 0, page: int = 1, media: str = "", days: int = 0
) -> FileCallback:
    return FileCallback(action=action, file_id=file_id, page=page, media=media, days=days)


def file_list(page: FilePage) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=f"{file.name}"[:60],
                callback_data=_file(FileAction.OPEN, file.id, page.page).pack(),
            )
        ]
        for file in page.items
    ]
    pages = max(1, -(-page.total // page.per_page))
    navigation = []
    if page.page > 1:
        navigation.append(
            InlineKeyboardButton(
                text="◀", callback_data=_file(FileAction.LIST, page=page.page - 1).pack()
            )
        )
    if page.page < pages:
        navigation.append(
            InlineKeyboardButton(
                text="▶", callback_data=_file(FileAction.LIST, page=page.page + 1).pack()
            )
        )
    if navigation:
        rows.append(navigation)
    if page.total:
        rows.append(
            [
                InlineKeyboardButton(
                    text="🧹 " + _("Delete many"), callback_data=_file(FileAction.BULK).pack()
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def file_card(file: FileView, page: int, *, has_link: bool) -> InlineKeyboardMarkup:
    def button(text: str, action: FileAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=_file(action, file.id, page).pack())

    link_row = (
        [
            button("🔄 " + _("New link"), FileAction.NEW_LINK),
            button("⛔ " + _("Revoke link"), FileAction.REVOKE_LINK),
        ]
        if has_link
        else [button("🔗 " + _("Share link"), FileAction.LINK)]
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button("📤 " + _("Send here"), FileAction.SEND)],
            link_row,
            [
                button("✏️ " + _("Rename"), FileAction.RENAME),
                button("💬 " + _("Comment"), FileAction.COMMENT),
            ],
            [button("🗑 " + _("Delete"), FileAction.DELETE)],
            [
                InlineKeyboardButton(
                    text="« " + _("Back to the list"),
                    callback_data=_file(FileAction.LIST, page=page).pack(),
                )
            ],
        ]
    )


def confirm_file_delete(file: FileView, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=_("Yes, delete"),
                    callback_data=_file(FileAction.CONFIRM_DELETE, file.id, page).pack(),
                ),
                InlineKeyboardButton(
                    text=_("No"), callback_data=_file(FileAction.OPEN, file.id, page).pack()
                ),
            ]
        ]
    )


BULK_MEDIA = ("image", "video", "audio", "document", "archive", "other")
BULK_AGES = (7, 30, 90)


def bulk_menu() -> InlineKeyboardMarkup:
    media_rows = [
        [
            InlineKeyboardButton(
                text=media_label(media),
                callback_data=_file(FileAction.BULK_ASK, media=media).pack(),
            )
            for media in BULK_MEDIA[i : i + 3]
        ]
        for i in range(0, len(BULK_MEDIA), 3)
    ]
    age_row = [
        InlineKeyboardButton(
            text=_("Older than {days} days").format(days=days),
            callback_data=_file(FileAction.BULK_ASK, days=days).pack(),
        )
        for days in BULK_AGES
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            *media_rows,
            age_row,
            [
                InlineKeyboardButton(
                    text="« " + _("Back to the list"), callback_data=_file(FileAction.LIST).pack()
                )
            ],
        ]
    )


def bulk_confirm(media: str, days: int, count: int) -> InlineKeyboardMarkup:
    rows = []
    if count:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("Yes, delete"),
                    callback_data=_file(FileAction.BULK_CONFIRM, media=media, days=days).pack(),
                )
            ]
        )
    rows.append([InlineKeyboardButton(text=_("No"), callback_data=_file(FileAction.BULK).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def bot_tokens(items: list[BotTokenView]) -> InlineKeyboardMarkup:
    def data(action: BotTokenAction, token_id: int = 0) -> str:
        return BotTokenCallback(action=action, token_id=token_id).pack()

    rows = [
        [
            InlineKeyboardButton(
                text="✖ " + (token.label or _("(no label)"))[:40] + f" #{token.id}",
                callback_data=data(BotTokenAction.REVOKE, token.id),
            )
        ]
        for token in items
    ]
    rows.append(
        [
            InlineKeyboardButton(
                text="➕ " + _("New token"), callback_data=data(BotTokenAction.NEW)
            ),
            InlineKeyboardButton(
                text="🔢 " + _("Code for the web"), callback_data=data(BotTokenAction.CODE)
            ),
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def station_announcement(station_id: int) -> InlineKeyboardMarkup:
    data = StationFilesCallback(station_id=station_id, new=True, action=StationFilesAction.OPEN)
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Show all"), callback_data=data.pack())]]
    )


def _buttons(*pairs: tuple[str, CallbackData]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=data.pack()) for text, data in pairs]


def _label(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- /stations -------------------------------------------------------------------------------


def station_choice(items: list[FollowedStation], chosen: set[int]) -> InlineKeyboardMarkup | None:
    """A tick per station; `chosen` is the choice so far, kept in these buttons until Save."""
    if not items:
        return None

    def choice(action: StationChoiceAction, station_id: int = 0) -> StationChoiceCallback:
        return StationChoiceCallback(
            action=action, station_id=station_id, chosen=station_id in chosen
        )

    rows = [
        _buttons(
            (
                ("✅ " if item.station.id in chosen else "▫️ ") + item.station.name[:50],
                choice(StationChoiceAction.TOGGLE, item.station.id),
            )
        )
        for item in items
    ]
    rows.append(
        _buttons(
            (_("All"), choice(StationChoiceAction.ALL)),
            (_("None"), choice(StationChoiceAction.NONE)),
        )
    )
    rows.append(_buttons(("💾 " + _("Save"), choice(StationChoiceAction.SAVE))))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def chosen_stations(markup: InlineKeyboardMarkup | None) -> set[int]:
    """The choice a `station_choice` keyboard shows (read back from its buttons)."""
    chosen = set()
    for row in markup.inline_keyboard if markup else []:
        for button in row:
            data = button.callback_data or ""
            if not data.startswith(StationChoiceCallback.__prefix__ + ":"):
                continue
            choice = StationChoiceCallback.unpack(data)
            if choice.action is StationChoiceAction.TOGGLE and choice.chosen:
                chosen.add(choice.station_id)
    return chosen


# ---- /files (station files) ------------------------------------------------------------------


def station_files(page: StationFilePage, station_id: int, only_new: bool) -> InlineKeyboardMarkup:
    def files(
        action: StationFilesAction, *, page_number: int = 1, new: bool = only_new, station: int = -1
    ) -> StationFilesCallback:
        return StationFilesCallback(
            station_id=station_id if station < 0 else station,
            page=page_number,
            new=new,
            action=action,
        )

    start = (page.page - 1) * page.per_page
    rows = [
        _buttons(
            (
                _label(f"⬇ {number}. {file.name}"),
                DownloadRequestCallback(station_file_id=file.id),
            )
        )
        for number, file in enumerate(page.items, start + 1)
    ]
    navigation = []
    if page.page > 1:
        navigation.append(("◀", files(StationFilesAction.LIST, page_number=page.page - 1)))
    if page.page < page.pages:
        navigation.append(("▶", files(StationFilesAction.LIST, page_number=page.page + 1)))
    if navigation:
        rows.append(_buttons(*navigation))
    new_label = ("✅ " if only_new else "🆕 ") + _("only new")
    rows.append(
        _buttons(
            ("📡 " + _("Station") + " ▾", files(StationFilesAction.PICK)),
            (new_label, files(StationFilesAction.LIST, new=not only_new)),
        )
    )
    rows.append(_buttons(("✓ " + _("Mark all seen"), files(StationFilesAction.SEEN))))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def station_filter(
    stations: list[StationView], current: int, only_new: bool
) -> InlineKeyboardMarkup:
    def shown(station_id: int) -> StationFilesCallback:
        return StationFilesCallback(
            station_id=station_id, new=only_new, action=StationFilesAction.LIST
        )

    def mark(station_id: int) -> str:
        return "✅ " if station_id == current else ""

    rows = [_buttons((mark(0) + _("All stations"), shown(0)))]
    rows += [_buttons((mark(s.id) + s.name[:50], shown(s.id))) for s in stations]
    return InlineKeyboardMarkup(inline_keyboard=rows)


# ---- /downloads --------------------------------------------------------------------------------


def downloads(page: DownloadPage) -> InlineKeyboardMarkup:
    """Per download, the actions its state allows (numbered as in the text); then the pages and
    a refresh."""

    def data(action: DownloadAction, download_id: int = 0, number: int = 0) -> DownloadCallback:
        return DownloadCallback(action=action, download_id=download_id, page=number or page.page)

    rows = []
    start = (page.page - 1) * page.per_page
    for number, item in enumerate(page.items, start + 1):
        actions = []
        if item.status in ACTIVE:
            actions.append((f"⏸ {number}", data(DownloadAction.PAUSE, item.id)))
        if item.status in STARTABLE:
            actions.append((f"▶ {number}", data(DownloadAction.START, item.id)))
        if item.status in HOLDING:
            actions.append((f"⏹ {number}", data(DownloadAction.DOWN, item.id)))
        if item.status in FINISHED:
            actions.append((f"🗑 {number}", data(DownloadAction.REMOVE, item.id)))
        if actions:
            rows.append(_buttons(*actions))
    pages = max(1, -(-page.total // page.per_page))
    navigation = []
    if page.page > 1:
        navigation.append(("◀", data(DownloadAction.LIST, number=page.page - 1)))
    navigation.append(("🔄 " + _("Refresh"), data(DownloadAction.LIST)))
    if page.page < pages:
        navigation.append(("▶", data(DownloadAction.LIST, number=page.page + 1)))
    rows.append(_buttons(*navigation))
    return InlineKeyboardMarkup(inline_keyboard=rows)


# ---- /stations_admin -------------------------------------------------------------------------

STATIONS_PER_PAGE = 10


def _station(
    action: StationAdminAction,
    station_id: int = 0,
    page: int = 1,
    field: StationField | None = None,
    value: str = "",
) -> StationAdminCallback:
    return StationAdminCallback(
        action=action, station_id=station_id, page=page, field=field, value=value
    )


def station_list(stations: list[StationView], page: int) -> InlineKeyboardMarkup:
    per_page = STATIONS_PER_PAGE
    rows = [
        _buttons(
            (
                f"{HEALTH_ICONS[s.health]} {s.name}"[:60],
                _station(StationAdminAction.OPEN, s.id, page),
            )
        )
        for s in stations[(page - 1) * per_page : page * per_page]
    ]
    navigation = []
    if page > 1:
        navigation.append(("◀", _station(StationAdminAction.LIST, page=page - 1)))
    if page * per_page < len(stations):
        navigation.append(("▶", _station(StationAdminAction.LIST, page=page + 1)))
    if navigation:
        rows.append(_buttons(*navigation))
    rows.append(_buttons(("➕ " + _("Add a station"), _station(StationAdminAction.ADD))))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def station_card(station: StationView, page: int = 1) -> InlineKeyboardMarkup:
    def button(text: str, action: StationAdminAction) -> tuple[str, CallbackData]:
        return text, _station(action, station.id, page)

    switch = (
        button("⏸ " + _("Disable"), StationAdminAction.DISABLE)
        if station.enabled
        else button("▶️ " + _("Enable"), StationAdminAction.ENABLE)
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(switch),
            _buttons(
                button("🔄 " + _("Poll now"), StationAdminAction.POLL),
                button("🔌 " + _("Test"), StationAdminAction.TEST),
            ),
            _buttons(
                button("✏️ " + _("Edit"), StationAdminAction.EDIT),
                button("🗑 " + _("Delete"), StationAdminAction.DELETE),
            ),
            _buttons(button("« " + _("Back to the list"), StationAdminAction.LIST)),
        ]
    )


def station_opened(station: StationView) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(("📡 " + _("Open the station"), _station(StationAdminAction.OPEN, station.id)))
        ]
    )


def station_edit_menu(station: StationView, page: int = 1) -> InlineKeyboardMarkup:
    def field(name: StationField, extra: str = "") -> tuple[str, CallbackData]:
        label = station_field_label(name) + (f": {extra}" if extra else "")
        return label[:60], _station(StationAdminAction.FIELD, station.id, page, name)

    verify = (
        station_field_label(StationField.VERIFY_TLS)
        + ": "
        + (_("yes") if station.verify_tls else _("no")),
        _station(
            StationAdminAction.SET,
            station.id,
            page,
            StationField.VERIFY_TLS,
            "0" if station.verify_tls else "1",
        ),
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(field(StationField.NAME), field(StationField.URL)),
            _buttons(field(StationField.LOGIN), field(StationField.PASSWORD)),
            _buttons(field(StationField.TLS, station.tls), verify),
            _buttons(field(StationField.ROOT), field(StationField.POLL_INTERVAL)),
            _buttons(field(StationField.INCLUDE_MASKS), field(StationField.EXCLUDE_MASKS)),
            _buttons(
                field(StationField.MAX_CONNECTIONS),
                field(StationField.ENCODING, encoding_label(station.encoding)),
            ),
            _buttons(("« " + _("Back"), _station(StationAdminAction.OPEN, station.id, page))),
        ]
    )


def station_field_choices(
    station: StationView, field: StationField, page: int = 1
) -> InlineKeyboardMarkup:
    options: list[tuple[str, str, bool]]
    if field is StationField.TLS:
        options = [(mode, tls_label(mode), mode == station.tls) for mode in TLS_MODES]
    else:
        options = [
            (value, encoding_label(value), value == station.encoding) for value in NAME_ENCODINGS
        ]
    rows = [
        _buttons(
            (
                ("✅ " if current else "") + label,
                _station(StationAdminAction.SET, station.id, page, field, value),
            )
        )
        for value, label, current in options
    ]
    rows.append(_buttons(("« " + _("Back"), _station(StationAdminAction.EDIT, station.id, page))))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_station_delete(station: StationView, page: int = 1) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(
                (_("Yes, delete"), _station(StationAdminAction.CONFIRM_DELETE, station.id, page)),
                (_("No"), _station(StationAdminAction.OPEN, station.id, page)),
            )
        ]
    )


# ---- the add-station wizard --------------------------------------------------------------------


def station_tls_choice(suggested: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(
                (
                    ("✅ " if mode == suggested else "") + tls_label(mode),
                    StationWizardCallback(action=StationWizardAction.TLS, tls=mode),
                )
            )
            for mode in TLS_MODES
        ]
    )


def station_default_name(host: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(
                (
                    _("Use {host}").format(host=host)[:60],
                    StationWizardCallback(action=StationWizardAction.DEFAULT_NAME),
                )
            )
        ]
    )


def station_probe_failed() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            _buttons(
                (
                    "💾 " + _("Save anyway"),
                    StationWizardCallback(action=StationWizardAction.SAVE_ANYWAY),
                ),
                ("✖ " + _("Cancel"), StationWizardCallback(action=StationWizardAction.CANCEL)),
            )
        ]
    )
