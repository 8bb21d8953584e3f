"""The Fieldwatch exception tree, and the error policy each stage applies to it.

    FieldwatchError                 base of everything raised on purpose
    ├── ConfigError                 a setting or config file is invalid: names the file, line,
    │                               field (or environment variable) and the bad value.
    │                               At start: the service refuses to start. On reload: the
    │                               running service keeps its last good config.
    ├── PoisonMessage               one message can never be processed (undecodable, invalid
    │                               against its schema, rejected by a handler): it goes to the
    │                               dead-letter topic with `reason`, then its offset is committed.
    ├── TransientError              may succeed if tried again (timeouts, 5xx, broker hiccups):
    │                               bounded retry with backoff; `retriable` is True.
    └── Backpressure                a sink cannot take more now (429, a destination backed up):
                                    pause consumption, do not commit, retry after `retry_after`.

Anything else is unexpected: the service crashes and the orchestrator restarts it from the last
committed offset, which at-least-once delivery makes safe.
"""

from __future__ import annotations

from dataclasses import dataclass


class FieldwatchError(Exception):
    """Base class of the errors Fieldwatch raises on purpose."""

    retriable: bool = False


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in one config source: where it is and what is wrong."""

    source: str  # a file path or an environment variable name
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ConfigError(FieldwatchError):
    """A setting or config file is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[ConfigProblem] | ConfigProblem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, source: str, message: str, *, line: int | None = None, field: str | None = None
    ) -> ConfigError:
        return cls(ConfigProblem(source=source, message=message, line=line, field=field))


class PoisonMessage(FieldwatchError):
    """A message that can never be processed. `reason` is a short closed-set label for metrics;
    the message text says what exactly was wrong (field names, positions)."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


class TransientError(FieldwatchError):
    """An operation failed in a way that may succeed if retried."""

    retriable = True


class Backpressure(FieldwatchError):
    """A downstream sink cannot take more now; try again after `retry_after` seconds."""

    retriable = True

    def __init__(self, retry_after: float, detail: str = "") -> None:
        self.retry_after = retry_after
        self.detail = detail
        super().__init__(f"backpressure for {retry_after:.1f}s: {detail}")
