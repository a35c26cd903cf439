import sys

from ftpgram import main

sys.exit(main())
