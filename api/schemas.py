"""Request and response bodies shared across resources. They also feed the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.accounts.users import UserView

# What an id column holds: PostgreSQL's serial ids are 32-bit, and the driver fails on a larger
# one. Path ids beyond it are a 404 (`api.openapi`); body and query ids use `Id`.
ROW_ID_MAX = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]
# Far beyond any real listing, and (page - 1) * per_page stays a 64-bit OFFSET.
MAX_PAGE = 2**31 - 1


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable error code")
    message: str = Field(description="What went wrong, for people")
    fields: dict[str, str] | None = Field(default=None, description="Per-field problems")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Page(BaseModel):
    page: int
    per_page: int
    total: int


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# A moment given in a query or body: without a zone ("2023-01-01", "2023-01-01T12:00") it is UTC.
Instant = Annotated[datetime, AfterValidator(_aware)]


class PageQuery(BaseModel):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    per_page: int = Field(default=50, ge=1, le=500)


class UserOut(BaseModel):
    id: int
    telegram_id: int | None
    telegram_username: str | None
    login: str | None
    full_name: str
    email: str | None
    is_admin: bool
    is_active: bool
    state: str = Field(description="active, pending or rejected")
    language: str
    time_zone: str = Field(description="IANA zone the bot and pages show times in")
    created_at: datetime
    last_seen_at: datetime | None

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, user: UserView) -> UserOut:
        return cls.model_validate(user)


class SignedIn(BaseModel):
    token: str = Field(description="Bearer token; shown once, keep it secret")
    user: UserOut
