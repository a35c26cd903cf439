"""Satellite passes for their followers: /passes lists the passes over the stations you follow,
each with its files (and your progress downloading them) and a button that downloads the whole
pass, the same as under a pass announcement; /next says which passes are coming; /announce
chooses which passes are announced; /timezone sets the zone the times are shown in. Active users
only (router filter)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.callbacks import AnnounceAction, AnnounceCallback, PassAction, PassCallback
from bot.filters import ActiveUser
from bot.passes import keyboards, texts
from services.accounts.users import UserView
from services.container import Services
from services.messaging.telegram_text import split
from services.passes.views import PassFilter
from services.stations.views import StationView

PER_PAGE = 8
NEXT_HOURS = 24


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


async def _followed(services: Services, user: UserView) -> list[StationView]:
    return [item.station for item in await services.stations.stations_for(user) if item.followed]


# ---- /passes and a pass ----------------------------------------------------------------------


async def _pass_list(
    services: Services, user: UserView, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    listing = await services.passes.list_passes(user, PassFilter(), page=page, per_page=PER_PAGE)
    if not listing.items and listing.page > texts.pages_of(listing):  # fewer passes meanwhile
        listing = await services.passes.list_passes(
            user, PassFilter(), page=texts.pages_of(listing), per_page=PER_PAGE
        )
    return texts.pass_list(listing, user.time_zone), keyboards.pass_list(listing)


async def list_passes(message: Message, services: Services, user: UserView) -> None:
    text, markup = await _pass_list(services, user, 1)
    await message.answer(text, reply_markup=markup)


async def _pass_files(
    services: Services, user: UserView, pass_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    detail = await services.passes.get(user, pass_id)
    return texts.pass_files(detail, user.time_zone), keyboards.pass_files(pass_id, page)


async def pass_action(
    query: CallbackQuery, callback_data: PassCallback, services: Services, user: UserView
) -> None:
    action, pass_id, page = callback_data.action, callback_data.pass_id, callback_data.page
    if action is PassAction.LIST:
        await _edit(query, *await _pass_list(services, user, max(page, 1)))
    elif action is PassAction.FILES:
        text, markup = await _pass_files(services, user, pass_id, max(page, 1))
        if page == 0 and query.bot is not None:
            # From an announcement: the files come as a message of their own; it stays.
            await query.bot.send_message(query.from_user.id, text, reply_markup=markup)
        else:
            await _edit(query, text, markup)
    elif action is PassAction.DOWNLOAD:
        request = await services.downloads.request_pass(user, pass_id)
        if callback_data.shown:  # this message shows the pass's files: its progress moved
            await _edit(query, *await _pass_files(services, user, pass_id, page))
        await query.answer(texts.pass_requested(request)[:200], show_alert=bool(request.refused))
        return
    await query.answer()


# ---- /next ---------------------------------------------------------------------------------------


async def next_passes(message: Message, services: Services, user: UserView) -> None:
    schedules = [
        await services.passes.schedule(user, station.id, NEXT_HOURS)
        for station in await _followed(services, user)
    ]
    # Many stations make a long answer: it goes in parts Telegram takes.
    for part in split(texts.next_passes(schedules, user.time_zone, NEXT_HOURS)):
        await message.answer(part)


# ---- /announce -----------------------------------------------------------------------------------


async def choose_announcements(message: Message, services: Services, user: UserView) -> None:
    stations = await _followed(services, user)
    if len(stations) == 1:
        text, markup = await _announce_choices(services, user, stations[0], back=False)
        await message.answer(text, reply_markup=markup)
        return
    await message.answer(
        texts.announce_stations(stations), reply_markup=keyboards.announce_stations(stations)
    )


async def _announce_choices(
    services: Services, user: UserView, station: StationView, *, back: bool
) -> tuple[str, InlineKeyboardMarkup]:
    chosen = await services.passes.announcements(user, station.id)
    platforms, instruments = keyboards.announce_choices_of(
        await services.passes.seen_kinds(station.id), chosen
    )
    return (
        texts.announce_choices(station, platforms, instruments, chosen),
        keyboards.announce_choices(station.id, platforms, instruments, chosen, back=back),
    )


def _toggled(chosen: list[str], offered: list[str], index: int) -> list[str]:
    if not 0 <= index < len(offered):
        return chosen
    return sorted(set(chosen) ^ {offered[index]})


async def announce_action(
    query: CallbackQuery, callback_data: AnnounceCallback, services: Services, user: UserView
) -> None:
    action, station_id = callback_data.action, callback_data.station_id
    stations = await _followed(services, user)
    station = next((s for s in stations if s.id == station_id), None)
    if action is AnnounceAction.STATIONS or station is None:  # (or no longer followed)
        await _edit(query, texts.announce_stations(stations), keyboards.announce_stations(stations))
        await query.answer()
        return
    note = None
    if action is not AnnounceAction.STATION:
        platforms, instruments = await services.passes.announcements(user, station_id)
        offered = keyboards.announce_choices_of(
            await services.passes.seen_kinds(station_id), (platforms, instruments)
        )
        if action is AnnounceAction.PLATFORM:
            platforms = _toggled(platforms, offered[0], callback_data.index)
        elif action is AnnounceAction.INSTRUMENT:
            instruments = _toggled(instruments, offered[1], callback_data.index)
        else:
            platforms, instruments = [], []
        await services.passes.set_announcements(
            user, station_id, platforms=platforms, instruments=instruments
        )
        note = texts.announcement_choice_saved()
    await _edit(query, *await _announce_choices(services, user, station, back=len(stations) > 1))
    await query.answer(note)


# ---- /timezone -----------------------------------------------------------------------------------


async def set_time_zone(
    message: Message, command: CommandObject, services: Services, user: UserView
) -> None:
    now = datetime.now(UTC)
    if not (command.args or "").strip():
        await message.answer(texts.time_zone(user.time_zone, now))
        return
    updated = await services.users.set_time_zone(user, command.args or "")
    await message.answer(texts.time_zone_set(updated.time_zone, now))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(ActiveUser())
    router.callback_query.filter(ActiveUser())
    router.message.register(list_passes, Command("passes"))
    router.message.register(next_passes, Command("next"))
    router.message.register(choose_announcements, Command("announce"))
    router.message.register(set_time_zone, Command("timezone"))
    router.callback_query.register(pass_action, PassCallback.filter())
    router.callback_query.register(announce_action, AnnounceCallback.filter())
    return router
