"""`Services`: the one service layer, built once by the composition root and shared by the bot,
the API and the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from services.accounts.audit import AuditService
from services.accounts.auth import AuthService
from services.accounts.codes import CodeService
from services.accounts.passwords import AccountService
from services.accounts.ports import AccountNotifier
from services.accounts.users import UserService
from services.accounts.webapp import WebAppService
from services.core.clock import PRODUCTION, Timing
from services.core.cluster import Coordinator, LocalCoordinator
from services.core.events import EventBus
from services.core.health import HealthService, Probe
from services.core.logs import LogService
from services.core.settings import Settings
from services.core.throttle import Throttle
from services.downloads.boards import DownloadBoardService
from services.downloads.completion import Completion
from services.downloads.ports import DownloadNotifier
from services.downloads.requests import DownloadService
from services.messaging.delivery import DeliveryService, TelegramGateway
from services.messaging.service import MessagingService, RateLimit
from services.passes.orbits import TleSource
from services.passes.ports import PassNotifier
from services.passes.service import PassRules, PassService
from services.stations.ports import StationNotifier
from services.stations.service import StationService
from services.storage.avatars import AvatarService
from services.storage.blobs import BlobService
from services.storage.files import FileService
from services.storage.store import LocalBlobStore
from services.storage.uploads import UploadService


class Notifier(AccountNotifier, StationNotifier, PassNotifier, DownloadNotifier, Protocol):
    """Every notice the capabilities send; the bot edge implements it (`bot.notifier`)."""


@dataclass(frozen=True)
class Services:
    settings: Settings
    users: UserService
    accounts: AccountService
    auth: AuthService
    codes: CodeService
    audit: AuditService
    files: FileService
    delivery: DeliveryService
    messaging: MessagingService
    avatars: AvatarService
    logs: LogService
    health: HealthService
    stations: StationService
    passes: PassService
    downloads: DownloadService
    boards: DownloadBoardService
    uploads: UploadService
    webapp: WebAppService
    throttle: Throttle
    bus: EventBus
    timing: Timing
    coordinator: Coordinator


def build_services(
    settings: Settings,
    *,
    gateway: TelegramGateway,
    notifier_factory: Callable[[DeliveryService], Notifier],
    bot_probe: Probe,
    scheduler_probe: Callable[[], bool],
    redis_probe: Probe | None = None,
    timing: Timing = PRODUCTION,
    bus: EventBus | None = None,
    coordinator: Coordinator | None = None,
) -> Services:
    bus = EventBus() if bus is None else bus
    coordinator = LocalCoordinator() if coordinator is None else coordinator
    audit = AuditService()
    throttle = Throttle()
    blobs = BlobService(LocalBlobStore(settings.storage))
    delivery = DeliveryService(gateway=gateway, blobs=blobs, bus=bus, look=timing.sender_look)
    notifier = notifier_factory(delivery)
    users = UserService(
        admin_ids=settings.admin_ids,
        auto_activate=settings.auto_activate,
        default_quota=int(settings.default_quota),
        notifier=notifier,
        audit=audit,
        blobs=blobs,
        throttle=throttle,
    )
    codes = CodeService(secret=settings.secret, notifier=notifier, audit=audit, throttle=throttle)
    auth = AuthService()
    files = FileService(
        blobs=blobs, users=users, max_upload=int(settings.max_upload), secret=settings.secret
    )
    passes = PassService(
        notifier=notifier,
        users=users,
        audit=audit,
        tles=TleSource(
            file=settings.tle_file, url=settings.tle_url, cache=settings.data_dir / "tle.txt"
        ),
        rules=PassRules(settings.pass_tolerance, settings.pass_quiet, settings.pass_missed_after),
    )
    stations = StationService(
        secret=settings.secret,
        notifier=notifier,
        audit=audit,
        users=users,
        bus=bus,
        passes=passes,
        coordinator=coordinator,
        ca_file=settings.station_ca_file,
        timeout=settings.station_timeout,
        poll_timeout=settings.station_poll_timeout,
        settle_seconds=settings.station_settle_seconds,
    )
    return Services(
        settings=settings,
        users=users,
        accounts=AccountService(users=users, audit=audit, throttle=throttle),
        auth=auth,
        codes=codes,
        delivery=delivery,
        messaging=MessagingService(
            delivery=delivery,
            codes=codes,
            blobs=blobs,
            users=users,
            limit=RateLimit(
                settings.bot_token_rate, settings.bot_token_burst, settings.bot_token_daily
            ),
        ),
        audit=audit,
        files=files,
        avatars=AvatarService(files),
        logs=LogService(),
        health=HealthService(
            bot=bot_probe, scheduler=scheduler_probe, coordinator=coordinator, redis=redis_probe
        ),
        stations=stations,
        passes=passes,
        downloads=DownloadService(
            stations=stations,
            passes=passes,
            completion=Completion(
                files=files, users=users, notifier=notifier, store=blobs.store, bus=bus
            ),
        ),
        boards=DownloadBoardService(),
        uploads=UploadService(files=files, users=users),
        webapp=WebAppService(
            bot_token=settings.bot_token.get_secret_value() if settings.bot_token else None,
            users=users,
            auth=auth,
            audit=audit,
        ),
        throttle=throttle,
        bus=bus,
        timing=timing,
        coordinator=coordinator,
    )
