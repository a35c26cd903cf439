"""Routers, one per handler module, in the order the dispatcher tries them:

1. `common.errors`     — maps errors from any router to a plain answer;
2. `accounts.start`    — /start, /help, /cancel: open to everyone;
3. `accounts.code`     — /code;
4. `accounts.account`  — /account and its form: registered users;
5. `files.handlers`    — files sent to the bot, /myfiles, /stats: active users;
   `accounts.tokens`   — /tokens, bot tokens for external apps: active users;
   `stations.stations` — /stations (the stations you follow), /station_files (the files on
                         them): active users;
   `downloads.handlers` — ⬇ in /station_files, /downloads and its buttons: active users;
   `passes.handlers`   — /passes, /next, /announce, /timezone and the buttons of the pass
                         announcements: active users;
6. `accounts.admin`    — /admin and decisions about users: administrators (router filter);
   `stations.admin`    — /stations_admin and the add-station wizard: administrators;
   `passes.admin`      — /pattern, a station's file name patterns: administrators;
7. `common.fallback`   — last: anything no other router took.

Each module builds a fresh Router in `create_router()`: aiogram attaches a router to one
dispatcher only, and every Dispatcher (one per process, several in the tests) needs its own.
"""

from __future__ import annotations

from aiogram import Router

from bot.accounts import account, code, start, tokens
from bot.accounts import admin as user_admin
from bot.common import errors, fallback
from bot.downloads import handlers as downloads
from bot.files import handlers as files
from bot.passes import admin as pass_admin
from bot.passes import handlers as passes
from bot.stations import admin as station_admin
from bot.stations import stations


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
        passes.create_router(),
        user_admin.create_router(),
        station_admin.create_router(),
        pass_admin.create_router(),
        fallback.create_router(),
    ]
