"""What can go wrong in the client, and the exit code each failure leaves with.

Scripts tell failures apart by the code alone; the message (on stderr) is for people.
"""

from __future__ import annotations

OK = 0
REFUSED = 1  # the server understood and said no: a conflict, the quota, an invalid value
USAGE = 2  # the command line is wrong: an unknown option, a missing file, no server named
AUTH = 3  # not logged in, a token the server does not accept, or not allowed
NOT_FOUND = 4  # no such file, download, station or upload on the server
UNAVAILABLE = 5  # the server cannot be reached, or answers with a server error
INTERRUPTED = 130  # Ctrl-C; an upload or download continues where it stopped next time


class ClientError(Exception):
    """A failure to report in one line, with the exit code it means."""

    def __init__(self, message: str, exit_code: int = REFUSED, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.code = code


def exit_code_for(status: int) -> int:
    """The exit code an HTTP error status means."""
    if status in (401, 403):
        return AUTH
    if status in (404, 410):
        return NOT_FOUND
    if status >= 500:
        return UNAVAILABLE
    return REFUSED
