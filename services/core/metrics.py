"""Metrics in Prometheus' text format (`render`): what each process counted since it started
(bytes received, messages sent, Telegram's flood limits, station polls, HTTP requests), its own
memory and CPU, and the queues as the database holds them when scraped.

Counters belong to the process that counted them, so Prometheus scrapes every process at its own
address. The gauges read from the database (`ftpgram_transfers`, `ftpgram_download_queue`,
`ftpgram_telegram_queue`) are the whole cluster's and the same whichever process answers: take
`max` of them across processes, never `sum`. The objects live in this module's own registry, as
prometheus-client intends; the services and the API only call the small functions below.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from tortoise.expressions import Q
from tortoise.functions import Count

from services.core.models import Message, MessageStatus, Transfer, TransferStatus

REGISTRY = CollectorRegistry(auto_describe=True)
# The process's memory, CPU time and open files (process_*), the Python it runs (python_info),
# and its garbage collector (python_gc_*).
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

# ---- counted by this process -----------------------------------------------------------------

BYTES_RECEIVED = Counter(
    "ftpgram_bytes_received",
    "Bytes received from stations by downloads",
    registry=REGISTRY,
)
MESSAGES = Counter(
    "ftpgram_telegram_messages",
    "Messages to people through Telegram, by outcome (sent, flood_limited, failed)",
    ["outcome"],
    registry=REGISTRY,
)
for _outcome in ("sent", "flood_limited", "failed"):  # at 0 from the start, for rate()
    MESSAGES.labels(_outcome)
POLLS = Counter(
    "ftpgram_station_polls",
    "Station polls, by station id and outcome (ok, failed)",
    ["station", "outcome"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "ftpgram_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "ftpgram_http_request_duration_seconds",
    "Time from an HTTP request's arrival to its answer's status line (a WebSocket's upgrade, a "
    "download's first byte), by route template and method",
    ["route", "method"],
    registry=REGISTRY,
)

# The route label of a request no route took (an unknown path, a method the path does not allow).
UNMATCHED = "unmatched"
# Any other method counts as "other": the method is the client's to choose, the labels are not.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# ---- read from the database when scraped -----------------------------------------------------

TRANSFERS = Gauge(
    "ftpgram_transfers",
    "Transfers (fetches of station files) in the database, by status",
    ["status"],
    registry=REGISTRY,
)
DOWNLOAD_QUEUE = Gauge(
    "ftpgram_download_queue",
    "Transfers a download worker would start now: queued and due, or left by a process that died",
    registry=REGISTRY,
)
TELEGRAM_QUEUE = Gauge(
    "ftpgram_telegram_queue",
    "Messages to people not through yet: queued (due or waiting to retry) or being sent",
    registry=REGISTRY,
)


def bytes_received(count: int) -> None:
    if count > 0:
        BYTES_RECEIVED.inc(count)


def message(outcome: str) -> None:
    MESSAGES.labels(outcome).inc()


def poll(station_id: int, ok: bool) -> None:
    POLLS.labels(str(station_id), "ok" if ok else "failed").inc()


def http_request(route: str, method: str, status: int, seconds: float | None) -> None:
    """One answered request. `route` must come from a fixed set (a route's template, or
    `UNMATCHED`), never from the raw path: every distinct value is a new series kept for the
    life of the process. `seconds` None: the answer time is unknown, only the request counts."""
    method = method.upper()
    if method not in HTTP_METHODS:
        method = "other"
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    if seconds is not None:
        HTTP_DURATION.labels(route, method).observe(seconds)


async def render() -> bytes:
    """The exposition: this process's counters, and the database's queues read now."""
    await _read_queues()
    return generate_latest(REGISTRY)


async def _read_queues() -> None:
    """Three aggregate queries; a status no row has reads 0, so every series is always there."""
    now = datetime.now(UTC)
    counts = dict(
        await Transfer.annotate(count=Count("id")).group_by("status").values_list("status", "count")
    )
    for status in TransferStatus:
        TRANSFERS.labels(status.value).set(int(counts.get(status.value, 0)))
    # What `DownloadWorker.fill` takes: due now, or running under a lease that ran out.
    DOWNLOAD_QUEUE.set(
        await Transfer.filter(
            Q(status=TransferStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=TransferStatus.RUNNING, lease_until__lt=now)
        ).count()
    )
    TELEGRAM_QUEUE.set(
        await Message.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]).count()
    )
