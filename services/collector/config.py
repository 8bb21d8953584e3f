"""The sources file (`FIELDWATCH_SOURCES`): parsed, schema-validated, checked (unique names,
credentials only by environment variable name) and turned into `SourceSpec` values; and the
registry of adapter factories by source type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.collector.sources.base import Source, SourceSpec
from services.collector.sources.replay import ReplaySource
from services.runtime.config import Document, parse_duration, read_document
from services.runtime.errors import ConfigError, ConfigProblem

SourceFactory = Callable[[SourceSpec], Source]

FACTORIES: dict[str, SourceFactory] = {"replay": ReplaySource}

DEFAULT_POLL = {"rss": 300.0, "reddit": 60.0, "telegram": 120.0, "mastodon": 60.0, "vk": 120.0}


@dataclass(frozen=True)
class SourcesConfig:
    sources: tuple[SourceSpec, ...]
    user_agent: str | None
    version: str
    source: str = "<memory>"


def sources_from_document(doc: Document) -> SourcesConfig:
    problems: list[ConfigProblem] = []
    specs = []
    names: set[str] = set()
    for i, raw in enumerate(doc.data["sources"]):
        if raw["name"] in names:
            problems.append(
                doc.problem(("sources", i, "name"), f"duplicate source {raw['name']!r}")
            )
        names.add(raw["name"])
        if raw["type"] not in FACTORIES:
            problems.append(
                doc.problem(("sources", i, "type"), f"source type {raw['type']!r} is not available")
            )
        options = {
            k: v for k, v in raw.items() if k not in ("name", "type", "enabled", "poll_interval")
        }
        specs.append(
            SourceSpec(
                name=raw["name"],
                type=raw["type"],
                enabled=bool(raw.get("enabled", True)),
                poll_interval=(
                    parse_duration(raw["poll_interval"])
                    if "poll_interval" in raw
                    else DEFAULT_POLL.get(raw["type"], 60.0)
                ),
                options=options,
                line=doc.line_of(("sources", i)),
            )
        )
    if problems:
        raise ConfigError(problems)
    return SourcesConfig(
        sources=tuple(specs),
        user_agent=doc.data.get("user_agent"),
        version=doc.digest,
        source=doc.source,
    )


def load_sources(path: Path) -> SourcesConfig:
    """Read and validate a sources file; `ConfigError` names file, line and field."""
    return sources_from_document(read_document(path, "sources"))


def make_source(spec: SourceSpec) -> Source:
    return FACTORIES[spec.type](spec)
