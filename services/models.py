"""Tortoise models: the database is ftpgram's source of truth.

This module has no side effects on import: aerich and the tests import it freely.
Edges never receive these objects; services turn them into plain views.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class User(Model):
    """A person, known by Telegram id, by login and password, or both."""

    id = fields.IntField(primary_key=True)
    telegram_id = fields.BigIntField(unique=True, null=True)
    telegram_username = fields.CharField(max_length=64, null=True)
    login = fields.CharField(max_length=20, unique=True, null=True)
    full_name = fields.CharField(max_length=200, default="")
    email = fields.CharField(max_length=254, null=True)
    password_hash = fields.CharField(max_length=255, null=True)
    is_admin = fields.BooleanField(default=False)
    is_active = fields.BooleanField(default=False)
    # None means the default quota from the settings.
    storage_quota = fields.BigIntField(null=True)
    language = fields.CharField(max_length=8, default="en")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)
    # Set when an administrator declined the registration; cleared on activation.
    rejected_at = fields.DatetimeField(null=True)
    # Set when Telegram answered 403 (the person blocked the bot); cleared when they write again.
    unreachable_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user"


class ApiToken(Model):
    """An opaque bearer token; only its SHA-256 is stored."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    label = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class LoginCode(Model):
    """A one-time code; only an HMAC of it is stored."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="login_codes", on_delete=fields.CASCADE
    )
    purpose = fields.CharField(max_length=20)
    code_hmac = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(db_index=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    failed_attempts = fields.SmallIntField(default=0)

    class Meta:
        table = "login_code"
        indexes = (("user_id", "purpose", "created_at"),)


class AuditEvent(Model):
    """Who did what, when and from where: sign-ins and administrative actions."""

    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(db_index=True)
    actor_id = fields.IntField(null=True, db_index=True)
    action = fields.CharField(max_length=40, db_index=True)
    target_user_id = fields.IntField(null=True)
    subject = fields.CharField(max_length=100, null=True, db_index=True)
    origin = fields.CharField(max_length=64, default="")
    detail = fields.TextField(default="")

    class Meta:
        table = "audit_event"


class Blob(Model):
    """Content stored once, under its SHA-256; `ref_count` counts the files that use it.

    Every change of `ref_count`, and placing or removing the file on disk, happens in a
    transaction that holds this row's lock, so a blob is never removed while a file refers to it.
    """

    sha256 = fields.CharField(max_length=64, primary_key=True)
    size = fields.BigIntField()
    ref_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "blob"


class StoredFile(Model):
    """A user's file: a named reference to a blob. Names may repeat."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="files", on_delete=fields.CASCADE
    )
    user_id: int
    blob: fields.ForeignKeyRelation[Blob] = fields.ForeignKeyField(
        "models.Blob", related_name="files", on_delete=fields.RESTRICT
    )
    blob_id: str
    name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    media_type = fields.CharField(max_length=16, db_index=True)
    mime_type = fields.CharField(max_length=127)
    source = fields.CharField(max_length=10)
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(db_index=True)
    last_download_at = fields.DatetimeField(null=True)

    class Meta:
        table = "stored_file"
        indexes = (("user_id", "created_at"),)


class ShareLink(Model):
    """An anonymous link to one file; the token is derived from SECRET_KEY, only its hash kept."""

    id = fields.IntField(primary_key=True)
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "models.StoredFile", related_name="shares", on_delete=fields.CASCADE
    )
    file_id: int
    salt = fields.CharField(max_length=32)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)
    max_downloads = fields.IntField(null=True)
    # Downloads started and not (yet) failed; a finished one stays counted.
    downloads = fields.IntField(default=0)

    class Meta:
        table = "share_link"


class Avatar(Model):
    """A profile picture (seed 001): the square crop and its thumbnails are the user's files
    with source "avatar", so they are deduplicated and counted like any other file."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="avatars", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=255)
    source_sha256 = fields.CharField(max_length=64)
    image: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "models.StoredFile", related_name="avatar_images", on_delete=fields.CASCADE
    )
    image_id: int
    width = fields.IntField()
    height = fields.IntField()
    format = fields.CharField(max_length=10)
    created_at = fields.DatetimeField()

    class Meta:
        table = "avatar"


class AvatarThumbnail(Model):
    id = fields.IntField(primary_key=True)
    avatar: fields.ForeignKeyRelation[Avatar] = fields.ForeignKeyField(
        "models.Avatar", related_name="thumbnails", on_delete=fields.CASCADE
    )
    avatar_id: int
    size = fields.IntField()
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "models.StoredFile", related_name="avatar_thumbnails", on_delete=fields.CASCADE
    )
    file_id: int

    class Meta:
        table = "avatar_thumbnail"


class BotToken(Model):
    """A token an external app uses to send messages to the token's owner (seed 004)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="bot_tokens", on_delete=fields.CASCADE
    )
    user_id: int
    label = fields.CharField(max_length=100, default="")
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)
    messages_sent = fields.IntField(default=0)
    # Rate limit state: a token bucket, and a count per UTC day.
    bucket = fields.FloatField(default=0)
    bucket_at = fields.DatetimeField(null=True)
    day = fields.CharField(max_length=10, default="")
    day_count = fields.IntField(default=0)

    class Meta:
        table = "bot_token"


class Message(Model):
    """A message to a person through the bot: the delivery queue and the history in one table.

    status: queued → sending → sent, or failed (with `error`). A message in `sending` whose
    claim has expired (its process died) is queued again.
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages", on_delete=fields.CASCADE
    )
    user_id: int
    bot_token: fields.ForeignKeyNullableRelation[BotToken] = fields.ForeignKeyField(
        "models.BotToken", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    bot_token_id: int | None
    kind = fields.CharField(max_length=10, default="text")
    text = fields.TextField(default="")
    title = fields.CharField(max_length=256, default="")
    format = fields.CharField(max_length=10, default="plain")
    silent = fields.BooleanField(default=False)
    disable_link_preview = fields.BooleanField(default=True)
    reply_markup: fields.Field[Any] = fields.JSONField(null=True)
    attachment_sha256 = fields.CharField(max_length=64, null=True)
    attachment_name = fields.CharField(max_length=255, null=True)
    status = fields.CharField(max_length=10, default="queued", db_index=True)
    attempts = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    error = fields.TextField(default="")
    telegram_message_ids: fields.Field[Any] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(db_index=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "message"
        indexes = (("status", "next_attempt_at"), ("user_id", "created_at"))


class AdminNotice(Model):
    """The message an administrator got about a new user, edited when any admin acts."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="admin_notices", on_delete=fields.CASCADE
    )
    user_id: int
    admin_telegram_id = fields.BigIntField()
    message: fields.ForeignKeyRelation[Message] = fields.ForeignKeyField(
        "models.Message", related_name="admin_notices", on_delete=fields.CASCADE
    )
    message_id: int

    class Meta:
        table = "admin_notice"


class LogEntry(Model):
    """One server event, as written by the database log handler."""

    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(db_index=True)
    level = fields.SmallIntField(db_index=True)
    logger = fields.CharField(max_length=100)
    message = fields.TextField()
    user_id = fields.IntField(null=True, db_index=True)
    station_id = fields.IntField(null=True)
    download_id = fields.IntField(null=True)

    class Meta:
        table = "log_entry"
