"""One-time codes for signing in and for confirming bot tokens.

- 6 digits from `secrets`, valid `LIFETIME`, single use, bound to a purpose; stored only as an
  HMAC keyed with SECRET_KEY, compared in constant time. The message that carries a code is
  secret: the delivery queue erases it once sent.
- Every guess reserves its place under each limit *before* it is compared (see
  services/core/throttle.py), so parallel guesses cannot exceed them:
  - `MAX_ATTEMPTS` wrong entries per code;
  - `ADDRESS_FAILURES` wrong entries per client address a day, whatever the account;
  - `ACCOUNT_FAILURES` wrong entries per account a day, for codes asked for over the API.
- Code requests: `API_REQUESTS` per account and `ADDRESS_REQUESTS` per client address over the
  (unauthenticated) API, `BOT_REQUESTS` per account in Telegram.

So a stranger who knows someone's Telegram id can use up the API's allowance for that account,
but never the owner's: a code the owner asks for in the bot (/code) has its own request limit and
is not subject to the account's daily cap (a stranger still gets at most `MAX_ATTEMPTS` guesses at
it, as at any code). Limits answer with `RateLimited` (HTTP 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F

from services.accounts.audit import TELEGRAM, AuditService, current_origin
from services.accounts.ports import AccountNotifier
from services.accounts.users import UserView
from services.core.errors import Forbidden, InvalidInput, NotFound, RateLimited
from services.core.models import LoginCode, User
from services.core.throttle import Limit, Slot, Throttle

LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
DAY = timedelta(days=1)
CODE_WINDOW = timedelta(minutes=15)
MAX_CODES = 3
_MANY_CODES = "Too many codes requested; wait before asking for another."
API_REQUESTS = Limit("code-requests-api", MAX_CODES, CODE_WINDOW, _MANY_CODES)
BOT_REQUESTS = Limit("code-requests-bot", MAX_CODES, CODE_WINDOW, _MANY_CODES)
ADDRESS_REQUESTS = Limit(
    "code-requests-address",
    10,
    timedelta(hours=1),
    "Too many codes requested from your address; wait before asking for another.",
)
MAX_DAILY_FAILURES = 20
ACCOUNT_FAILURES = Limit(
    "code-failures-account",
    MAX_DAILY_FAILURES,
    DAY,
    "Too many wrong codes for this account today; try again tomorrow, "
    "or send /code to the bot for a code that works now.",
)
ADDRESS_FAILURES = Limit(
    "code-failures-address",
    30,
    DAY,
    "Too many wrong codes from your address today; try again tomorrow.",
)
SIGN_IN = "sign_in"
BOT_TOKEN = "bot_token"


class CodeService:
    def __init__(
        self, *, secret: bytes, notifier: AccountNotifier, audit: AuditService, throttle: Throttle
    ) -> None:
        self._secret = secret
        self._notifier = notifier
        self._audit = audit
        self._throttle = throttle

    @property
    def lifetime_seconds(self) -> int:
        return int(LIFETIME.total_seconds())

    def _hmac(self, user_id: int, purpose: str, code: str) -> str:
        message = f"{user_id}:{purpose}:{code}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    async def request(self, user: UserView, purpose: str = SIGN_IN) -> None:
        """Create a code for an active user and deliver it through the bot."""
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        via_bot = current_origin() == TELEGRAM
        if via_bot:
            await self._throttle.take(BOT_REQUESTS, str(user.id))
        else:
            wait = await self._throttle.exhausted(ACCOUNT_FAILURES, str(user.id))
            if wait is not None:
                raise RateLimited(ACCOUNT_FAILURES.message, retry_after=wait)
            await self._throttle.take(ADDRESS_REQUESTS, current_origin())
            await self._throttle.take(API_REQUESTS, str(user.id))
        now = datetime.now(UTC)
        code = f"{secrets.randbelow(10**6):06d}"
        # A new code replaces older unused ones of the same purpose.
        await LoginCode.filter(user_id=user.id, purpose=purpose, used_at=None).update(used_at=now)
        await LoginCode.create(
            user_id=user.id,
            purpose=purpose,
            code_hmac=self._hmac(user.id, purpose, code),
            created_at=now,
            expires_at=now + LIFETIME,
            via_bot=via_bot,
        )
        await self._notifier.send_login_code(
            user, code, int(LIFETIME.total_seconds() // 60), purpose
        )

    async def verify(self, telegram_id: int, code: str, purpose: str = SIGN_IN) -> UserView:
        """The user a correct, fresh, unused code belongs to; the code is used up."""
        user = await User.get_or_none(telegram_id=telegram_id)
        if user is None:
            raise NotFound("No ftpgram user has this Telegram id.", code="unknown_user")
        return await self.verify_user(user.id, code, purpose)

    async def verify_user(self, user_id: int, code: str, purpose: str = SIGN_IN) -> UserView:
        """Check a code a known user typed in; the code is used up."""
        user = await User.get(id=user_id)
        now = datetime.now(UTC)
        origin = current_origin()
        # Everything the bot handles shares one origin: there the person is the requester.
        requester = f"{TELEGRAM}:{user.id}" if origin == TELEGRAM else origin
        wrong = InvalidInput("The code is wrong or has expired.", code="invalid_code")
        slots: list[Slot] = []
        try:
            slots.append(await self._throttle.take(ADDRESS_FAILURES, requester))
            candidate = (
                await LoginCode.filter(
                    user_id=user.id, purpose=purpose, used_at=None, expires_at__gt=now
                )
                .order_by("-created_at")
                .first()
            )
            if candidate is None:
                raise wrong
            if not candidate.via_bot:
                slots.append(await self._throttle.take(ACCOUNT_FAILURES, str(user.id)))
            reserved = await LoginCode.filter(
                id=candidate.id, used_at=None, failed_attempts__lt=MAX_ATTEMPTS
            ).update(failed_attempts=F("failed_attempts") + 1)
            if not reserved:
                raise RateLimited(
                    "Too many wrong entries for this code; ask for a new one.", retry_after=60
                )
        except RateLimited:
            # Nothing was compared: the attempt costs nothing under the other limits.
            for slot in slots:
                await self._throttle.give_back(slot)
            raise
        expected = self._hmac(user.id, purpose, code.strip())
        if not hmac.compare_digest(candidate.code_hmac, expected):
            raise wrong
        if await LoginCode.filter(id=candidate.id, used_at=None).update(used_at=now) != 1:
            raise wrong  # a parallel request with the same code used it first
        for slot in slots:
            await self._throttle.give_back(slot)
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        await self._audit.record(
            "login" if purpose == SIGN_IN else f"code:{purpose}",
            actor_id=user.id,
            target_user_id=user.id,
            detail=f"code:{purpose}",
        )
        return UserView.of(user)
