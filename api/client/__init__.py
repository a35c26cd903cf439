"""ftpgram's own client of its HTTP API and the `ftpgram client` command line built on it.

It talks to any ftpgram server over HTTP only (aiohttp's client), so it imports nothing of the
server: `python -m api.client` starts in a fraction of the time `ftpgram client` needs.
"""
