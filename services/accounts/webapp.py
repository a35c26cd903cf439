"""Signing in from the Telegram Mini App: the `initData` string Telegram hands the web page,
verified with the bot token as Telegram documents, then mapped to our user.

Verification (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
the data-check-string is every received field except `hash`, as `key=value` lines sorted by key
and joined with "\\n"; the secret key is HMAC_SHA256(key="WebAppData", msg=bot_token); the data is
genuine when HMAC_SHA256(key=secret_key, msg=data_check_string) in hex equals `hash`. `auth_date`
must be recent (`MAX_AGE`): a captured string stays valid forever otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from services.accounts.audit import AuditService
from services.accounts.auth import AuthService
from services.accounts.users import UserService, UserView
from services.core.errors import Forbidden, InvalidInput, ServiceUnavailable, Unauthorized

MAX_AGE = timedelta(hours=24)
# Clocks differ a little; an auth_date further in the future than this is not believed.
CLOCK_SKEW = timedelta(minutes=5)
MAX_INIT_DATA = 8192


@dataclass(frozen=True)
class TelegramWebAppUser:
    """What a verified `initData` says about the person who opened the Mini App."""

    id: int
    first_name: str
    last_name: str
    username: str | None
    language_code: str | None
    auth_date: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def _malformed(detail: str) -> InvalidInput:
    return InvalidInput(f"The Telegram sign-in data is malformed: {detail}.", code="webapp_data")


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """The `hash` Telegram would put beside these fields (used by the check, and by tests)."""
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def verify_init_data(
    init_data: str,
    bot_token: str,
    *,
    now: datetime | None = None,
    max_age: timedelta = MAX_AGE,
) -> TelegramWebAppUser:
    """The Telegram user of a genuine, fresh `initData`; raises `Unauthorized` for a wrong
    signature or stale data and `InvalidInput` for data that is not `initData` at all."""
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise _malformed("empty or too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise _malformed("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise _malformed("a field is repeated")
    received = fields.get("hash", "")
    if not received:
        raise _malformed("no hash")
    expected = sign_init_data(fields, bot_token)
    if not hmac.compare_digest(expected, received.lower()):
        raise Unauthorized(
            "The Telegram sign-in data is not signed by this bot.", code="webapp_signature"
        )
    try:
        auth_date = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
    except (ValueError, OverflowError, OSError):
        raise _malformed("no valid auth_date") from None
    now = now or datetime.now(UTC)
    if auth_date < now - max_age or auth_date > now + CLOCK_SKEW:
        raise Unauthorized(
            "The Telegram sign-in data is too old; open the app from Telegram again.",
            code="webapp_expired",
        )
    try:
        user = json.loads(fields.get("user", ""))
        telegram_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        raise _malformed("no user") from None
    if not isinstance(user, dict) or isinstance(user["id"], bool) or telegram_id <= 0:
        raise _malformed("no user")
    return TelegramWebAppUser(
        id=telegram_id,
        first_name=str(user.get("first_name") or ""),
        last_name=str(user.get("last_name") or ""),
        username=str(user["username"]) if user.get("username") else None,
        language_code=str(user["language_code"]) if user.get("language_code") else None,
        auth_date=auth_date,
    )


class WebAppService:
    """Mini App sign-in: verified `initData` in, our user and a new API token out."""

    def __init__(
        self,
        *,
        bot_token: str | None,
        users: UserService,
        auth: AuthService,
        audit: AuditService,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self._bot_token = bot_token
        self._users = users
        self._auth = auth
        self._audit = audit
        self.max_age = max_age

    async def sign_in(self, init_data: str, *, label: str = "telegram") -> tuple[UserView, str]:
        """The user behind the Mini App and a token for them. Someone the bot does not know yet
        is registered as /start would do it (pending until an administrator activates them)."""
        if self._bot_token is None:
            raise ServiceUnavailable(
                "Signing in from Telegram needs the bot token.", code="no_bot_token"
            )
        person = verify_init_data(init_data, self._bot_token, max_age=self.max_age)
        user = await self._users.seen_telegram(person.id)
        if user is None:
            registration = await self._users.register_telegram(
                person.id,
                full_name=person.full_name or person.username or str(person.id),
                username=person.username,
                language_code=person.language_code,
            )
            user = registration.user
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        await self._audit.record(
            "login", actor_id=user.id, target_user_id=user.id, detail="telegram web app"
        )
        token = await self._auth.issue_token(user.id, label)
        return user, token
