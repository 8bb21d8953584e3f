"""The sources file (`FIELDWATCH_SOURCES`): parsed, schema-validated, checked (unique names,
credentials only by environment variable name) and turned into `SourceSpec` values; and the
registry of adapter factories by source type."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.collector.sources.base import Source, SourceContext, SourceSpec
from services.runtime.config import Document, parse_duration, read_document
from services.runtime.errors import ConfigError, ConfigProblem

SourceFactory = Callable[[SourceSpec, SourceContext], Source]

# Each source type lives in `services/collector/sources/<module>.py`, which defines
# `create(spec: SourceSpec, ctx: SourceContext) -> Source`. Imported on first use.
MODULES: dict[str, str] = {
    "replay": "replay",
    "bluesky": "bluesky",
    "mastodon": "mastodon",
    "telegram": "telegram",
    "reddit": "reddit",
    "rss": "rss",
    "x": "x",
    "vk": "vk",
}


def factory(source_type: str) -> SourceFactory | None:
    """The adapter factory of a source type, or None if that adapter is not available."""
    module_name = MODULES.get(source_type)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(f"services.collector.sources.{module_name}")
    except ModuleNotFoundError:
        return None
    create: SourceFactory | None = getattr(module, "create", None)
    return create


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
        if factory(raw["type"]) is None:
            problems.append(
                doc.problem(("sources", i, "type"), f"source type {raw['type']!r} is not available")
            )
        options = {
            k: v for k, v in raw.items() if k not in ("name", "type", "enabled", "poll_interval")
        }
        if isinstance(options.get("path"), str) and doc.source != "<memory>":
            # Relative file paths are relative to the sources file, not to the working directory.
            options["path"] = str(Path(doc.source).parent / options["path"])
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


def make_source(spec: SourceSpec, ctx: SourceContext) -> Source:
    create = factory(spec.type)
    if create is None:
        raise ConfigError.single(spec.name, f"source type {spec.type!r} is not available")
    return create(spec, ctx)
