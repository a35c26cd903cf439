"""Inline keyboards of stations: /stations, /station_files and the announcements,
/stations_admin and the add-station wizard."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    DownloadRequestCallback,
    StationAdminAction,
    StationAdminCallback,
    StationChoiceAction,
    StationChoiceCallback,
    StationField,
    StationFilesAction,
    StationFilesCallback,
    StationWizardAction,
    StationWizardCallback,
)
from bot.common.keyboards import buttons
from bot.stations.texts import HEALTH_ICONS, encoding_label, station_field_label, tls_label
from services.ftp.client import NAME_ENCODINGS, TLS_MODES
from services.stations.views import FollowedStation, StationFilePage, StationView


def _label(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- /stations -----------------------------------------------------------------------------------


def station_choice(items: list[FollowedStation], chosen: set[int]) -> InlineKeyboardMarkup | None:
    """A tick per station; `chosen` is the choice so far, kept in these buttons until Save."""
    if not items:
        return None

    def choice(action: StationChoiceAction, station_id: int = 0) -> StationChoiceCallback:
        return StationChoiceCallback(
            action=action, station_id=station_id, chosen=station_id in chosen
        )

    rows = [
        buttons(
            (
                ("✅ " if item.station.id in chosen else "▫️ ") + item.station.name[:50],
                choice(StationChoiceAction.TOGGLE, item.station.id),
            )
        )
        for item in items
    ]
    rows.append(
        buttons(
            (_("All"), choice(StationChoiceAction.ALL)),
            (_("None"), choice(StationChoiceAction.NONE)),
        )
    )
    rows.append(buttons(("💾 " + _("Save"), choice(StationChoiceAction.SAVE))))
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


# ---- /station_files -----------------------------------------------------------------------------


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
        buttons(
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
        rows.append(buttons(*navigation))
    new_label = ("✅ " if only_new else "🆕 ") + _("only new")
    rows.append(
        buttons(
            ("📡 " + _("Station") + " ▾", files(StationFilesAction.PICK)),
            (new_label, files(StationFilesAction.LIST, new=not only_new)),
        )
    )
    rows.append(buttons(("✓ " + _("Mark all seen"), files(StationFilesAction.SEEN))))
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

    rows = [buttons((mark(0) + _("All stations"), shown(0)))]
    rows += [buttons((mark(s.id) + s.name[:50], shown(s.id))) for s in stations]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def station_announcement(station_id: int) -> InlineKeyboardMarkup:
    data = StationFilesCallback(station_id=station_id, new=True, action=StationFilesAction.OPEN)
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Show all"), callback_data=data.pack())]]
    )


# ---- /stations_admin -----------------------------------------------------------------------------


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
        buttons(
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
        rows.append(buttons(*navigation))
    rows.append(buttons(("➕ " + _("Add a station"), _station(StationAdminAction.ADD))))
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
            buttons(switch),
            buttons(
                button("🔄 " + _("Poll now"), StationAdminAction.POLL),
                button("🔌 " + _("Test"), StationAdminAction.TEST),
            ),
            buttons(
                button("✏️ " + _("Edit"), StationAdminAction.EDIT),
                button("🗑 " + _("Delete"), StationAdminAction.DELETE),
            ),
            buttons(button("« " + _("Back to the list"), StationAdminAction.LIST)),
        ]
    )


def station_opened(station: StationView) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(("📡 " + _("Open the station"), _station(StationAdminAction.OPEN, station.id)))
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
            buttons(field(StationField.NAME), field(StationField.URL)),
            buttons(field(StationField.LOGIN), field(StationField.PASSWORD)),
            buttons(field(StationField.TLS, station.tls), verify),
            buttons(field(StationField.ROOT), field(StationField.POLL_INTERVAL)),
            buttons(field(StationField.INCLUDE_MASKS), field(StationField.EXCLUDE_MASKS)),
            buttons(
                field(StationField.MAX_CONNECTIONS),
                field(StationField.ENCODING, encoding_label(station.encoding)),
            ),
            buttons(field(StationField.LOCATION), field(StationField.PLATFORMS)),
            buttons(("« " + _("Back"), _station(StationAdminAction.OPEN, station.id, page))),
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
        buttons(
            (
                ("✅ " if current else "") + label,
                _station(StationAdminAction.SET, station.id, page, field, value),
            )
        )
        for value, label, current in options
    ]
    rows.append(buttons(("« " + _("Back"), _station(StationAdminAction.EDIT, station.id, page))))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_station_delete(station: StationView, page: int = 1) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (_("Yes, delete"), _station(StationAdminAction.CONFIRM_DELETE, station.id, page)),
                (_("No"), _station(StationAdminAction.OPEN, station.id, page)),
            )
        ]
    )


# ---- the add-station wizard ----------------------------------------------------------------------


def station_tls_choice(suggested: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
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
            buttons(
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
            buttons(
                (
                    "💾 " + _("Save anyway"),
                    StationWizardCallback(action=StationWizardAction.SAVE_ANYWAY),
                ),
                ("✖ " + _("Cancel"), StationWizardCallback(action=StationWizardAction.CANCEL)),
            )
        ]
    )
