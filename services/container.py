"""`Services`: the one service layer, built once by the composition root and shared by the bot,
the API and the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.auth import AuthService
from services.health import HealthService, Probe
from services.logs import LogService
from services.settings import Settings
from services.users import UserService


@dataclass(frozen=True)
class Services:
    settings: Settings
    users: UserService
    auth: AuthService
    logs: LogService
    health: HealthService


def build_services(
    settings: Settings, *, bot_probe: Probe, scheduler_probe: Callable[[], bool]
) -> Services:
    return Services(
        settings=settings,
        users=UserService(admin_ids=settings.admin_ids, auto_activate=settings.auto_activate),
        auth=AuthService(),
        logs=LogService(),
        health=HealthService(bot=bot_probe, scheduler=scheduler_probe),
    )
