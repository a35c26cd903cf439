"""Routers, one per feature module, in the order the dispatcher tries them:

1. `start`    — /start and /help, open to everyone;
2. `fallback` — last: anything no other router took.
Errors from any router are handled by `errors`.

Each module builds a fresh Router in `create_router()`: aiogram attaches a router to one
dispatcher only, and every Dispatcher (one per process, several in the tests) needs its own.
"""

from __future__ import annotations

from aiogram import Router

from bot.handlers import errors, fallback, start


def get_routers() -> list[Router]:
    return [errors.create_router(), start.create_router(), fallback.create_router()]
