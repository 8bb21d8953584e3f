"""Fieldwatch: collector, classifier and alerter services with their shared runtime."""

__version__ = "0.1.0"
