"""API tokens: opaque random strings, stored only as SHA-256, resolved to a user per request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.accounts.users import UserView
from services.core.errors import NotFound, Unauthorized
from services.core.models import ApiToken, User

TOKEN_PREFIX = "ftg_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    # Headers may carry any bytes: aiohttp hands undecodable ones over as lone surrogates.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class TokenView:
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None


class AuthService:
    async def issue_token(self, user_id: int, label: str = "") -> str:
        """A new token for a user; the caller shows it once, we keep only its hash."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        # Labels come from headers (a browser's User-Agent): only printable characters are kept.
        label = "".join(c for c in label if c.isprintable())[:100]
        await ApiToken.create(user_id=user_id, token_hash=hash_token(token), label=label)
        return token

    async def authenticate(self, token: str) -> UserView:
        """The active user a bearer token belongs to."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            raise Unauthorized("The access token is not valid.", code="invalid_token")
        row = await ApiToken.get_or_none(token_hash=hash_token(token)).select_related("user")
        if row is None:
            raise Unauthorized("The access token is not valid.", code="invalid_token")
        if not row.user.is_active:
            raise Unauthorized("This account is not active.", code="inactive_user")
        now = datetime.now(UTC)
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            await ApiToken.filter(id=row.id).update(last_used_at=now)
            await User.filter(id=row.user_id).update(last_seen_at=now)
        return UserView.of(row.user)

    async def tokens(self, user_id: int) -> list[TokenView]:
        rows = await ApiToken.filter(user_id=user_id).order_by("-created_at", "-id")
        return [TokenView(r.id, r.label, r.created_at, r.last_used_at) for r in rows]

    async def revoke(self, user_id: int, token_id: int) -> None:
        """Revoke one of the user's own tokens (someone else's looks like a missing one)."""
        if not await ApiToken.filter(id=token_id, user_id=user_id).delete():
            raise NotFound("There is no such token.", code="unknown_token")

    async def revoke_all(self, user_id: int) -> int:
        deleted: int = await ApiToken.filter(user_id=user_id).delete()
        return deleted

    async def revoke_presented(self, token: str) -> None:
        await ApiToken.filter(token_hash=hash_token(token)).delete()
