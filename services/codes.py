"""One-time codes for signing in (and later for confirming bot tokens), under NOTES.md's rules.

- 6 digits from `secrets`, valid `LIFETIME`, single use, bound to a purpose;
- at most `MAX_ATTEMPTS` wrong entries per code, `MAX_CODES` new codes per `CODE_WINDOW`, and
  `MAX_DAILY_FAILURES` wrong entries per account per day, across codes;
- stored only as an HMAC keyed with SECRET_KEY, compared in constant time.
Limits answer with `RateLimited` (HTTP 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F

from services.audit import AuditService
from services.errors import Forbidden, InvalidInput, NotFound, RateLimited
from services.models import LoginCode, User
from services.ports import Notifier
from services.users import UserView

LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
MAX_CODES = 3
CODE_WINDOW = timedelta(minutes=15)
MAX_DAILY_FAILURES = 20
DAY = timedelta(days=1)
SIGN_IN = "sign_in"
BOT_TOKEN = "bot_token"


class CodeService:
    def __init__(self, *, secret: bytes, notifier: Notifier, audit: AuditService) -> None:
        self._secret = secret
        self._notifier = notifier
        self._audit = audit

    @property
    def lifetime_seconds(self) -> int:
        return int(LIFETIME.total_seconds())

    def _hmac(self, user_id: int, purpose: str, code: str) -> str:
        message = f"{user_id}:{purpose}:{code}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    async def request(self, user: UserView, purpose: str = SIGN_IN) -> None:
        """Create a code for an active user and deliver it through the bot."""
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        now = datetime.now(UTC)
        await self._check_daily_failures(user.id, now)
        recent = await LoginCode.filter(
            user_id=user.id, created_at__gte=now - CODE_WINDOW
        ).order_by("created_at")
        if len(recent) >= MAX_CODES:
            wait = recent[0].created_at + CODE_WINDOW - now
            raise RateLimited(
                "Too many codes requested; wait before asking for another.",
                retry_after=max(1, math.ceil(wait.total_seconds())),
            )
        code = f"{secrets.randbelow(10**6):06d}"
        # A new code replaces older unused ones of the same purpose.
        await LoginCode.filter(user_id=user.id, purpose=purpose, used_at=None).update(used_at=now)
        await LoginCode.create(
            user_id=user.id,
            purpose=purpose,
            code_hmac=self._hmac(user.id, purpose, code),
            created_at=now,
            expires_at=now + LIFETIME,
        )
        await self._notifier.send_login_code(
            user, code, int(LIFETIME.total_seconds() // 60), purpose
        )

    async def _check_daily_failures(self, user_id: int, now: datetime) -> None:
        codes = await LoginCode.filter(user_id=user_id, created_at__gte=now - DAY)
        failures = sum(code.failed_attempts for code in codes)
        if failures >= MAX_DAILY_FAILURES:
            raise RateLimited(
                "Too many wrong codes today; try again tomorrow.",
                retry_after=int(DAY.total_seconds()),
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
        await self._check_daily_failures(user.id, now)
        candidate = (
            await LoginCode.filter(
                user_id=user.id, purpose=purpose, used_at=None, expires_at__gt=now
            )
            .order_by("-created_at")
            .first()
        )
        wrong = InvalidInput("The code is wrong or has expired.", code="invalid_code")
        if candidate is None:
            raise wrong
        if candidate.failed_attempts >= MAX_ATTEMPTS:
            raise RateLimited(
                "Too many wrong entries for this code; ask for a new one.", retry_after=60
            )
        expected = self._hmac(user.id, purpose, code.strip())
        if not hmac.compare_digest(candidate.code_hmac, expected):
            # Atomic, so concurrent guesses (several processes) cannot exceed the limit.
            await LoginCode.filter(id=candidate.id, failed_attempts__lt=MAX_ATTEMPTS).update(
                failed_attempts=F("failed_attempts") + 1
            )
            raise wrong
        used = await LoginCode.filter(id=candidate.id, used_at=None).update(used_at=now)
        if used != 1:
            raise wrong
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        await self._audit.record(
            "login" if purpose == SIGN_IN else f"code:{purpose}",
            actor_id=user.id,
            target_user_id=user.id,
            detail=f"code:{purpose}",
        )
        return UserView.of(user)
