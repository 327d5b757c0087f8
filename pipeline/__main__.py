"""`python -m pipeline build …`: see pipeline.cli."""

import sys

from pipeline.cli import main

sys.exit(main())
