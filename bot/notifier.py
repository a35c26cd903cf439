"""The bot side of `services.container.Notifier`: notices rendered in the recipient's language and
handed to the delivery queue, like every message the bot sends on its own."""

from __future__ import annotations

import contextlib

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.accounts import keyboards as account_keyboards
from bot.accounts import texts as account_texts
from bot.downloads import texts as download_texts
from bot.passes import keyboards as pass_keyboards
from bot.passes import texts as pass_texts
from bot.stations import keyboards as station_keyboards
from bot.stations import texts as station_texts
from services.accounts.codes import SIGN_IN
from services.accounts.users import UserView
from services.core.errors import Conflict
from services.downloads.views import DownloadView
from services.messaging.delivery import DeliveryService
from services.passes.views import PassView, ScheduledPass
from services.stations.views import StationView


def _markup(markup: InlineKeyboardMarkup) -> dict[str, object]:
    return markup.model_dump(mode="json", exclude_none=True)


class BotNotifier:
    def __init__(self, delivery: DeliveryService, i18n: I18n) -> None:
        self.delivery = delivery
        self.i18n = i18n

    async def send_login_code(
        self, user: UserView, code: str, minutes: int, purpose: str = SIGN_IN
    ) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            if purpose == SIGN_IN:
                text = account_texts.login_code(code, minutes)
            else:
                text = account_texts.bot_token_code(code, minutes)
        await self.delivery.enqueue(user.id, text, secret=True)

    async def announce_new_user(self, admin: UserView, user: UserView) -> int | None:
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = account_texts.new_user_notice(user)
            markup = _markup(account_keyboards.new_user_decision(user))
        message = await self.delivery.enqueue(admin.id, text, reply_markup=markup)
        return message.id

    async def announce_waiting_users(self, admin: UserView, count: int) -> None:
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = account_texts.waiting_users_notice(count)
        await self.delivery.enqueue(admin.id, text)

    async def update_new_user_notice(
        self, admin: UserView, message_id: int, user: UserView, actor: UserView | None
    ) -> None:
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = account_texts.decided_notice(user, actor)
        with contextlib.suppress(Conflict):  # being sent right now, or gone from the chat
            await self.delivery.edit(message_id, text)

    async def account_changed(self, user: UserView) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = account_texts.account_changed(user)
        await self.delivery.enqueue(user.id, text)

    async def announce_station_files(
        self, user: UserView, station: StationView, *, count: int, total_size: int, names: list[str]
    ) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = station_texts.station_announcement(station, count, total_size, names)
            markup = _markup(station_keyboards.station_announcement(station.id))
        await self.delivery.enqueue(user.id, text, reply_markup=markup)

    async def announce_passes(self, user: UserView, passes: list[PassView]) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            if len(passes) == 1:
                text = pass_texts.pass_announcement(passes[0], user.time_zone)
                markup = _markup(pass_keyboards.pass_announcement(passes[0].id))
            else:
                text = pass_texts.passes_announcement(passes, user.time_zone)
                markup = _markup(pass_keyboards.passes_announcement(passes))
        await self.delivery.enqueue(user.id, text, reply_markup=markup)

    async def pass_missed(
        self, admin: UserView, station_name: str, missed: list[ScheduledPass]
    ) -> None:
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = pass_texts.pass_missed(station_name, missed, admin.time_zone)
        await self.delivery.enqueue(admin.id, text)

    async def station_health_changed(self, admin: UserView, station: StationView) -> None:
        with self.i18n.context(), self.i18n.use_locale(admin.language):
            text = station_texts.station_health(station)
        await self.delivery.enqueue(admin.id, text)

    async def download_finished(self, user: UserView, download: DownloadView) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = download_texts.download_finished(download)
        await self.delivery.enqueue(user.id, text)

    async def download_failed(self, user: UserView, download: DownloadView) -> None:
        with self.i18n.context(), self.i18n.use_locale(user.language):
            text = download_texts.download_failed(download)
        await self.delivery.enqueue(user.id, text)
