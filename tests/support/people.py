"""People in the tests: users as the bot would register them, the Telegram user to act as, and
the header that signs their API calls."""

from __future__ import annotations

from services.accounts.users import UserView
from services.container import Services
from services.core.models import User
from tests.support.telegram_fake import FakeTelegram, TgUser

# The fake Telegram servers of the running test (the `telegram` fixture adds and removes its
# own): a user made with a Telegram id has a chat open on each.
ACTIVE_TELEGRAM: list[FakeTelegram] = []


async def make_user(
    services: Services,
    telegram_id: int | None = None,
    *,
    active: bool = True,
    admin: bool = False,
    language: str = "en",
    name: str = "Test User",
) -> UserView:
    """A user as the bot would register them, then activated or made admin in the database."""
    if telegram_id is None:
        user = await User.create(full_name=name, is_active=active, is_admin=admin)
        return UserView.of(user)
    for fake in ACTIVE_TELEGRAM:
        fake.open_chat(telegram_id)  # as if they had sent /start
    registration = await services.users.register_telegram(
        telegram_id, full_name=name, username=None, language_code=language
    )
    await User.filter(id=registration.user.id).update(is_active=active, is_admin=admin)
    return await services.users.get(registration.user.id)


async def person(
    services: Services,
    telegram: FakeTelegram,
    telegram_id: int,
    name: str,
    *,
    admin: bool = False,
    language: str = "en",
) -> tuple[UserView, TgUser]:
    """An active user (an administrator with `admin`), and the Telegram user to act as."""
    view = await make_user(services, telegram_id, name=name, admin=admin, language=language)
    return view, telegram.user(telegram_id, name, language_code=language)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
