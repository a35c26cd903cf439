"""`python -m api.client ...`: the same as `ftpgram client ...`, without loading the server."""

import sys

from api.client.cli import main

sys.exit(main())
