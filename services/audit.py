"""The audit log: sign-ins and administrative actions, with who, what, when and from where.

Edges set the origin once per request or update (`set_origin`): an IP address for HTTP, "telegram"
for the bot. Failed sign-ins recorded here also feed the password-guessing limit.
"""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime, timedelta

from services.models import AuditEvent

_origin: contextvars.ContextVar[str] = contextvars.ContextVar("audit_origin", default="")


def set_origin(origin: str) -> None:
    _origin.set(origin[:64])


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

    async def count_recent(self, action: str, *, subject: str, within: timedelta) -> int:
        since = datetime.now(UTC) - within
        count: int = await AuditEvent.filter(
            action=action, subject=subject, created_at__gte=since
        ).count()
        return count
