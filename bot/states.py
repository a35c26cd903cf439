"""FSM states for multi-step input. `/cancel` leaves any of them."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CredentialsForm(StatesGroup):
    login = State()
    password = State()


class FileForm(StatesGroup):
    rename = State()
    comment = State()


class BotTokenForm(StatesGroup):
    label = State()
