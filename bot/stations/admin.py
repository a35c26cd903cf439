"""/stations_admin: the stations with their health; a station's card with enable / disable, poll
now, test, edit and delete; and the add-station wizard (address, login, password, TLS mode, name),
which tests the connection before saving. Administrators only (router filter).

Passwords arrive in messages that are deleted as soon as they are read, and are never shown.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.callbacks import (
    StationAdminAction,
    StationAdminCallback,
    StationField,
    StationWizardAction,
    StationWizardCallback,
)
from bot.common import texts as common
from bot.filters import AdminUser
from bot.states import StationEditForm, StationWizard
from bot.stations import keyboards, texts
from services.accounts.users import UserView
from services.container import Services
from services.core.errors import Conflict, InvalidInput
from services.ftp.client import NAME_ENCODINGS, TLS_MODES, FtpError
from services.stations.settings import parse_station_url
from services.stations.views import StationView

PER_PAGE = keyboards.STATIONS_PER_PAGE
CHOICE_FIELDS = (StationField.TLS, StationField.ENCODING)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


async def _forget(message: Message) -> None:
    """A message with a password must not stay in the chat history."""
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()


# ---- the list and the card -------------------------------------------------------------------


async def list_stations(message: Message, services: Services) -> None:
    stations = await services.stations.list_stations()
    await message.answer(
        texts.station_list(stations, 1, PER_PAGE), reply_markup=keyboards.station_list(stations, 1)
    )


async def _show_list(query: CallbackQuery, services: Services, page: int) -> None:
    stations = await services.stations.list_stations()
    page = max(1, min(page, -(-len(stations) // PER_PAGE)))
    await _edit(
        query, texts.station_list(stations, page, PER_PAGE), keyboards.station_list(stations, page)
    )


async def _card(services: Services, station: StationView) -> str:
    polls = await services.stations.last_polls(station.id, limit=5)
    passes = await services.passes.last_day(station.id, datetime.now(UTC))
    return texts.station_card(station, polls, await services.stations.totals(station.id), passes)


async def _show_card(query: CallbackQuery, services: Services, station_id: int, page: int) -> None:
    station = await services.stations.get(station_id)
    await _edit(query, await _card(services, station), keyboards.station_card(station, page))


async def station_action(
    query: CallbackQuery,
    callback_data: StationAdminCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
    bot: Bot,
) -> None:
    action, station_id, page = callback_data.action, callback_data.station_id, callback_data.page
    stations = services.stations
    chat = query.from_user.id
    note: str | None = None
    if action is StationAdminAction.LIST:
        await _show_list(query, services, page)
    elif action is StationAdminAction.OPEN:
        await _show_card(query, services, station_id, page)
    elif action in (StationAdminAction.ENABLE, StationAdminAction.DISABLE):
        await stations.update(user, station_id, {"enabled": action is StationAdminAction.ENABLE})
        await _show_card(query, services, station_id, page)
        note = common.done()
    elif action is StationAdminAction.POLL:
        station = await stations.get(station_id)
        # A poll may take long; the button is answered first and the result comes as a message.
        await query.answer(texts.polling(station))
        try:
            result = await stations.poll(station_id)
        except Conflict as running:
            await bot.send_message(chat, common.error(running))
            return
        await bot.send_message(chat, texts.poll_result(station, result))
        await _show_card(query, services, station_id, page)
        return
    elif action is StationAdminAction.TEST:
        station = await stations.get(station_id)
        await query.answer(texts.connecting(station.host))
        try:
            probe = await stations.test(station_id)
        except FtpError as failure:
            await bot.send_message(chat, texts.station_test_result(station, None, failure))
        else:
            await bot.send_message(chat, texts.station_test_result(station, probe.entries, None))
        return
    elif action is StationAdminAction.EDIT:
        station = await stations.get(station_id)
        await _edit(
            query, texts.station_edit_menu(station), keyboards.station_edit_menu(station, page)
        )
    elif action is StationAdminAction.FIELD and callback_data.field is not None:
        field = callback_data.field
        station = await stations.get(station_id)
        if field in CHOICE_FIELDS:
            await _edit(
                query,
                texts.ask_station_choice(field),
                keyboards.station_field_choices(station, field, page),
            )
        else:
            await state.set_state(StationEditForm.value)
            await state.set_data({"station_id": station_id, "field": field.value})
            await bot.send_message(chat, texts.ask_station_value(field, station))
    elif action is StationAdminAction.SET and callback_data.field is not None:
        updated = await stations.update(
            user, station_id, _choice_fields(callback_data.field, callback_data.value)
        )
        await _edit(
            query, texts.station_edit_menu(updated), keyboards.station_edit_menu(updated, page)
        )
        note = common.done()
    elif action is StationAdminAction.DELETE:
        station = await stations.get(station_id)
        await _edit(
            query,
            texts.confirm_delete_station(station),
            keyboards.confirm_station_delete(station, page),
        )
    elif action is StationAdminAction.CONFIRM_DELETE:
        station = await stations.get(station_id)
        await stations.delete(user, station_id)
        note = texts.station_deleted(station.name)
        await _show_list(query, services, page)
    elif action is StationAdminAction.ADD:
        await state.set_state(StationWizard.url)
        await state.set_data({})
        await bot.send_message(chat, texts.ask_station_url())
    await query.answer(note)


# ---- editing one field -----------------------------------------------------------------------


def _choice_fields(field: StationField, value: str) -> dict[str, Any]:
    if field is StationField.TLS and value in TLS_MODES:
        return {"tls": value}
    if field is StationField.ENCODING and value in NAME_ENCODINGS:
        return {"encoding": value}
    if field is StationField.VERIFY_TLS:
        return {"verify_tls": value == "1"}
    raise InvalidInput("Unknown choice.", code="invalid_input")


def _number(text: str, name: str) -> int:
    if not text.isdigit():
        raise InvalidInput("Not a number.", code="invalid_station", fields={name: "not a number"})
    return int(text)


def _location(text: str) -> dict[str, Any]:
    """ "55.75 37.62 [150 [10]]": latitude, longitude, altitude (m), elevation mask (°); "-"
    removes the location. A decimal comma is a decimal point."""
    if text == "-":
        return {"latitude": None, "longitude": None}
    numbers = [float(n.replace(",", ".")) for n in re.findall(r"-?\d+(?:[.,]\d+)?", text)]
    if not 2 <= len(numbers) <= 4:
        raise InvalidInput(
            "Send latitude and longitude, then altitude and elevation mask if you like.",
            code="bad_location",
        )
    names = ("latitude", "longitude", "altitude", "min_elevation")
    return dict(zip(names, numbers, strict=False))


def _edit_fields(field: StationField, text: str) -> dict[str, Any]:
    value = text.strip()
    dash = value == "-"
    if field is StationField.LOCATION:
        return _location(value)
    if field is StationField.PLATFORMS:
        return {"platforms": "" if dash else value}
    if field is StationField.PASSWORD:
        return {"password": "" if dash else text}
    if field is StationField.URL:
        return {"url": value}  # the service expands it and keeps TLS on
    if field is StationField.LOGIN:
        return {"login": "anonymous" if dash else value}
    if field is StationField.POLL_INTERVAL:
        return {"poll_interval": _number(value, "poll_interval")}
    if field is StationField.MAX_CONNECTIONS:
        return {"max_connections": _number(value, "max_connections")}
    names = {
        StationField.NAME: "name",
        StationField.ROOT: "root",
        StationField.INCLUDE_MASKS: "include_masks",
        StationField.EXCLUDE_MASKS: "exclude_masks",
    }
    masks = field in (StationField.INCLUDE_MASKS, StationField.EXCLUDE_MASKS)
    return {names[field]: "" if masks and dash else value}


async def receive_station_value(
    message: Message, state: FSMContext, services: Services, user: UserView
) -> None:
    data = await state.get_data()
    station_id, field = int(data["station_id"]), StationField(data["field"])
    text = message.text or ""
    if field is StationField.PASSWORD or (field is StationField.URL and "@" in text):
        await _forget(message)
    updated = await services.stations.update(user, station_id, _edit_fields(field, text))
    await state.clear()
    await message.answer(
        common.done() + "\n\n" + await _card(services, updated),
        reply_markup=keyboards.station_card(updated),
    )


# ---- the add-station wizard ------------------------------------------------------------------


async def receive_url(message: Message, state: FSMContext) -> None:
    url = (message.text or "").strip()
    if "@" in url:  # it may carry a password
        await _forget(message)
    fields = parse_station_url(url)  # a bad address: the error router says why; ask again
    await state.update_data(url=url, host=fields["host"], tls=fields["tls"])
    if "password" in fields:
        await state.update_data(login=fields.get("login", "anonymous"), password=fields["password"])
        await _ask_tls(message, state)
    elif "login" in fields:
        await state.update_data(login=fields["login"])
        await state.set_state(StationWizard.password)
        await message.answer(texts.ask_station_password())
    else:
        await state.set_state(StationWizard.login)
        await message.answer(texts.ask_station_login())


async def receive_login(message: Message, state: FSMContext) -> None:
    login = (message.text or "").strip()
    if login in ("", "-"):
        await state.update_data(login="anonymous", password="")
        await _ask_tls(message, state)
        return
    await state.update_data(login=login)
    await state.set_state(StationWizard.password)
    await message.answer(texts.ask_station_password())


async def receive_password(message: Message, state: FSMContext) -> None:
    await _forget(message)
    await state.update_data(password=message.text or "")
    await _ask_tls(message, state)


async def _ask_tls(message: Message, state: FSMContext) -> None:
    suggested = str((await state.get_data())["tls"])
    await state.set_state(StationWizard.tls)
    await message.answer(
        texts.ask_station_tls(suggested), reply_markup=keyboards.station_tls_choice(suggested)
    )


async def choose_tls(
    query: CallbackQuery, callback_data: StationWizardCallback, state: FSMContext
) -> None:
    if callback_data.tls not in TLS_MODES:
        await query.answer()
        return
    data = await state.get_data()
    await state.update_data(chosen_tls=callback_data.tls)
    await state.set_state(StationWizard.name)
    await _edit(query, texts.chosen_tls(callback_data.tls), None)
    if query.bot is not None:
        host = str(data["host"])
        await query.bot.send_message(
            query.from_user.id,
            texts.ask_station_name(host),
            reply_markup=keyboards.station_default_name(host),
        )
    await query.answer()


async def receive_name(
    message: Message, state: FSMContext, services: Services, user: UserView, bot: Bot
) -> None:
    await state.update_data(name=(message.text or "").strip())
    await _test_and_save(bot, message.chat.id, state, services, user)


async def use_default_name(
    query: CallbackQuery, state: FSMContext, services: Services, user: UserView, bot: Bot
) -> None:
    data = await state.get_data()
    await state.update_data(name=str(data["host"]))
    await _edit(query, texts.ask_station_name(str(data["host"])), None)
    await query.answer()
    await _test_and_save(bot, query.from_user.id, state, services, user)


def _wizard_fields(data: dict[str, Any]) -> dict[str, Any]:
    # The service expands the address: without a port, the chosen TLS mode's default applies.
    return {
        "url": str(data["url"]),
        "login": str(data["login"]),
        "password": str(data.get("password", "")),
        "tls": str(data["chosen_tls"]),
        "name": str(data["name"]) or str(data["host"]),
    }


async def _test_and_save(
    bot: Bot, chat_id: int, state: FSMContext, services: Services, user: UserView
) -> None:
    data = await state.get_data()
    fields = _wizard_fields(data)
    checking = await bot.send_message(chat_id, texts.connecting(str(data["host"])))
    try:
        probe = await services.stations.probe(fields)
    except FtpError as failure:
        await state.set_state(StationWizard.failed)
        await checking.edit_text(
            texts.probe_failed(failure), reply_markup=keyboards.station_probe_failed()
        )
        return
    station = await services.stations.create(user, fields)
    await state.clear()
    await checking.edit_text(
        texts.station_added(station, probe.entries), reply_markup=keyboards.station_opened(station)
    )


async def save_anyway(
    query: CallbackQuery, state: FSMContext, services: Services, user: UserView
) -> None:
    station = await services.stations.create(user, _wizard_fields(await state.get_data()))
    await state.clear()
    await _edit(query, texts.station_added(station, None), keyboards.station_opened(station))
    await query.answer(common.done())


async def cancel_wizard(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await _edit(query, common.cancelled(), None)
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(AdminUser())
    router.callback_query.filter(AdminUser())
    router.message.register(list_stations, Command("stations_admin"))
    router.callback_query.register(station_action, StationAdminCallback.filter())

    router.message.register(receive_station_value, StationEditForm.value, F.text)
    router.message.register(receive_url, StationWizard.url, F.text)
    router.message.register(receive_login, StationWizard.login, F.text)
    router.message.register(receive_password, StationWizard.password, F.text)
    router.message.register(_ask_tls, StationWizard.tls, F.text)  # typed instead of pressed
    router.message.register(receive_name, StationWizard.name, F.text)
    wizard = StationWizardCallback.filter
    router.callback_query.register(
        choose_tls, wizard(F.action == StationWizardAction.TLS), StationWizard.tls
    )
    router.callback_query.register(
        use_default_name, wizard(F.action == StationWizardAction.DEFAULT_NAME), StationWizard.name
    )
    router.callback_query.register(
        save_anyway, wizard(F.action == StationWizardAction.SAVE_ANYWAY), StationWizard.failed
    )
    router.callback_query.register(
        cancel_wizard, wizard(F.action == StationWizardAction.CANCEL), StationWizard.failed
    )
    return router
