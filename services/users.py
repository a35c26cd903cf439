"""Users: registration through Telegram, roles, and the plain view edges receive."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from services.models import User

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

    @property
    def state(self) -> str:
        return "active" if self.is_active else "pending"

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
        )


@dataclass(frozen=True)
class Registration:
    user: UserView
    created: bool


class UserService:
    def __init__(self, *, admin_ids: Iterable[int], auto_activate: bool) -> None:
        self.admin_ids = frozenset(admin_ids)
        self.auto_activate = auto_activate

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
        return Registration(user=UserView.of(user), created=created)

    async def seen_telegram(self, telegram_id: int) -> UserView | None:
        """The user behind a Telegram account, marking them seen; None when not registered."""
        user = await User.get_or_none(telegram_id=telegram_id)
        if user is None:
            return None
        now = datetime.now(UTC)
        if user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_RESOLUTION:
            await User.filter(id=user.id).update(last_seen_at=now)
            user.last_seen_at = now
        return UserView.of(user)

    async def sync_admins(self) -> int:
        """Make the configured ADMIN_IDS admins (and active) if they are registered already."""
        if not self.admin_ids:
            return 0
        updated: int = await User.filter(telegram_id__in=list(self.admin_ids)).update(
            is_admin=True, is_active=True
        )
        return updated

    async def get(self, user_id: int) -> UserView | None:
        user = await User.get_or_none(id=user_id)
        return UserView.of(user) if user else None
