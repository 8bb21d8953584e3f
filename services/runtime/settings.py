"""Settings read once from the environment into frozen dataclasses.

Every variable is `FIELDWATCH_`-prefixed and listed in the README's configuration table.
Casts are explicit; an invalid value raises `ConfigError` naming the variable and the value
(all problems at once); secrets are wrapped in `Secret`, which never prints its value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from services.runtime.errors import ConfigError, ConfigProblem

T = TypeVar("T")

DEFAULT_PORTS = {"collector": 9101, "classifier": 9102, "alerter": 9103}


class Secret:
    """A secret value: `str()` and `repr()` are masked; `reveal()` returns the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap: str = "127.0.0.1:9092"
    topic_prefix: str = "fieldwatch"
    idempotence: bool = True
    linger_ms: int = 5
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: Secret | None = None
    ssl_cafile: str | None = None
    batch_max: int = 500
    partitions: int = 3
    commit_interval: float = 1.0
    # The largest record the broker takes (its message.max.bytes; Kafka's default is 1048588):
    # a larger one would fail its whole batch on every retry, so a service dead-letters it.
    max_record_bytes: int = 1_000_000

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}.{name}"


@dataclass(frozen=True)
class Settings:
    service: str
    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    http_host: str = "0.0.0.0"
    http_port: int = 9101
    drain_timeout: float = 20.0
    log_level: str = "info"
    log_format: str = "auto"
    sources_file: Path | None = None
    watchlist_file: Path | None = None
    routes_file: Path | None = None
    config_poll_interval: float = 2.0
    ingest_token: Secret | None = None
    ingest_max_bytes: int = 5 * 1024 * 1024
    group_id: str = ""
    state_dir: Path | None = None


class _Reader:
    """Reads and casts variables, collecting every problem before raising once."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[ConfigProblem] = []

    def get(self, name: str, cast: Callable[[str], T], default: T) -> T:
        raw = self.env.get(name)
        if raw is None or raw == "":
            return default
        try:
            return cast(raw)
        except (ValueError, TypeError) as exc:
            self.problems.append(ConfigProblem(source=name, message=f"{exc} (got {raw!r})"))
            return default

    def secret(self, name: str) -> Secret | None:
        raw = self.env.get(name)
        return Secret(raw) if raw else None


def parse_bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of true/false/1/0/yes/no/on/off")


def parse_port(raw: str) -> int:
    port = int(raw)
    if not 0 <= port <= 65535:
        raise ValueError("port must be between 0 and 65535")
    return port


def positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive integer")
    return value


def positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("must be a positive number")
    return value


def non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0:
        raise ValueError("must be zero or a positive number")
    return value


def one_of(*choices: str) -> Callable[[str], str]:
    def cast(raw: str) -> str:
        value = raw.strip()
        if value.upper() in {c.upper() for c in choices}:
            return next(c for c in choices if c.upper() == value.upper())
        raise ValueError(f"expected one of {', '.join(choices)}")

    return cast


def topic_prefix(raw: str) -> str:
    value = raw.strip()
    if not value or not all(c.isalnum() or c in "._-" for c in value):
        raise ValueError("topic prefix may contain only letters, digits, '.', '_' and '-'")
    return value


def load_settings(service: str, env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings of `service` from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    r = _Reader(env)
    prefix = r.get("FIELDWATCH_TOPIC_PREFIX", topic_prefix, "fieldwatch")
    kafka = KafkaSettings(
        bootstrap=r.get("FIELDWATCH_KAFKA_BOOTSTRAP", str.strip, "127.0.0.1:9092"),
        topic_prefix=prefix,
        idempotence=r.get("FIELDWATCH_KAFKA_IDEMPOTENCE", parse_bool, True),
        linger_ms=r.get("FIELDWATCH_KAFKA_LINGER_MS", int, 5),
        security_protocol=r.get(
            "FIELDWATCH_KAFKA_SECURITY_PROTOCOL",
            one_of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
            "PLAINTEXT",
        ),
        sasl_mechanism=r.get(
            "FIELDWATCH_KAFKA_SASL_MECHANISM",
            one_of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
            None,
        ),
        sasl_username=r.get("FIELDWATCH_KAFKA_SASL_USERNAME", str, None),
        sasl_password=r.secret("FIELDWATCH_KAFKA_SASL_PASSWORD"),
        ssl_cafile=r.get("FIELDWATCH_KAFKA_SSL_CAFILE", str, None),
        batch_max=r.get("FIELDWATCH_BATCH_MAX", positive_int, 500),
        partitions=r.get("FIELDWATCH_TOPIC_PARTITIONS", positive_int, 3),
        commit_interval=r.get("FIELDWATCH_COMMIT_INTERVAL", non_negative_float, 1.0),
        max_record_bytes=r.get("FIELDWATCH_MAX_RECORD_BYTES", positive_int, 1_000_000),
    )
    settings = Settings(
        service=service,
        kafka=kafka,
        http_host=r.get("FIELDWATCH_HTTP_HOST", str.strip, "0.0.0.0"),
        http_port=r.get("FIELDWATCH_HTTP_PORT", parse_port, DEFAULT_PORTS.get(service, 9100)),
        drain_timeout=r.get("FIELDWATCH_DRAIN_TIMEOUT", positive_float, 20.0),
        log_level=r.get(
            "FIELDWATCH_LOG_LEVEL", one_of("debug", "info", "warning", "error"), "info"
        ).lower(),
        log_format=r.get("FIELDWATCH_LOG_FORMAT", one_of("auto", "json", "console"), "auto"),
        sources_file=r.get("FIELDWATCH_SOURCES", Path, None),
        watchlist_file=r.get("FIELDWATCH_WATCHLIST", Path, None),
        routes_file=r.get("FIELDWATCH_ROUTES", Path, None),
        config_poll_interval=r.get("FIELDWATCH_CONFIG_POLL_INTERVAL", positive_float, 2.0),
        ingest_token=r.secret("FIELDWATCH_INGEST_TOKEN"),
        ingest_max_bytes=r.get("FIELDWATCH_INGEST_MAX_BYTES", positive_int, 5 * 1024 * 1024),
        group_id=r.get("FIELDWATCH_GROUP_ID", str.strip, f"{prefix}.{service}"),
        state_dir=r.get("FIELDWATCH_STATE_DIR", Path, None),
    )
    if r.problems:
        raise ConfigError(r.problems)
    return settings
