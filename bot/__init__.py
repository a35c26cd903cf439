"""The Telegram edge: parses updates, calls one service, renders texts and keyboards.

One folder per feature, each with its handlers (a router per module), `texts.py` and
`keyboards.py`:

- `accounts/`  — /start, /help, /cancel; /code; /account; /tokens (bot tokens); /admin (users);
- `files/`     — files sent to the bot, /myfiles, /stats; `telegram_files` (Bot API limits);
- `stations/`  — /stations and /station_files (`stations`); /stations_admin and the wizard
                 (`admin`);
- `downloads/` — ⬇ in /station_files, /downloads; `boards` (the live downloads message);
- `common/`    — what features share: texts (formatting, plain answers, errors), keyboard bits,
                 and the `errors` and `fallback` routers.

A feature imports `common/` and the shared modules here, never another feature; `common/`
imports no feature. Shared modules: `routers` (every router, in the order the dispatcher tries
them), `factory` (bot, dispatcher, webhook), `middlewares`, `filters` (access rules), `i18n`,
`commands` (the command menu), `callbacks` (every CallbackData), `states` (FSM states),
`gateway` (Bot API calls for the delivery queue), `notifier` (every capability's notices).
"""
