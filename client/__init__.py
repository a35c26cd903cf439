"""ftpgram's own client of its HTTP API and the `ftpgram client` command line built on it.

It talks to an ftpgram server over HTTP only (aiohttp's client), so it imports nothing of the
server, and aiohttp only once a command talks to one: `ftpgram client`, `ftpgram-client` and
`python -m client` start at once.
"""
