"""Request and response bodies shared across resources. They also feed the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class PageQuery(BaseModel):
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=50, ge=1, le=500)
