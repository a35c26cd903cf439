"""The program's rhythms, shortened: a test waits tens of milliseconds where production waits
seconds. The live message keeps a spacing long enough to be measured."""

from __future__ import annotations

from services.core.clock import Timing

FAST = Timing(
    live_edit=1.0, live_look=0.05, progress=1.0, recheck=0.5, heartbeat=15.0, worker_tick=0.2
)
