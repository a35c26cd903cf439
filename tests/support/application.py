"""The service started in-process, seen from a test: the whole application (the `application`
fixture), or its service layer alone."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bot.factory import create_bot
from bot.gateway import BotGateway
from bot.i18n import create_i18n
from bot.notifier import BotNotifier
from ftpgram.app import Application
from services.container import Services, build_services
from services.core.clock import PRODUCTION, Timing
from services.core.settings import Settings


def services_of(application: Application) -> Services:
    """The service layer of the running application."""
    assert application.services is not None
    return application.services


@contextlib.asynccontextmanager
async def bot_services(settings: Settings, timing: Timing = PRODUCTION) -> AsyncIterator[Services]:
    """The service layer alone (no HTTP, bot updates or scheduler; the database connected by
    the caller), its notices sent by a real bot to the Telegram server in `settings`."""
    bot = create_bot(settings)
    i18n = create_i18n()

    async def reachable() -> bool:
        return True

    try:
        yield build_services(
            settings,
            gateway=BotGateway(bot),
            notifier_factory=lambda delivery: BotNotifier(delivery, i18n),
            bot_probe=reachable,
            scheduler_probe=lambda: True,
            timing=timing,
        )
    finally:
        await bot.session.close()
