"""ftpgram: a Telegram-first file gateway for satellite receiving stations.

    ftpgram run       start the bot, the HTTP API and the scheduler in one process
    ftpgram migrate   apply the database migrations and exit
    ftpgram client    the command-line client of a running server (client/)

The command line dispatches before importing anything heavy: the client starts at once, and the
server's modules load only for the server's commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["client"]:  # its own parser, settings and exit codes
        from client.cli import main as client_main

        return client_main(arguments[1:])
    parser = argparse.ArgumentParser(prog="ftpgram", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot, the HTTP API and the scheduler")
    commands.add_parser("migrate", help="apply database migrations and exit")
    commands.add_parser("client", help="the command-line client (ftpgram client --help)")
    args = parser.parse_args(arguments)

    from ftpgram.app import server_main  # the server's modules, only for its commands

    return server_main([args.command])
