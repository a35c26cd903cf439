"""The composition root: the one module that wires settings, database, services, bot, web app
and scheduler together, and the server's commands (`ftpgram run`, `ftpgram migrate`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable, Sequence

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError
from aiohttp import web
from redis.asyncio import Redis

from api.app import create_app
from bot.commands import menu_button
from bot.downloads.boards import DownloadBoards
from bot.factory import (
    IN_FLIGHT,
    BotProbe,
    add_webhook_route,
    create_bot,
    create_dispatcher,
    set_default_commands,
    webhook_secret,
    webhook_target,
)
from bot.gateway import BotGateway
from bot.i18n import create_i18n
from bot.middlewares import UpdatesInFlight
from bot.notifier import BotNotifier
from services.container import Services, build_services
from services.core import db
from services.core.clock import PRODUCTION, Timing
from services.core.cluster import (
    Coordinator,
    LocalCoordinator,
    PostgresCoordinator,
    migration_lock,
)
from services.core.errors import ConfigError
from services.core.events import EventBus
from services.core.logs import LogWriter, configure_logging
from services.core.relay import RedisEventBus
from services.core.settings import Settings, load_settings
from services.downloads.worker import DownloadWorker
from services.messaging.delivery import TAKEOVER_PAUSE
from services.scheduler import create_scheduler, schedule_jobs

log = logging.getLogger("ftpgram")

TELEGRAM_TIMEOUT = 10
STOP_TIMEOUT = 10
NO_TOKEN = (
    "BOT_TOKEN is not set. Create a bot with @BotFather in Telegram (https://t.me/BotFather), "
    "then put its token in .env or the environment: BOT_TOKEN=123456789:AA..."
)


class StartupError(Exception):
    """The service cannot start; the message is one line for the operator."""


class Application:
    """Bot, HTTP API and scheduler on one event loop, started and stopped together."""

    def __init__(self, settings: Settings, *, timing: Timing = PRODUCTION) -> None:
        self.settings = settings
        self.timing = timing
        self.services: Services | None = None
        self.bot: Bot | None = None
        self.dispatcher: Dispatcher | None = None
        self.runner: web.AppRunner | None = None
        self.scheduler = create_scheduler()
        self.log_writer: LogWriter | None = None
        self._polling: asyncio.Task[None] | None = None
        self._stopping = False
        self.probe: BotProbe | None = None
        self.downloads: DownloadWorker | None = None
        self.boards: DownloadBoards | None = None
        self._unschedule: Callable[[], None] | None = None
        self.coordinator: Coordinator = LocalCoordinator()
        self.redis: Redis | None = None
        self.relay: RedisEventBus | None = None
        self._role_lock = asyncio.Lock()
        self._role_tasks: set[asyncio.Task[None]] = set()
        self._leading = False

    @property
    def port(self) -> int:
        """The port the HTTP server listens on (useful when API_PORT=0)."""
        assert self.runner is not None
        return int(self.runner.addresses[0][1])

    async def start(self) -> None:
        settings = self.settings
        database_handler = configure_logging(
            settings.log_level, settings.log_file, settings.secret_values()
        )
        applied = await open_database(settings)
        self.log_writer = LogWriter(database_handler)
        self.log_writer.start()
        if applied:
            log.info("Applied migrations: %s", ", ".join(applied))

        self.bot = bot = create_bot(settings)
        probe = BotProbe(bot)
        i18n = create_i18n()
        bus: EventBus = EventBus()
        if settings.clustered:
            self.redis = Redis.from_url(settings.redis, socket_timeout=5, health_check_interval=10)
            self.relay = bus = RedisEventBus(self.redis)
            await self.relay.start()
            self.coordinator = PostgresCoordinator(settings.database)
        self.services = services = build_services(
            settings,
            gateway=BotGateway(bot),
            notifier_factory=lambda delivery: BotNotifier(delivery, i18n),
            bot_probe=probe,
            scheduler_probe=lambda: self.scheduler.running,
            redis_probe=self.relay.ping if self.relay is not None else None,
            timing=self.timing,
            bus=bus,
            coordinator=self.coordinator,
        )
        await services.users.sync_admins()
        # Several processes share the storage: only what nobody wrote to for an hour is left over.
        idle = 3600.0 if settings.clustered else 0.0
        if swept := services.files.store.sweep_incoming(idle):
            log.info("Removed %d unfinished uploads left by the last run", swept)
        self.dispatcher = dispatcher = create_dispatcher(services, i18n, redis=self.redis)

        self.probe = probe
        try:
            me = await bot.get_me(request_timeout=TELEGRAM_TIMEOUT)
        except TelegramUnauthorizedError:
            raise StartupError(
                "BOT_TOKEN was rejected by Telegram: check it with @BotFather"
            ) from None
        except (TelegramAPIError, TelegramNetworkError, TimeoutError) as exc:
            # Telegram being unreachable must not keep the API down; polling keeps retrying.
            log.warning("Telegram is not reachable at %s: %s", settings.telegram_api_url, exc)
            probe.record(False)
        else:
            probe.record(True)
            log.info("Signed in to Telegram as @%s", me.username)
            try:
                await set_default_commands(bot, i18n)
                if (button := menu_button(settings.base_url)) is not None:
                    await bot.set_chat_menu_button(menu_button=button)
            except (TelegramAPIError, TelegramNetworkError) as exc:
                log.warning("Could not set the bot's command menu: %s", exc)

        self.downloads = DownloadWorker(
            services.downloads,
            concurrency=settings.download_concurrency,
            retries=settings.download_retries,
            retry_delay=settings.download_retry_delay,
            lease=settings.download_lease,
            tick=self.timing.worker_tick,
        )
        self.downloads.start()
        self.boards = DownloadBoards(bot, services, i18n)
        # The leader (the one process, or the elected one of several) schedules and sends.
        self.coordinator.on_role(self._role_changed)
        await self.coordinator.start()
        if self._role_tasks:  # leading from the start: running before start() returns
            await asyncio.wait(set(self._role_tasks))

        app = create_app(services)
        if settings.webhook_url:
            add_webhook_route(app, dispatcher, bot, settings, redis=self.redis)
        self.runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, settings.api_host, settings.api_port)
        try:
            await site.start()
        except OSError as exc:
            raise StartupError(
                f"API_HOST/API_PORT: cannot listen on {settings.api_host}:{settings.api_port}: "
                f"{exc.strerror}"
            ) from None
        log.info("HTTP API listening on http://%s:%d", settings.api_host, self.port)

        if settings.webhook_url:
            url, _ = webhook_target(settings)
            try:
                await bot.set_webhook(
                    url,
                    secret_token=webhook_secret(settings),
                    allowed_updates=dispatcher.resolve_used_update_types(),
                    request_timeout=TELEGRAM_TIMEOUT,
                )
            except (TelegramAPIError, TelegramNetworkError, TimeoutError) as exc:
                raise StartupError(f"WEBHOOK_URL: Telegram did not accept it: {exc}") from None
            log.info("Receiving updates by webhook at %s", url)
        else:
            self._polling = asyncio.create_task(self._poll(), name="telegram-polling")
            log.info("Receiving updates by long polling")

    def _role_changed(self, leader: bool) -> None:
        task = asyncio.create_task(self._lead() if leader else self._follow())
        self._role_tasks.add(task)
        task.add_done_callback(self._role_tasks.discard)

    async def _lead(self) -> None:
        """Start what runs once in a deployment: the Telegram sender, the live download
        messages and the scheduler."""
        async with self._role_lock:
            if self._leading or not self.coordinator.leader or self._stopping:
                return
            assert self.services is not None
            assert self.boards is not None
            self._leading = True
            # Taking over from a leader that died: Telegram counts its last sends a while.
            await self.services.delivery.start(
                after=TAKEOVER_PAUSE if self.settings.clustered else 0
            )
            self.boards.start()
            self.scheduler = create_scheduler()
            self._unschedule = schedule_jobs(self.scheduler, self.services)
            self.scheduler.start()

    async def _follow(self) -> None:
        async with self._role_lock:
            if not self._leading:
                return
            self._leading = False
            await self._stop_scheduler()
            if self.boards is not None:
                await self.boards.stop()
            if self.services is not None:
                await self.services.delivery.stop()

    async def _poll(self) -> None:
        """Long polling that outlives Telegram outages (aiogram gives up if getMe fails)."""
        assert self.bot is not None
        assert self.dispatcher is not None
        delay = 1.0
        while not self._stopping:
            try:
                # Polling and webhooks exclude each other; a leftover webhook would block polling.
                await self.bot.delete_webhook(
                    drop_pending_updates=False, request_timeout=TELEGRAM_TIMEOUT
                )
                await self.dispatcher.start_polling(
                    self.bot,
                    handle_signals=False,
                    close_bot_session=False,
                    allowed_updates=self.dispatcher.resolve_used_update_types(),
                )
            except (TelegramAPIError, TelegramNetworkError, TimeoutError, OSError) as exc:
                if self.probe is not None:
                    self.probe.record(False)
                log.warning("Telegram polling failed (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60)
            else:
                return

    async def stop(self) -> None:
        """Stop everything that started; each step runs even when an earlier one fails."""
        self._stopping = True
        steps = [
            self._stop_polling,
            self._stop_http,
            self._finish_updates,
            self._stop_leading,
            self._stop_downloads,
            self._stop_coordination,
            self._stop_bot,
        ]
        for step in steps:
            try:
                await step()
            except Exception:
                log.exception("Error while stopping (%s)", step.__name__)
        log.info("Stopped")
        if self.log_writer is not None:
            await self.log_writer.stop()
            self.log_writer = None
        await db.close()

    async def _stop_polling(self) -> None:
        task, self._polling = self._polling, None
        if task is None or self.dispatcher is None:
            return
        try:
            await self.dispatcher.stop_polling()
        except RuntimeError:  # not polling right now (starting, or waiting to retry)
            task.cancel()
        done, _ = await asyncio.wait({task}, timeout=STOP_TIMEOUT)
        if not done:
            task.cancel()
            await asyncio.wait({task})

    async def _finish_updates(self) -> None:
        """Updates already in hand are handled to the end before the bot's session closes."""
        if self.dispatcher is None:
            return
        in_flight: UpdatesInFlight = self.dispatcher[IN_FLIGHT]
        if not await in_flight.wait_idle(STOP_TIMEOUT):
            log.warning("Stopping with Telegram updates still being handled")

    async def _stop_http(self) -> None:
        if self.runner is not None:
            runner, self.runner = self.runner, None
            await runner.cleanup()

    async def _stop_scheduler(self) -> None:
        if self._unschedule is not None:
            self._unschedule()
            self._unschedule = None
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def _stop_leading(self) -> None:
        if self._role_tasks:
            await asyncio.wait(set(self._role_tasks))
        await self._follow()

    async def _stop_downloads(self) -> None:
        if self.downloads is not None:
            worker, self.downloads = self.downloads, None
            await worker.stop()

    async def _stop_coordination(self) -> None:
        """After the downloads: their connection slots are given back first."""
        await self.coordinator.stop()
        if self.relay is not None:
            await self.relay.stop()
        if self.redis is not None:
            redis, self.redis = self.redis, None
            await redis.aclose()

    async def _stop_bot(self) -> None:
        if self.bot is not None:
            bot, self.bot = self.bot, None
            await bot.session.close()


