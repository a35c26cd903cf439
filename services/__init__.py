"""ftpgram's core: domain models, business rules and ports.

Imports neither aiogram nor aiohttp.web, and never bot/ or api/.
"""
