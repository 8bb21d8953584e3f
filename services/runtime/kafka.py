"""Kafka clients built from `KafkaSettings`: the topic names, producer and consumer
configuration (acks=all, small linger, idempotence where the broker supports it, TLS/SASL),
and topic creation with the admin client."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

from services.runtime.errors import TransientError
from services.runtime.produce import crc32_partitioner
from services.runtime.settings import KafkaSettings


@dataclass(frozen=True)
class Topics:
    """The topic names of one deployment (all share the configured prefix)."""

    posts: str
    scored: str
    alerts: str
    dlq: str
    checkpoints: str
    incidents: str

    @classmethod
    def from_prefix(cls, prefix: str) -> Topics:
        return cls(
            posts=f"{prefix}.posts",
            scored=f"{prefix}.scored",
            alerts=f"{prefix}.alerts",
            dlq=f"{prefix}.dlq",
            checkpoints=f"{prefix}.checkpoints",
            incidents=f"{prefix}.incidents",
        )

    def all(self) -> list[str]:
        return [self.posts, self.scored, self.alerts, self.dlq, self.checkpoints, self.incidents]

    def compacted(self) -> set[str]:
        return {self.checkpoints, self.incidents}


def _security(settings: KafkaSettings) -> dict[str, Any]:
    conf: dict[str, Any] = {"security_protocol": settings.security_protocol}
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        conf["ssl_context"] = ssl.create_default_context(cafile=settings.ssl_cafile)
    if settings.security_protocol.startswith("SASL"):
        conf["sasl_mechanism"] = settings.sasl_mechanism or "SCRAM-SHA-512"
        conf["sasl_plain_username"] = settings.sasl_username
        conf["sasl_plain_password"] = (
            settings.sasl_password.reveal() if settings.sasl_password else None
        )
    return conf


def make_producer(settings: KafkaSettings, **overrides: Any) -> AIOKafkaProducer:
    conf: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap,
        "acks": "all",
        "linger_ms": settings.linger_ms,
        "enable_idempotence": settings.idempotence,
        "max_batch_size": 256 * 1024,
        "max_request_size": 4 * 1024 * 1024,
        "partitioner": crc32_partitioner,
        "request_timeout_ms": 30000,
        **_security(settings),
    }
    conf.update(overrides)
    return AIOKafkaProducer(**conf)


def make_consumer(
    settings: KafkaSettings, *topics: str, group_id: str, **overrides: Any
) -> AIOKafkaConsumer:
    conf: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap,
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "max_poll_records": settings.batch_max,
        "isolation_level": "read_uncommitted",
        "fetch_max_wait_ms": 100,
        **_security(settings),
    }
    conf.update(overrides)
    return AIOKafkaConsumer(*topics, **conf)


def make_admin(settings: KafkaSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap, **_security(settings))


async def ensure_topics(
    settings: KafkaSettings, topics: Topics | None = None, *, timeout: float = 30.0
) -> None:
    """Create the deployment's topics if they are missing (idempotent).

    In production Strimzi `KafkaTopic` resources own the topics; this is for local runs, tests
    and clusters that let clients create topics."""
    topics = topics or Topics.from_prefix(settings.topic_prefix)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        admin = make_admin(settings)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            new = []
            for name in topics.all():
                if name in existing:
                    continue
                configs = {"cleanup.policy": "compact"} if name in topics.compacted() else {}
                partitions = 1 if name in topics.compacted() else settings.partitions
                new.append(NewTopic(name, partitions, 1, topic_configs=configs))
            if new:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(new)
            return
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            if asyncio.get_running_loop().time() > deadline:
                raise TransientError(
                    f"cannot create topics on {settings.bootstrap}: {exc}"
                ) from exc
            await asyncio.sleep(0.5)
        finally:
            await admin.close()
