"""Stations for their users: /stations chooses the stations you follow; /station_files lists the
files on them, newest first, filtered by station, to new ones or by what the names say
(`/station_files NOAA-20 VIIRS`), and marks them seen. Each
listed file has a ⬇ button, handled with the downloads (`bot.downloads.handlers`). Active users
only (router filter). /files, its first name, still works."""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.callbacks import (
    StationChoiceAction,
    StationChoiceCallback,
    StationFilesAction,
    StationFilesCallback,
)
from bot.common import texts as common
from bot.filters import ActiveUser
from bot.stations import keyboards, texts
from services.accounts.users import UserView
from services.container import Services
from services.stations.views import StationFileFilter

PER_PAGE = 10


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


# ---- /stations -------------------------------------------------------------------------------


async def choose_stations(message: Message, services: Services, user: UserView) -> None:
    items = await services.stations.stations_for(user)
    chosen = {item.station.id for item in items if item.followed}
    await message.answer(
        texts.station_choice(items), reply_markup=keyboards.station_choice(items, chosen)
    )


async def change_choice(
    query: CallbackQuery, callback_data: StationChoiceCallback, services: Services, user: UserView
) -> None:
    message = query.message
    if message is None or isinstance(message, InaccessibleMessage):
        await query.answer()
        return
    # Until Save, the choice exists only in this message's buttons.
    chosen = keyboards.chosen_stations(message.reply_markup)
    action = callback_data.action
    if action is StationChoiceAction.SAVE:
        followed = await services.stations.follow(user, chosen)
        await _edit(query, texts.stations_followed(followed), None)
        await query.answer(common.done())
        return
    items = await services.stations.stations_for(user)
    if action is StationChoiceAction.TOGGLE:
        chosen ^= {callback_data.station_id}
    elif action is StationChoiceAction.ALL:
        chosen = {item.station.id for item in items}
    elif action is StationChoiceAction.NONE:
        chosen = set()
    await _edit(query, texts.station_choice(items), keyboards.station_choice(items, chosen))
    await query.answer()


# ---- /station_files -----------------------------------------------------------------------------


async def _file_list(
    services: Services,
    user: UserView,
    station_id: int,
    page: int,
    only_new: bool,
    kinds: dict[str, str] | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    followed = [
        item.station for item in await services.stations.stations_for(user) if item.followed
    ]
    if not followed:
        return texts.no_followed_stations(), None
    kinds = kinds or {}
    where = StationFileFilter(
        station_id=station_id or None,
        only_new=only_new,
        platform=kinds.get("platform"),
        instrument=kinds.get("instrument"),
        level=kinds.get("level"),
    )
    listing = await services.stations.list_files(user, where, page=page, per_page=PER_PAGE)
    if not listing.items and listing.page > listing.pages:  # the list got shorter meanwhile
        listing = await services.stations.list_files(
            user, where, page=listing.pages, per_page=PER_PAGE
        )
    name = next((s.name for s in followed if s.id == station_id), None)
    return (
        texts.station_files(listing, name, only_new, list(kinds.values())),
        keyboards.station_files(listing, station_id, only_new),
    )


# The chat's state data keeps the words of `/station_files NOAA-20 VIIRS` while it pages.
KINDS = "station_file_kinds"


async def list_station_files(
    message: Message, command: CommandObject, services: Services, user: UserView, state: FSMContext
) -> None:
    """`/station_files [platform] [instrument] [level]`: each word (any case) is one of the
    platforms, instruments or levels the names on your stations show."""
    words = (command.args or "").split()
    kinds: dict[str, str] = {}
    if words:
        known = await services.stations.file_kinds(user)
        for word in words:
            found = [
                (column, value)
                for column, values in known.items()
                for value in values
                if value.casefold() == word.casefold()
            ]
            if not found:
                await message.answer(texts.unknown_file_kind(word, known))
                return
            kinds.update(found[:1])
    await state.update_data({KINDS: kinds})
    text, markup = await _file_list(services, user, 0, 1, False, kinds)
    await message.answer(text, reply_markup=markup)


async def station_files_action(
    query: CallbackQuery,
    callback_data: StationFilesCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
) -> None:
    action, station_id = callback_data.action, callback_data.station_id
    only_new, page = callback_data.new, callback_data.page
    note: str | None = None
    if action is StationFilesAction.PICK:
        followed = [
            item.station for item in await services.stations.stations_for(user) if item.followed
        ]
        await _edit(
            query,
            texts.pick_station_filter(),
            keyboards.station_filter(followed, station_id, only_new),
        )
        await query.answer()
        return
    if action is StationFilesAction.SEEN:
        await services.stations.mark_seen(user, station_id or None)
        note, page = texts.marked_seen(), 1
    if action is StationFilesAction.OPEN:
        await state.update_data({KINDS: {}})  # from an announcement: everything
    kinds = dict((await state.get_data()).get(KINDS) or {})
    text, markup = await _file_list(services, user, station_id, page, only_new, kinds)
    if action is StationFilesAction.OPEN and query.bot is not None:
        # From an announcement: the list comes as a message of its own; the announcement stays.
        await query.bot.send_message(query.from_user.id, text, reply_markup=markup)
    else:
        await _edit(query, text, markup)
    await query.answer(note)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(ActiveUser())
    router.callback_query.filter(ActiveUser())
    router.message.register(choose_stations, Command("stations"))
    # /station_files was its first name; it keeps working for those used to it.
    router.message.register(list_station_files, Command("station_files", "files"))
    router.callback_query.register(change_choice, StationChoiceCallback.filter())
    router.callback_query.register(station_files_action, StationFilesCallback.filter())
    return router
