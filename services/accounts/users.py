"""Users: registration (Telegram or login), roles and administration, and the plain view edges
receive. Administrative actions are audited and reflected on the admins' Telegram notices."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from services.accounts.audit import AuditService
from services.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from services.core.models import (
    DOWNLOAD_HOLDING,
    AdminNotice,
    ApiToken,
    Download,
    Message,
    StoredFile,
    UploadSession,
    User,
)
from services.core.throttle import Limit, Throttle

if TYPE_CHECKING:
    from services.accounts.ports import AccountNotifier, Belongings

log = logging.getLogger(__name__)
# New-user notices per administrator, then one summary per window (see `announce`).
NOTICES = Limit("new-user-notices", 5, timedelta(minutes=10), "")
DIGESTS = Limit("new-user-digests", 1, timedelta(minutes=10), "")
SUPPORTED_LANGUAGES = ("en", "ru")
# last_seen is a hint for admins, not an audit trail: write it at most this often.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def language_from_telegram(code: str | None) -> str:
    """Russian for a Russian Telegram interface, English for everything else."""
    return "ru" if code and code.lower().split("-")[0] == "ru" else "en"


@dataclass(frozen=True)
class UserView:
    id: int
    telegram_id: int | None
    telegram_username: str | None
    login: str | None
    full_name: str
    email: str | None
    is_admin: bool
    is_active: bool
    language: str
    created_at: datetime
    last_seen_at: datetime | None
    rejected: bool = False
    storage_quota: int | None = None
    has_password: bool = False
    time_zone: str = "UTC"

    @property
    def state(self) -> str:
        if self.is_active:
            return "active"
        return "rejected" if self.rejected else "pending"

    @property
    def display_name(self) -> str:
        return self.full_name or self.login or self.telegram_username or f"#{self.id}"

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id,
            telegram_id=user.telegram_id,
            telegram_username=user.telegram_username,
            login=user.login,
            full_name=user.full_name,
            email=user.email,
            is_admin=user.is_admin,
            is_active=user.is_active,
            language=user.language,
            created_at=user.created_at,
            last_seen_at=user.last_seen_at,
            rejected=user.rejected_at is not None,
            time_zone=user.time_zone,
            storage_quota=user.storage_quota,
            has_password=user.password_hash is not None,
        )


@functools.cache
def _time_zones() -> frozenset[str]:
    # "localtime" is whatever this host says, "Factory" a placeholder: neither is a place.
    return frozenset(available_timezones()) - {"localtime", "Factory"}


def valid_time_zone(zone: str) -> str:
    """`zone` if it is an IANA time zone name ("Europe/Moscow", "UTC"); InvalidInput otherwise
    (folders such as "Europe" and files such as "localtime" are not zones)."""
    zone = zone.strip()
    if zone in _time_zones():
        return zone
    raise InvalidInput(
        "Unknown time zone: give a name like Europe/Moscow or UTC.", code="invalid_time_zone"
    )


@dataclass(frozen=True)
class Registration:
    user: UserView
    created: bool


@dataclass(frozen=True)
class Usage:
    quota: int
    used: int
    free: int


@dataclass(frozen=True)
class UserPage:
    items: list[UserView]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


class UserService:
    def __init__(
        self,
        *,
        admin_ids: Iterable[int],
        auto_activate: bool,
        default_quota: int,
        notifier: AccountNotifier,
        audit: AuditService,
        blobs: Belongings,
        throttle: Throttle,
    ) -> None:
        self._belongings = blobs
        self._throttle = throttle
        self.admin_ids = frozenset(admin_ids)
        self.auto_activate = auto_activate
        self.default_quota = default_quota
        self._notifier = notifier
        self._audit = audit

    # ---- registration ------------------------------------------------------------------

    async def register_telegram(
        self,
        telegram_id: int,
        *,
        full_name: str,
        username: str | None,
        language_code: str | None,
    ) -> Registration:
        """Create the user behind a Telegram account, or refresh what Telegram tells us."""
        now = datetime.now(UTC)
        fields: dict[str, object] = {
            "full_name": full_name.strip()[:200],
            "telegram_username": username[:64] if username else None,
            "language": language_from_telegram(language_code),
            "last_seen_at": now,
        }
        is_admin = telegram_id in self.admin_ids
        try:
            async with in_transaction():
                user, created = await User.get_or_create(
                    telegram_id=telegram_id,
                    defaults={
                        **fields,
                        "is_admin": is_admin,
                        "is_active": is_admin or self.auto_activate,
                    },
                )
        except IntegrityError:
            # Two /start at once: the other one created the row.
            user, created = await User.get(telegram_id=telegram_id), False
        if not created:
            if is_admin:
                fields.update(is_admin=True, is_active=True)
            await User.filter(id=user.id).update(**fields)
            await user.refresh_from_db()
        view = UserView.of(user)
        if created:
            await self._audit.record(
                "register", actor_id=user.id, target_user_id=user.id, detail="telegram"
            )
            await self.announce(view)
        return Registration(user=view, created=created)

    async def telegram_admins(self) -> list[UserView]:
        """Active administrators the bot can write to."""
        admins = await User.filter(is_admin=True, is_active=True, telegram_id__not_isnull=True)
        return [UserView.of(admin) for admin in admins]

    async def announce(self, user: UserView) -> None:
        """Ask every admin to decide about a new pending user (one message each).

        A flood of registrations does not flood the admins: past `NOTICES` in a window, an admin
        gets one summary of how many people are waiting (`DIGESTS`), and no more until the window
        passes; /admin lists them all.
        """
        if user.is_active:
            return
        for admin in await self.telegram_admins():
            try:
                await self._throttle.take(NOTICES, str(admin.id))
            except RateLimited:
                with contextlib.suppress(RateLimited):
                    await self._throttle.take(DIGESTS, str(admin.id))
                    await self._notifier.announce_waiting_users(admin, await self.pending_count())
                continue
            message_id = await self._notifier.announce_new_user(admin, user)
            if message_id is not None:
                await AdminNotice.create(
                    user_id=user.id, admin_telegram_id=admin.telegram_id, message_id=message_id
                )

    async def pending_count(self) -> int:
        """People waiting for an administrator to activate or decline them."""
        count: int = await User.filter(is_active=False, rejected_at=None).count()
        return count

    async def seen_telegram(self, telegram_id: int) -> UserView | None:
        """The user behind a Telegram account, marking them seen; None when not registered."""
        user = await User.get_or_none(telegram_id=telegram_id)
        if user is None:
            return None
        now = datetime.now(UTC)
        if user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_RESOLUTION:
            await User.filter(id=user.id).update(last_seen_at=now)
            user.last_seen_at = now
        if user.unreachable_at is not None:
            # They wrote to the bot, so it can write to them again.
            await User.filter(id=user.id).update(unreachable_at=None)
        return UserView.of(user)

    async def sync_admins(self) -> int:
        """Make the configured ADMIN_IDS admins (and active) if they are registered already."""
        if not self.admin_ids:
            return 0
        updated: int = await User.filter(telegram_id__in=list(self.admin_ids)).update(
            is_admin=True, is_active=True, rejected_at=None
        )
        return updated

    # ---- lookups -----------------------------------------------------------------------

    async def get(self, user_id: int) -> UserView:
        user = await User.get_or_none(id=user_id)
        if user is None:
            raise NotFound("There is no such user.", code="unknown_user")
        return UserView.of(user)

    async def find_by_telegram(self, telegram_id: int) -> UserView | None:
        user = await User.get_or_none(telegram_id=telegram_id)
        return UserView.of(user) if user else None

    async def by_telegram(self, telegram_id: int) -> UserView:
        user = await User.get_or_none(telegram_id=telegram_id)
        if user is None:
            raise NotFound(
                "No ftpgram user has this Telegram id; send /start to the bot first.",
                code="unknown_user",
            )
        return UserView.of(user)

    async def by_telegram_handle(self, handle: str) -> UserView:
        """The user behind a Telegram id (digits) or @username, as people type them."""
        handle = handle.strip()
        user = None
        if handle.isascii() and handle.isdigit() and len(handle) <= 15:
            user = await User.get_or_none(telegram_id=int(handle))
        elif 0 < len(name := handle.removeprefix("@")) <= 64:
            user = await User.filter(telegram_username__iexact=name).order_by("id").first()
        if user is None:
            raise NotFound(
                "No ftpgram user has this Telegram id or username; send /start to the bot first.",
                code="unknown_user",
            )
        return UserView.of(user)

    def quota_of(self, user: UserView) -> int:
        return user.storage_quota if user.storage_quota is not None else self.default_quota

    async def free(
        self,
        user: UserView,
        *,
        except_download: int | None = None,
        except_upload: int | None = None,
    ) -> int:
        """Bytes the user may still fill: the quota less their files, their unfinished uploads
        and the downloads they hold (queued, running or paused), each reserving its full size."""
        uploads = UploadSession.filter(user_id=user.id, expires_at__gt=datetime.now(UTC))
        if except_upload is not None:
            uploads = uploads.exclude(id=except_upload)
        downloads = Download.filter(user_id=user.id, status__in=DOWNLOAD_HOLDING)
        if except_download is not None:
            downloads = downloads.exclude(id=except_download)
        reserved = 0
        for query in (uploads, downloads):
            row = await query.annotate(total=Sum("size")).first().values("total")
            reserved += int(row["total"] or 0) if row else 0
        return max(0, self.quota_of(user) - await self.used(user.id) - reserved)

    @contextlib.asynccontextmanager
    async def space_lock(self, user_id: int) -> AsyncIterator[None]:
        """Hold while checking the user's free space and writing what takes it: one such step
        at a time per user, so of requests racing for the last bytes one gets them. On
        PostgreSQL the user's row stays locked until the transaction ends; SQLite runs one
        write transaction at a time."""
        async with in_transaction():
            await self.lock_space(user_id)
            yield

    async def lock_space(self, user_id: int) -> None:
        """`space_lock` for a caller that runs its own transaction."""
        await User.select_for_update().filter(id=user_id).first()

    async def used(self, user_id: int) -> int:
        """Bytes of all the user's files (each reference counts its full size), and of the
        attachments apps sent them that the message history keeps."""
        total = 0
        for query, column in (
            (StoredFile.filter(user_id=user_id), "size"),
            (Message.filter(user_id=user_id, attachment_size__gt=0), "attachment_size"),
        ):
            row = await query.annotate(total=Sum(column)).first().values("total")
            total += int(row["total"] or 0) if row else 0
        return total

    async def usage(self, user: UserView) -> Usage:
        """Quota and use; `free` is what can still be added (`free`: unfinished uploads and held
        downloads reserve their space too)."""
        return Usage(
            quota=self.quota_of(user), used=await self.used(user.id), free=await self.free(user)
        )

    async def list_users(self, *, page: int = 1, per_page: int = 20) -> UserPage:
        total = await User.all().count()
        rows = (
            await User.all()
            .order_by("is_active", "-created_at", "-id")
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        return UserPage([UserView.of(u) for u in rows], page, per_page, total)

    # ---- administration ----------------------------------------------------------------

    async def set_active(self, ids: Iterable[int], active: bool, *, actor: UserView) -> list[int]:
        """Activate or deactivate users; returns the ids that changed."""
        wanted = sorted(set(ids))
        if not active and actor.id in wanted:
            raise Conflict("You cannot deactivate yourself.", code="self_action")
        rows = await User.filter(id__in=wanted, is_active=not active)
        changed = [row.id for row in rows]
        if not changed:
            return []
        update: dict[str, object] = {"is_active": active}
        if active:
            update["rejected_at"] = None
        await User.filter(id__in=changed).update(**update)
        if not active:
            # A deactivated user's tokens stop working at once, and stay revoked.
            await ApiToken.filter(user_id__in=changed).delete()
        action = "activate" if active else "deactivate"
        for user_id in changed:
            await self._audit.record(action, actor_id=actor.id, target_user_id=user_id)
            await self._after_decision(user_id, actor)
        return changed

    async def reject(self, user_id: int, *, actor: UserView) -> UserView:
        """Decline a pending registration; the person is told and cannot use ftpgram."""
        user = await User.get_or_none(id=user_id)
        if user is None:
            raise NotFound("There is no such user.", code="unknown_user")
        if user.is_active:
            raise Conflict(
                "This user is already active; deactivate instead.", code="already_active"
            )
        await User.filter(id=user_id).update(rejected_at=datetime.now(UTC))
        await self._audit.record("reject", actor_id=actor.id, target_user_id=user_id)
        await self._after_decision(user_id, actor)
        return await self.get(user_id)

    async def _after_decision(self, user_id: int, actor: UserView) -> None:
        user = await self.get(user_id)
        notices = await AdminNotice.filter(user_id=user_id)
        for notice in notices:
            admin = await User.get_or_none(telegram_id=notice.admin_telegram_id)
            if admin is not None:
                await self._notifier.update_new_user_notice(
                    UserView.of(admin), int(notice.message_id), user, actor
                )
        if user.telegram_id is not None:
            await self._notifier.account_changed(user)

    async def set_admin(self, user_id: int, is_admin: bool, *, actor: UserView) -> UserView:
        if user_id == actor.id and not is_admin:
            raise Conflict("You cannot remove your own administrator rights.", code="self_action")
        user = await self.get(user_id)
        if is_admin and not user.is_active:
            raise Conflict(
                "Activate the user before making them an administrator.", code="inactive_user"
            )
        await User.filter(id=user_id).update(is_admin=is_admin)
        await self._audit.record(
            "make_admin" if is_admin else "unmake_admin", actor_id=actor.id, target_user_id=user_id
        )
        return await self.get(user_id)

    async def set_time_zone(self, user: UserView, zone: str) -> UserView:
        """Times are shown to `user` in this IANA zone ("Europe/Moscow", "UTC")."""
        await User.filter(id=user.id).update(time_zone=valid_time_zone(zone))
        return await self.get(user.id)

    async def set_quota(self, user_id: int, quota: int | None, *, actor: UserView) -> UserView:
        if quota is not None and quota < 0:
            raise InvalidInput("The quota cannot be negative.", fields={"quota": "must be >= 0"})
        await self.get(user_id)
        await User.filter(id=user_id).update(storage_quota=quota)
        await self._audit.record(
            "set_quota", actor_id=actor.id, target_user_id=user_id, detail=str(quota)
        )
        return await self.get(user_id)

    async def delete(self, user_id: int, *, actor: UserView) -> None:
        """Delete a user with everything that belongs to them (tokens, codes, notices...)."""
        user = await self.get(user_id)
        if user_id == actor.id and actor.is_admin and not await self._other_admin_exists(user_id):
            raise Conflict(
                "You are the last administrator; make someone else admin first.", code="last_admin"
            )
        # File references first, so content nobody else holds leaves the disk too.
        await self._belongings.release_user_files(user_id)
        await User.filter(id=user_id).delete()
        await self._audit.record(
            "delete_user", actor_id=actor.id, target_user_id=user_id, detail=user.display_name
        )

    async def _other_admin_exists(self, user_id: int) -> bool:
        return await User.filter(is_admin=True, is_active=True).exclude(id=user_id).exists()
