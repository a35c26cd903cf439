"""The audit log: sign-ins and administrative actions, with who, what, when and from where.

Edges set the origin once per request or update (`set_origin`): an IP address for HTTP, "telegram"
for the bot.
"""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime

from services.core.models import AuditEvent

TELEGRAM = "telegram"  # the origin of everything the bot handles
_origin: contextvars.ContextVar[str] = contextvars.ContextVar("audit_origin", default="")


def set_origin(origin: str) -> None:
    _origin.set(origin[:64])


def current_origin() -> str:
    """Where the request being handled comes from (an IP address, or "telegram")."""
    return _origin.get()


class AuditService:
    async def record(
        self,
        action: str,
        *,
        actor_id: int | None = None,
        target_user_id: int | None = None,
        subject: str | None = None,
        detail: str = "",
    ) -> None:
        await AuditEvent.create(
            created_at=datetime.now(UTC),
            action=action,
            actor_id=actor_id,
            target_user_id=target_user_id,
            subject=subject[:100] if subject else None,
            origin=_origin.get(),
            detail=detail,
        )
