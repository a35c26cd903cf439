"""Tortoise models: the database is ftpgram's source of truth.

This module has no side effects on import: aerich and the tests import it freely.
Edges never receive these objects; services turn them into plain views.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

# The vocabularies of the status columns. The columns stay plain strings (a StrEnum member is
# equal to its value, so queries and rows mix freely); code names the members.


class DownloadStatus(StrEnum):
    """A person's download: queued → downloading → completed, or paused, failed (with a reason;
    can be started again), cancelled (stopped, what was fetched deleted)."""

    QUEUED = "queued"
    DOWNLOADING = "downloading"
    PAUSED = "paused"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TransferStatus(StrEnum):
    """The fetch of one station file, shared by everyone who asked for it."""

    QUEUED = "queued"
    RUNNING = "running"
    IDLE = "idle"  # nobody wants it now; partial data kept
    COMPLETED = "completed"
    FAILED = "failed"


class MessageStatus(StrEnum):
    """A message to a person: queued → sending → sent, or failed (with `error`)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class MessageKind(StrEnum):
    TEXT = "text"
    DOCUMENT = "document"
    PHOTO = "photo"


class MessageOrigin(StrEnum):
    APP = "app"  # sent by an app with a bot token, kept as history
    SERVICE = "service"  # ftpgram's own notices (codes, admin notices), never listed


class PassState(StrEnum):
    """A pass is receiving while its files still arrive or settle, complete once none has come
    for the quiet time and all are stable (then it is announced, once)."""

    RECEIVING = "receiving"
    COMPLETE = "complete"


class ExpectedState(StrEnum):
    """A predicted pass: expected until its files arrive (received) or the wait after its end
    runs out with nothing on the station (missed; admins are told once)."""

    EXPECTED = "expected"
    RECEIVED = "received"
    MISSED = "missed"


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
    # An IANA zone name (Europe/Moscow) for the times the bot and pages show this person.
    time_zone = fields.CharField(max_length=64, default="UTC")
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
    # Asked for in Telegram by the account's owner (not over the unauthenticated API): such a
    # code still works when strangers have used up the account's daily wrong guesses.
    via_bot = fields.BooleanField(default=False)

    class Meta:
        table = "login_code"
        indexes = (("user_id", "purpose", "created_at"),)


class AttemptWindow(Model):
    """How many attempts one key (a login, an address, an account) has taken in its window.

    A slot is reserved atomically before the attempt is evaluated (see services/core/throttle.py).
    """

    key = fields.CharField(max_length=120, primary_key=True)
    count = fields.IntField(default=0)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "attempt_window"


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
    # Responses that served the file (a GET answered 200 or 206: the whole file or any range),
    # each counted before its first byte and kept, also when it was cut off.
    downloads = fields.IntField(default=0)

    class Meta:
        table = "share_link"


class Avatar(Model):
    """A profile picture: the square crop and its thumbnails are the user's files
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
    """A token an external app uses to send messages to the token's owner."""

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
    attachment_size = fields.BigIntField(default=0)
    # "app": sent by an app with a bot token, kept as history; "service": ftpgram's own notices
    # (codes, admin notices), never listed in the history.
    origin = fields.CharField(max_length=10, default="app")
    # Secret text (a one-time code): kept only until it is sent or fails, then erased.
    secret = fields.BooleanField(default=False)
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


