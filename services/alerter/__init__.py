"""Alerter: routes high scores into incidents and delivers them to Slack and signed webhooks.

The pure core (`routes`, `core`, `signing`) does no I/O; `delivery` and `service` are the shell."""
