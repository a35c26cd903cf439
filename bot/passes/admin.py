"""/pattern: a station's own file name patterns, which tell the satellite, instrument and time a
name means. Choose a station, see its patterns (each with a delete button) and send a new one:
the format on the first line, then `code = Platform name` lines; the bot shows what it reads
from the station's newest names, and Save keeps it. Administrators only (router filter)."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.callbacks import PatternAction, PatternCallback
from bot.common import texts as common
from bot.filters import AdminUser
from bot.passes import keyboards, texts
from bot.states import PatternForm
from services.accounts.users import UserView
from services.container import Services
from services.core.errors import InvalidInput

# Lines after the format that fix what the names do not say, rather than name a platform code.
FIXED = ("platform", "instrument", "level")


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


def pattern_fields(text: str) -> dict[str, Any]:
    """The fields of `PassService.try_pattern` from what the admin sent: the format on the
    first line, then `code = Platform name` lines (or `instrument = …` and the like)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    fields: dict[str, Any] = {"format": lines[0] if lines else "", "platforms": {}}
    for line in lines[1:]:
        code, equals, name = line.partition("=")
        if not equals:
            raise InvalidInput(
                "Write each platform code as: code = Platform name.", code="invalid_pattern"
            )
        key = code.strip()
        if key.lower() in FIXED:
            fields[key.lower()] = name.strip()
        else:
            fields["platforms"][key] = name.strip()
    return fields


async def choose_station(message: Message, services: Services, state: FSMContext) -> None:
    await state.clear()
    stations = await services.stations.list_stations()
    await message.answer(
        texts.pattern_stations(stations), reply_markup=keyboards.pattern_stations(stations)
    )


async def _show_patterns(
    query: CallbackQuery, services: Services, state: FSMContext, station_id: int
) -> None:
    station = await services.stations.get(station_id)
    patterns = await services.passes.patterns(station_id)
    await state.set_state(PatternForm.text)
    await state.set_data({"station_id": station_id})
    await _edit(
        query,
        texts.station_patterns(station, patterns),
        keyboards.station_patterns(station_id, len(patterns)),
    )


async def pattern_action(
    query: CallbackQuery,
    callback_data: PatternCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
) -> None:
    action, station_id = callback_data.action, callback_data.station_id
    note = None
    if action is PatternAction.STATION:
        await _show_patterns(query, services, state, station_id)
    elif action is PatternAction.DELETE:
        await services.passes.remove_pattern(user, station_id, callback_data.index)
        await _show_patterns(query, services, state, station_id)
        note = common.done()
    elif action is PatternAction.SAVE:
        data = await state.get_data()
        if await state.get_state() != PatternForm.trial or data.get("station_id") != station_id:
            await query.answer(common.unknown_input())  # an old trial's button
            return
        await services.passes.add_pattern(user, station_id, pattern_fields(str(data["text"])))
        await state.clear()
        station = await services.stations.get(station_id)
        await _edit(query, texts.pattern_saved(station), None)
        note = common.done()
    elif action is PatternAction.CANCEL:
        await state.clear()
        await _edit(query, common.cancelled(), None)
    await query.answer(note)


async def try_pattern(
    message: Message, services: Services, user: UserView, state: FSMContext
) -> None:
    station_id = int((await state.get_data())["station_id"])
    text = message.text or ""
    try:
        _, trials = await services.passes.try_pattern(station_id, pattern_fields(text))
    except InvalidInput as problem:
        # The admin needs the reason to fix the format: the service's own detail goes along.
        await message.answer(common.error(problem) + "\n" + texts.pattern_problem(problem.message))
        return
    await state.set_state(PatternForm.trial)
    await state.set_data({"station_id": station_id, "text": text})
    station = await services.stations.get(station_id)
    await message.answer(
        texts.pattern_trial(station, trials, user.time_zone),
        reply_markup=keyboards.pattern_trial(station_id),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(AdminUser())
    router.callback_query.filter(AdminUser())
    router.message.register(choose_station, Command("pattern"))
    router.message.register(try_pattern, PatternForm.text, F.text)
    router.message.register(try_pattern, PatternForm.trial, F.text)  # another one to try
    router.callback_query.register(pattern_action, PatternCallback.filter())
    return router
