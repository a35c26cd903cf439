"""Time, passed in: the intervals of the background loops and live views.

The defaults are what production runs; tests pass shorter ones, so they wait tens of
milliseconds for what takes seconds in production instead of sleeping. Settings an operator
tunes (poll intervals, settle times, retries, leases) live in `Settings`; these are the rhythms
of the program itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    # The Telegram live downloads message: at least this long between two edits of one chat's
    # message (Telegram's limits on edits), and this long at most between two looks for
    # messages due when no event arrives (a change made by another process).
    live_edit: float = 5.0
    live_look: float = 1.0
    # A WebSocket watcher: progress sent at most this often per download; the database re-read
    # and the watcher's access checked again this often without an event; a heartbeat when
    # nothing was sent for this long.
    progress: float = 1.0
    recheck: float = 5.0
    heartbeat: float = 15.0
    # The download worker: how often running transfers record progress and renew their lease,
    # and how often the queue is read without a wake-up.
    worker_tick: float = 1.0
    # The delivery queue's sender: how often the queue is read without a wake-up (retries coming
    # due, messages queued by another process).
    sender_look: float = 0.5


PRODUCTION = Timing()
