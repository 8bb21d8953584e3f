"""Shared runtime for the Fieldwatch services: settings, config files, logging, metrics,
the HTTP endpoints, the Kafka stream loop, the local broker and process lifecycle."""
