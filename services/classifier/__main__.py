"""`python -m services.classifier`: the same as `fieldwatch classifier`."""

import sys

from services.cli import run_service

sys.exit(run_service("classifier"))
