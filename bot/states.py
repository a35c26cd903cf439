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


class StationWizard(StatesGroup):
    """Adding a station: address, login, password, TLS mode, name; then a connection test."""

    url = State()
    login = State()
    password = State()
    tls = State()
    name = State()
    failed = State()  # the test failed: save anyway or cancel


class StationEditForm(StatesGroup):
    value = State()


class PatternForm(StatesGroup):
    """A station's new file name pattern: the format (with platform codes) is tried on the
    station's newest names, then saved or dropped."""

    text = State()  # waiting for the format
    trial = State()  # the trial is shown: Save / Cancel, or another format to try
