"""Routers, one per feature module, in the order the dispatcher tries them:

1. `errors`   — maps errors from any router to a plain answer;
2. `start`    — /start, /help, /cancel: open to everyone;
3. `code`     — /code;
4. `account`  — /account and its form: registered users;
5. `files`    — files sent to the bot, /myfiles, /stats: active users;
   `tokens`   — /tokens, bot tokens for external apps: active users;
   `stations` — /stations (the stations you follow), /files (the files on them): active users;
   `downloads` — ⬇ in /files, /downloads and its buttons: active users;
6. `admin`    — /admin and decisions about users: administrators (router filter);
   `station_admin` — /stations_admin and the add-station wizard: administrators;
7. `fallback` — last: anything no other router took.

Each module builds a fresh Router in `create_router()`: aiogram attaches a router to one
dispatcher only, and every Dispatcher (one per process, several in the tests) needs its own.
"""

from __future__ import annotations

from aiogram import Router

from bot.handlers import (
    account,
    admin,
    code,
    downloads,
    errors,
    fallback,
    files,
    start,
    station_admin,
    stations,
    tokens,
)


def get_routers() -> list[Router]:
    return [
        errors.create_router(),
        start.create_router(),
        code.create_router(),
        account.create_router(),
        files.create_router(),
        tokens.create_router(),
        stations.create_router(),
        downloads.create_router(),
        admin.create_router(),
        station_admin.create_router(),
        fallback.create_router(),
    ]
