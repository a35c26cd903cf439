"""ftpgram's service layer: the business rules, shared by the bot, the API and the scheduler.

One package per capability, each owning its views and the small ports (Protocols) it needs from
the edges; `container.py` builds them all once, `scheduler.py` runs their periodic jobs.

    core/       errors, settings, database and models, clock, event bus, logs, health, limits
    accounts/   people: registration, passwords, codes, tokens, Mini App sign-in, audit
    storage/    stored files: content by SHA-256, quotas, uploads, share links, avatars
    ftp/        the FTP/FTPS client and the receiving of a file into a partial file
    stations/   station settings, following, polling, announcements
    downloads/  station files pulled into storage: requests, the worker, live progress
    messaging/  the delivery queue to Telegram and the bot-token gateway for external apps

A capability imports only capabilities below it (core ← accounts ← storage ← messaging;
ftp ← stations ← downloads): `python -m tests.tools.import_graph` prints the graph, and
tests/test_architecture.py fails on a cycle. Imports neither aiogram nor aiohttp.web, and never
bot/ or api/.
"""
