"""`Services`: the one service layer, built once by the composition root and shared by the bot,
the API and the scheduler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.accounts import AccountService
from services.audit import AuditService
from services.auth import AuthService
from services.avatars import AvatarService
from services.blobs import BlobService
from services.codes import CodeService
from services.files import FileService
from services.health import HealthService, Probe
from services.logs import LogService
from services.ports import Notifier
from services.settings import Settings
from services.storage import LocalBlobStore
from services.users import UserService


@dataclass(frozen=True)
class Services:
    settings: Settings
    users: UserService
    accounts: AccountService
    auth: AuthService
    codes: CodeService
    audit: AuditService
    files: FileService
    avatars: AvatarService
    logs: LogService
    health: HealthService


def build_services(
    settings: Settings,
    *,
    notifier: Notifier,
    bot_probe: Probe,
    scheduler_probe: Callable[[], bool],
) -> Services:
    audit = AuditService()
    blobs = BlobService(LocalBlobStore(settings.storage))
    users = UserService(
        admin_ids=settings.admin_ids,
        auto_activate=settings.auto_activate,
        default_quota=int(settings.default_quota),
        notifier=notifier,
        audit=audit,
        blobs=blobs,
    )
    files = FileService(
        blobs=blobs, users=users, max_upload=int(settings.max_upload), secret=settings.secret
    )
    return Services(
        settings=settings,
        users=users,
        accounts=AccountService(users=users, audit=audit),
        auth=AuthService(),
        codes=CodeService(secret=settings.secret, notifier=notifier, audit=audit),
        audit=audit,
        files=files,
        avatars=AvatarService(files),
        logs=LogService(),
        health=HealthService(bot=bot_probe, scheduler=scheduler_probe),
    )
