"""`python -m client ...`: the same as `ftpgram client ...`, without loading the server."""

import sys

from client.cli import main

sys.exit(main())