class Station(Model):
    """An FTP or FTPS server of a receiving station, added by an administrator.

    The password is stored encrypted (`services.core.secrets`); the status columns say how the last
    polls went, so every process shows the same health.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    host = fields.CharField(max_length=255)
    port = fields.IntField(default=21)
    login = fields.CharField(max_length=255, default="anonymous")
    password_encrypted = fields.TextField(default="")
    tls = fields.CharField(max_length=10, default="none")  # none | explicit | implicit
    verify_tls = fields.BooleanField(default=True)
    root = fields.CharField(max_length=1000, default="/")
    include_masks: Any = fields.JSONField(default=list)
    exclude_masks: Any = fields.JSONField(default=list)
    poll_interval = fields.IntField(default=300)  # seconds
    max_connections = fields.SmallIntField(default=2)
    encoding = fields.CharField(max_length=10, default="auto")  # auto | utf-8 | cp1251
    enabled = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    last_poll_at = fields.DatetimeField(null=True)
    last_success_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    failing = fields.BooleanField(default=False)
    consecutive_failures = fields.IntField(default=0)
    # Hash of the last listing and the number of files still waiting to become stable: a poll
    # that finds the same listing and nothing pending writes nothing but its poll record.
    listing_digest = fields.CharField(max_length=64, default="")
    pending_files = fields.IntField(default=0)
    # True until the first successful poll after creation or a change of address, root or masks:
    # the files found then are the baseline, not news.
    baseline = fields.BooleanField(default=True)
    # A poll holds the station until then: polls of one station never overlap, in any process.
    poll_lease_until = fields.DatetimeField(null=True)
    # Where the antenna is, for predicted passes (none predicted without a location).
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    altitude = fields.FloatField(default=0)  # metres
    min_elevation = fields.FloatField(default=10)  # degrees: lower passes are not expected
    # Platforms the station receives, for predictions; empty: those its files showed lately.
    platforms: Any = fields.JSONField(default=list)
    # The station's own file name patterns (services.passes.names), tried before the presets.
    name_patterns: Any = fields.JSONField(default=list)

    class Meta:
        table = "station"


class StationFile(Model):
    """A file seen on a station. `remote_path` holds the bytes the server sent (as latin-1 text)
    for RETR; `path` is the decoded name people read."""

    id = fields.BigIntField(primary_key=True)
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="files", on_delete=fields.CASCADE
    )
    station_id: int
    remote_path = fields.CharField(max_length=1000)
    path = fields.CharField(max_length=1000)
    size = fields.BigIntField()
    modified_at = fields.DatetimeField(null=True)
    first_seen_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    stable = fields.BooleanField(default=False)
    # When the file became stable, i.e. new to the people who follow the station.
    available_at = fields.DatetimeField(null=True)
    announced = fields.BooleanField(default=False)
    gone = fields.BooleanField(default=False)
    # What the name says (services.passes.names); all null when no pattern knows it.
    platform = fields.CharField(max_length=40, null=True)
    instrument = fields.CharField(max_length=40, null=True)
    level = fields.CharField(max_length=16, null=True)
    product = fields.CharField(max_length=60, null=True)
    start_at = fields.DatetimeField(null=True)
    end_at = fields.DatetimeField(null=True)
    orbit = fields.IntField(null=True)
    satellite_pass: fields.ForeignKeyNullableRelation[SatellitePass] = fields.ForeignKeyField(
        "models.SatellitePass", related_name="files", null=True, on_delete=fields.SET_NULL
    )
    satellite_pass_id: int | None

    class Meta:
        table = "station_file"
        unique_together = (("station_id", "remote_path"),)
        indexes = (
            ("station_id", "available_at"),
            ("station_id", "start_at"),
            ("satellite_pass_id",),
        )


class SatellitePass(Model):
    """One pass of one satellite over a station, as its files show it: the files whose names
    carry the same platform and orbit, or start within the tolerance of each other. The totals
    are kept from the files at each poll."""

    id = fields.BigIntField(primary_key=True)
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="passes", on_delete=fields.CASCADE
    )
    station_id: int
    platform = fields.CharField(max_length=40)
    orbit = fields.IntField(null=True)
    start_at = fields.DatetimeField()
    end_at = fields.DatetimeField()
    instruments: Any = fields.JSONField(default=list)
    file_count = fields.IntField(default=0)
    total_size = fields.BigIntField(default=0)
    state = fields.CharField(max_length=10, default=PassState.RECEIVING.value)
    # When the newest of its files was first seen: it completes once that is quiet_time ago.
    last_file_at = fields.DatetimeField()
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "satellite_pass"
        indexes = (("station_id", "start_at"), ("state", "station_id"))


class ExpectedPass(Model):
    """A pass predicted from orbital elements over a station (rise above its elevation mask,
    culmination, set) and whether its files came."""

    id = fields.BigIntField(primary_key=True)
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="expected_passes", on_delete=fields.CASCADE
    )
    station_id: int
    platform = fields.CharField(max_length=40)
    rise_at = fields.DatetimeField()
    culmination_at = fields.DatetimeField()
    set_at = fields.DatetimeField()
    max_elevation = fields.FloatField()
    state = fields.CharField(max_length=10, default=ExpectedState.EXPECTED.value)

    class Meta:
        table = "expected_pass"
        indexes = (("station_id", "rise_at"), ("state", "set_at"))


class StationPoll(Model):
    """One poll of one station: when, what it found, and how it ended."""

    id = fields.BigIntField(primary_key=True)
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="polls", on_delete=fields.CASCADE
    )
    station_id: int
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField()
    files_seen = fields.IntField(default=0)
    new_files = fields.IntField(default=0)
    gone_files = fields.IntField(default=0)
    error = fields.TextField(default="")

    class Meta:
        table = "station_poll"
        indexes = (("station_id", "started_at"),)


class UserStation(Model):
    """A station a user follows; `seen_until` marks what they have already looked at."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="stations", on_delete=fields.CASCADE
    )
    user_id: int
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="followers", on_delete=fields.CASCADE
    )
    station_id: int
    created_at = fields.DatetimeField()
    seen_until = fields.DatetimeField()
    # Which passes to announce: empty lists mean every platform / instrument.
    announce_platforms: Any = fields.JSONField(default=list)
    announce_instruments: Any = fields.JSONField(default=list)

    class Meta:
        table = "user_station"
        unique_together = (("user_id", "station_id"),)


