"""structlog set-up: JSON lines (rendered by orjson) when stderr is not a TTY, a readable
console renderer on a TTY. Context (topic, partition, offset, post id) is bound with
`structlog.contextvars` around each unit of work. Event names are snake_case facts."""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
import structlog

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


def _orjson_dumps(obj: Any, default: Any = None) -> str:
    return orjson.dumps(obj, default=default).decode()


def configure_logging(level: str = "info", fmt: str = "auto", service: str | None = None) -> None:
    """Configure structlog for the process; safe to call more than once."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    if use_console:
        processors.append(structlog.dev.ConsoleRenderer())
    else:
        processors.append(structlog.processors.JSONRenderer(serializer=_orjson_dumps))
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS.get(level, 20)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    if service:
        structlog.contextvars.bind_contextvars(service=service)
    # Libraries log through the standard library: keep them quiet unless they have news.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.ERROR)


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