async def serve(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    application = Application(settings)
    try:
        await application.start()
        await stop.wait()
        log.info("Stopping on signal")
    finally:
        await application.stop()


async def open_database(settings: Settings) -> list[str]:
    """Connect and migrate; returns the migrations applied now."""
    try:
        async with migration_lock(settings.database):  # processes starting together
            return await db.migrate(settings.database)
    except Exception as exc:
        # The URL holds the password: name the key, never the value.
        raise StartupError(f"DATABASE_URL: cannot open the database: {exc}") from exc


async def migrate_only(settings: Settings) -> list[str]:
    try:
        return await open_database(settings)
    finally:
        await db.close()


def server_main(arguments: Sequence[str]) -> int:
    """`ftpgram run` and `ftpgram migrate` (parsed already by `ftpgram.main`)."""
    command = arguments[0]
    try:
        settings = load_settings()
        if command == "migrate":
            applied = asyncio.run(migrate_only(settings))
            print(
                f"Applied {len(applied)} migration(s)"
                + (": " + ", ".join(applied) if applied else "")
            )
            return 0
        if settings.bot_token is None:
            raise StartupError(NO_TOKEN)
        asyncio.run(serve(settings))
    except (ConfigError, StartupError) as exc:
        print(f"ftpgram: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # The traceback goes to the log file (once logging is set up); the operator gets one line.
        if logging.getLogger().handlers:
            log.exception("ftpgram stopped on an unexpected error")
        print(
            f"ftpgram: stopped on an unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr
        )
        return 1
    return 0