class Transfer(Model):
    """Fetching one station file's content into storage, shared by everyone who asked for it.

    One row per station file. Its partial data lives in the blob store's part file named after
    the row; `claim` and `lease_until` say which worker runs it (renewed while it runs, so a
    dead worker's transfer is picked up again). `size` and `modified_at` are the listing's at
    the start: the file must still look like that at the end.
    """

    id = fields.BigIntField(primary_key=True)
    station_file: fields.OneToOneRelation[StationFile] = fields.OneToOneField(
        "models.StationFile", related_name="transfer", on_delete=fields.CASCADE
    )
    station_file_id: int
    station: fields.ForeignKeyRelation[Station] = fields.ForeignKeyField(
        "models.Station", related_name="transfers", on_delete=fields.CASCADE
    )
    station_id: int
    # queued | running | idle (nobody wants it now; partial data kept) | completed | failed
    status = fields.CharField(max_length=10, default="queued", db_index=True)
    size = fields.BigIntField()
    modified_at = fields.DatetimeField(null=True)
    bytes_done = fields.BigIntField(default=0)
    rate = fields.BigIntField(default=0)  # bytes per second, smoothed
    sha256 = fields.CharField(max_length=64, null=True)
    error = fields.TextField(default="")
    error_code = fields.CharField(max_length=32, default="")
    # Set when the station refused to resume (REST) and the transfer started over.
    restarted = fields.BooleanField(default=False)
    # The station's MDTM of the file when the partial data began: a resume first checks that
    # the file is still that one (a file replaced with one of the same size would otherwise
    # be stored as a mix of both).
    remote_stamp = fields.CharField(max_length=32, default="")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claim = fields.CharField(max_length=32, default="")
    lease_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "transfer"
        indexes = (("status", "next_attempt_at"),)


# Download statuses that still hold a claim on the file (and reserve its size in the quota).
DOWNLOAD_HOLDING = (DownloadStatus.QUEUED, DownloadStatus.DOWNLOADING, DownloadStatus.PAUSED)


class Download(Model):
    """A user's request for a station file: its own status, and the file it became.

    The name, path and size are copied from the station file, so the entry keeps making sense
    when the station or its file is gone.
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="downloads", on_delete=fields.CASCADE
    )
    user_id: int
    station_file: fields.ForeignKeyNullableRelation[StationFile] = fields.ForeignKeyField(
        "models.StationFile", related_name="downloads", null=True, on_delete=fields.SET_NULL
    )
    station_file_id: int | None
    transfer: fields.ForeignKeyNullableRelation[Transfer] = fields.ForeignKeyField(
        "models.Transfer", related_name="downloads", null=True, on_delete=fields.SET_NULL
    )
    transfer_id: int | None
    file: fields.ForeignKeyNullableRelation[StoredFile] = fields.ForeignKeyField(
        "models.StoredFile", related_name="downloads", null=True, on_delete=fields.SET_NULL
    )
    file_id: int | None
    station_name = fields.CharField(max_length=100)
    path = fields.CharField(max_length=1000)
    name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    # queued | downloading | paused | completed | failed | cancelled
    status = fields.CharField(max_length=12, default=DownloadStatus.QUEUED.value)
    error = fields.TextField(default="")
    error_code = fields.CharField(max_length=32, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "download"
        unique_together = (("user_id", "station_file_id"),)
        indexes = (("user_id", "status"), ("transfer_id", "status"))


class DownloadBoard(Model):
    """A chat's live list of downloads: the one bot message edited while downloads move."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="download_board", on_delete=fields.CASCADE
    )
    user_id: int
    message_id = fields.BigIntField()
    page = fields.IntField(default=1)
    # What the message shows now, so an unchanged board is not edited.
    digest = fields.CharField(max_length=64, default="")
    # The next edit is due then (at most every few seconds; later after Telegram's retry_after).
    next_edit_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "download_board"


class UploadSession(Model):
    """An upload that arrives over as many requests as it takes (resumable uploads).

    The bytes received so far live in the blob store's part file named after the row;
    `received` counts only bytes already synced to that file. `writer` and `busy_until` say
    which request is appending now, so two requests never write the same part at once.
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="upload_sessions", on_delete=fields.CASCADE
    )
    user_id: int
    name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    # Declared by the client; the content must match it at the end.
    sha256 = fields.CharField(max_length=64, null=True)
    received = fields.BigIntField(default=0)
    writer = fields.CharField(max_length=32, default="")
    busy_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    # Renewed by every request that sends bytes; expired sessions and their parts are swept.
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "upload_session"
        indexes = (("user_id", "sha256"),)
