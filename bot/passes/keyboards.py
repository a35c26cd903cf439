"""Inline keyboards of passes: the announcements, /passes and a pass's files, /announce and the
/pattern wizard."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.callbacks import (
    AnnounceAction,
    AnnounceCallback,
    PassAction,
    PassCallback,
    PatternAction,
    PatternCallback,
)
from bot.common.keyboards import buttons
from bot.passes.texts import ANNOUNCED, pages_of
from services.passes.views import PassPage, PassView
from services.stations.views import StationView

# ---- a pass --------------------------------------------------------------------------------------


def pass_announcement(pass_id: int) -> InlineKeyboardMarkup:
    """Under an announcement: the files come as a message of their own (page 0)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (
                    "⬇ " + _("Download pass"),
                    PassCallback(action=PassAction.DOWNLOAD, pass_id=pass_id, page=0),
                ),
                (
                    "📄 " + _("Files"),
                    PassCallback(action=PassAction.FILES, pass_id=pass_id, page=0),
                ),
            )
        ]
    )


def _pass_rows(
    passes: Sequence[PassView], first: int, page: int
) -> list[list[InlineKeyboardButton]]:
    """Per pass, numbered from `first` as in the text: its download and its files."""
    return [
        buttons(
            (
                f"⬇ {number}",
                PassCallback(action=PassAction.DOWNLOAD, pass_id=item.id, page=page),
            ),
            (
                f"📄 {number}. {item.platform}"[:60],
                PassCallback(action=PassAction.FILES, pass_id=item.id, page=page),
            ),
        )
        for number, item in enumerate(passes, first)
    ]


def passes_announcement(passes: Sequence[PassView]) -> InlineKeyboardMarkup:
    """Under an announcement of several passes (files come as a message of their own)."""
    return InlineKeyboardMarkup(inline_keyboard=_pass_rows(passes[:ANNOUNCED], 1, 0))


def pass_list(page: PassPage) -> InlineKeyboardMarkup | None:
    """Per pass (numbered as in the text) its download and its files; then the pages."""
    if not page.items:
        return None
    rows = _pass_rows(page.items, (page.page - 1) * page.per_page + 1, page.page)
    navigation = []
    if page.page > 1:
        navigation.append(("◀", PassCallback(action=PassAction.LIST, page=page.page - 1)))
    if page.page < pages_of(page):
        navigation.append(("▶", PassCallback(action=PassAction.LIST, page=page.page + 1)))
    if navigation:
        rows.append(buttons(*navigation))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def pass_files(pass_id: int, page: int) -> InlineKeyboardMarkup:
    """Under a pass's files; `page` is the page of /passes to go back to."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (
                    "⬇ " + _("Download pass"),
                    PassCallback(
                        action=PassAction.DOWNLOAD, pass_id=pass_id, page=page, shown=True
                    ),
                ),
                (
                    "🔄 " + _("Refresh"),
                    PassCallback(action=PassAction.FILES, pass_id=pass_id, page=page),
                ),
            ),
            buttons(("« " + _("All passes"), PassCallback(action=PassAction.LIST, page=page))),
        ]
    )


# ---- /announce -----------------------------------------------------------------------------------


def announce_stations(stations: list[StationView]) -> InlineKeyboardMarkup | None:
    if not stations:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (
                    "📡 " + station.name[:50],
                    AnnounceCallback(action=AnnounceAction.STATION, station_id=station.id),
                )
            )
            for station in stations
        ]
    )


def announce_choices(
    station_id: int,
    platforms: list[str],
    instruments: list[str],
    chosen: tuple[list[str], list[str]],
    *,
    back: bool,
) -> InlineKeyboardMarkup:
    """A tick per platform and instrument, each named by its place in `platforms` /
    `instruments` (the handler builds both lists the same way for the buttons and the press)."""

    def toggle(action: AnnounceAction, index: int) -> AnnounceCallback:
        return AnnounceCallback(action=action, station_id=station_id, index=index)

    def mark(on: bool) -> str:
        return "✅ " if on else "▫️ "

    platform_ticks = [
        (mark(name in chosen[0]) + name[:30], toggle(AnnounceAction.PLATFORM, index))
        for index, name in enumerate(platforms)
    ]
    instrument_ticks = [
        (mark(name in chosen[1]) + name[:30], toggle(AnnounceAction.INSTRUMENT, index))
        for index, name in enumerate(instruments)
    ]
    rows = [
        buttons(*platform_ticks[start : start + 2]) for start in range(0, len(platform_ticks), 2)
    ]
    rows += [
        buttons(*instrument_ticks[start : start + 3])
        for start in range(0, len(instrument_ticks), 3)
    ]
    if platforms or instruments:
        rows.append(
            buttons(("🔔 " + _("Announce every pass"), toggle(AnnounceAction.EVERYTHING, 0)))
        )
    if back:
        rows.append(
            buttons(("« " + _("Stations"), AnnounceCallback(action=AnnounceAction.STATIONS)))
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def announce_choices_of(
    seen: tuple[list[str], list[str]], chosen: tuple[list[str], list[str]]
) -> tuple[list[str], list[str]]:
    """The platforms and instruments to offer: those seen at the station and those chosen
    before (so a choice can be undone after its passes stopped), sorted."""
    return sorted({*seen[0], *chosen[0]}), sorted({*seen[1], *chosen[1]})


# ---- /pattern ------------------------------------------------------------------------------------


def pattern_stations(stations: list[StationView]) -> InlineKeyboardMarkup | None:
    if not stations:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (
                    "📡 " + station.name[:50],
                    PatternCallback(action=PatternAction.STATION, station_id=station.id),
                )
            )
            for station in stations
        ]
    )


def station_patterns(station_id: int, count: int) -> InlineKeyboardMarkup | None:
    """A delete button per pattern of the station, numbered as in the text."""
    if not count:
        return None
    numbers = [
        (
            f"🗑 {index + 1}",
            PatternCallback(action=PatternAction.DELETE, station_id=station_id, index=index),
        )
        for index in range(count)
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons(*numbers[start : start + 5]) for start in range(0, count, 5)]
    )


def pattern_trial(station_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            buttons(
                (
                    "💾 " + _("Save"),
                    PatternCallback(action=PatternAction.SAVE, station_id=station_id),
                ),
                (
                    "✖ " + _("Cancel"),
                    PatternCallback(action=PatternAction.CANCEL, station_id=station_id),
                ),
            )
        ]
    )
