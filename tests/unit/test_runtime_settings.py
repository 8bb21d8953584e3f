"""Settings: defaults, explicit casts, every problem named with its variable, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from services.runtime.errors import ConfigError
from services.runtime.settings import Secret, load_settings

pytestmark = pytest.mark.unit


def test_defaults_follow_the_contract() -> None:
    s = load_settings("classifier", {})
    assert s.kafka.bootstrap == "127.0.0.1:9092"
    assert s.kafka.topic_prefix == "fieldwatch"
    assert s.http_port == 9102
    assert load_settings("collector", {}).http_port == 9101
    assert load_settings("alerter", {}).http_port == 9103
    assert s.group_id == "fieldwatch.classifier"
    assert s.kafka.idempotence is True


def test_values_are_cast() -> None:
    s = load_settings(
        "alerter",
        {
            "FIELDWATCH_KAFKA_BOOTSTRAP": "k1:9092,k2:9092",
            "FIELDWATCH_TOPIC_PREFIX": "prod",
            "FIELDWATCH_HTTP_PORT": "8080",
            "FIELDWATCH_KAFKA_IDEMPOTENCE": "off",
            "FIELDWATCH_ROUTES": "/etc/fieldwatch/routes.yaml",
            "FIELDWATCH_DRAIN_TIMEOUT": "5.5",
        },
    )
    assert s.kafka.bootstrap == "k1:9092,k2:9092"
    assert s.kafka.topic("posts") == "prod.posts"
    assert s.http_port == 8080
    assert s.kafka.idempotence is False
    assert s.routes_file == Path("/etc/fieldwatch/routes.yaml")
    assert s.drain_timeout == 5.5
    assert s.group_id == "prod.alerter"


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("FIELDWATCH_HTTP_PORT", "99999", "between 0 and 65535"),
        ("FIELDWATCH_HTTP_PORT", "http", "invalid literal"),
        ("FIELDWATCH_KAFKA_IDEMPOTENCE", "maybe", "expected one of"),
        ("FIELDWATCH_DRAIN_TIMEOUT", "-1", "positive"),
        ("FIELDWATCH_TOPIC_PREFIX", "a b", "letters, digits"),
        ("FIELDWATCH_LOG_FORMAT", "xml", "expected one of"),
        ("FIELDWATCH_KAFKA_SECURITY_PROTOCOL", "TLS", "expected one of"),
    ],
)
def test_invalid_values_name_the_variable_and_value(
    variable: str, value: str, fragment: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings("collector", {variable: value})
    message = str(info.value)
    assert variable in message
    assert repr(value) in message
    assert fragment in message


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings("collector", {"FIELDWATCH_HTTP_PORT": "x", "FIELDWATCH_BATCH_MAX": "0"})
    assert len(info.value.problems) == 2


def test_secrets_never_print() -> None:
    s = load_settings(
        "collector",
        {"FIELDWATCH_INGEST_TOKEN": "hunter2", "FIELDWATCH_KAFKA_SASL_PASSWORD": "s3cret"},
    )
    assert isinstance(s.ingest_token, Secret)
    assert s.ingest_token.reveal() == "hunter2"
    text = repr(s) + str(s)
    assert "hunter2" not in text
    assert "s3cret" not in text
