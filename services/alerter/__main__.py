"""`python -m services.alerter`: the same as `fieldwatch alerter`."""

import sys

from services.cli import run_service

sys.exit(run_service("alerter"))
