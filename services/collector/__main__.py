"""`python -m services.collector`: the same as `fieldwatch collector`."""

import sys

from services.cli import run_service

sys.exit(run_service("collector"))
