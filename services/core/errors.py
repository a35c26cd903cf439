"""The one error hierarchy of ftpgram.

Services raise these; each edge maps them once: the API to an HTTP status and a JSON body
`{"error": {"code", "message"}}`, the bot to a plain sentence in the user's language.

- `AppError` — base; `code` is a stable machine-readable string, `status` the HTTP status.
  - `InvalidInput` (400) — the request is malformed or a value is out of range; `fields` maps
    field names to messages.
  - `Unauthorized` (401) — no or bad credentials.
  - `Forbidden` (403) — known caller, not allowed.
  - `NotFound` (404) — no such object, or not visible to the caller.
  - `Conflict` (409) — the state forbids it (a taken login, a download already running).
  - `Gone` (410) — it existed but is no longer available (an expired share link).
  - `PayloadTooLarge` (413) — over a configured size limit.
  - `QuotaExceeded` (507) — does not fit the user's storage quota.
  - `StorageFull` (507) — the server's disk is full.
  - `RateLimited` (429) — too many requests; `retry_after` in seconds.
  - `StationUnavailable` (502) — an FTP station failed to answer.
  - `ServiceUnavailable` (503) — a dependency (database, Telegram) is down.
- `ConfigError` — a setting is missing or malformed; stops the start with one line.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A setting is missing or malformed. The message names the key."""


class AppError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(AppError):
    status = 400
    code = "invalid_input"

    def __init__(
        self, message: str, *, code: str | None = None, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.fields = fields or {}


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Gone(AppError):
    status = 410
    code = "gone"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    maximum = 0


class RateLimited(AppError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class QuotaExceeded(AppError):
    status = 507
    code = "quota_exceeded"
    needed = 0
    free = 0


class StorageFull(AppError):
    """The server's disk has no room: not the user's quota, and nothing the user can free."""

    status = 507
    code = "storage_full"


class StationUnavailable(AppError):
    status = 502
    code = "station_unavailable"


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
