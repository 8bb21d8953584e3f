"""The watchlist file (`FIELDWATCH_WATCHLIST`): parsed, schema-validated, checked for
semantic problems (duplicate ids), and turned into frozen `Entity` values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.runtime.config import Document, read_document
from services.runtime.errors import ConfigError, ConfigProblem

KINDS = ("person", "organization", "unit", "location", "other")


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    ambiguous_aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    weight: float = 1.0
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    entities: tuple[Entity, ...]
    version: str  # content hash of the file
    source: str = "<memory>"

    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}


def watchlist_from_document(doc: Document) -> Watchlist:
    problems: list[ConfigProblem] = []
    seen: dict[str, int] = {}
    entities = []
    for i, raw in enumerate(doc.data["entities"]):
        if raw["id"] in seen:
            problems.append(
                doc.problem(("entities", i, "id"), f"duplicate entity id {raw['id']!r}")
            )
        seen[raw["id"]] = i
        entities.append(
            Entity(
                id=raw["id"],
                name=raw["name"],
                kind=raw["kind"],
                aliases=tuple(raw["aliases"]),
                ambiguous_aliases=tuple(raw.get("ambiguous_aliases", ())),
                context=tuple(raw.get("context", ())),
                weight=float(raw.get("weight", 1.0)),
                tags=tuple(raw.get("tags", ())),
            )
        )
    if problems:
        raise ConfigError(problems)
    return Watchlist(entities=tuple(entities), version=doc.digest, source=doc.source)


def load_watchlist(path: Path) -> Watchlist:
    """Read and validate a watchlist file; `ConfigError` names file, line and field."""
    return watchlist_from_document(read_document(path, "watchlist"))
