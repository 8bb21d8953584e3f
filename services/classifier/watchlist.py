"""The watchlist file (`FIELDWATCH_WATCHLIST`): parsed, schema-validated, checked for
semantic problems, and turned into frozen `Entity` values.

Errors (the file is rejected): duplicate entity ids; an alias, context or exclude term with
nothing to match once normalised (only punctuation or invisible characters); ambiguous aliases
without any context term to confirm them. Warnings (the file is used; `fieldwatch check` prints
them): aliases too short or too common to be safe, the same normalised alias on several entities
(or twice on one), and an exclude term that is one of the entity's own aliases. Pure: no I/O beyond `load_watchlist` reading the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.classifier.text import fold
from services.runtime.config import Document, read_document
from services.runtime.errors import ConfigError, ConfigProblem

KINDS = ("person", "organization", "unit", "location", "other")
MIN_ALIAS_LETTERS = 3
# Words that would match nearly every post, in the five languages the classifier reads. An alias
# equal to one of them is almost certainly a mistake (or needs to be an ambiguous alias).
_COMMON = """
    the and for with from this that army war troops soldiers military forces police news
    today people city country state government president minister attack strike video
    photo breaking report update border north south east west new old red
    и в на с по за от для это что как армия война войска военные солдаты силы новости
    сегодня люди город страна президент министр удар видео фото
    і та що як армія війна військові солдати сили новини сьогодні люди місто країна
    في من على الى إلى عن مع هذا هذه الجيش الحرب جنود قوات اليوم اخبار مدينة دولة
    از به در با که این آن ارتش جنگ سربازان نیروها امروز اخبار شهر کشور
"""
COMMON_WORDS = frozenset(_COMMON.split())


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    ambiguous_aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # terms that mean the post names something else
    weight: float = 1.0
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watchlist:
    entities: tuple[Entity, ...]
    version: str  # content hash of the file
    source: str = "<memory>"
    warnings: tuple[ConfigProblem, ...] = ()

    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}


def watchlist_from_document(doc: Document) -> Watchlist:
    """Turn a schema-valid document into a `Watchlist`; `ConfigError` on semantic errors."""
    problems: list[ConfigProblem] = []
    warnings: list[ConfigProblem] = []
    seen: dict[str, int] = {}
    # normalised alias -> (entity id, entity index, the alias as first written)
    owners: dict[str, tuple[str, int, str]] = {}
    common = {fold(w) for w in COMMON_WORDS}
    entities = []
    for i, raw in enumerate(doc.data["entities"]):
        if raw["id"] in seen:
            problems.append(
                doc.problem(("entities", i, "id"), f"duplicate entity id {raw['id']!r}")
            )
        seen[raw["id"]] = i
        if raw.get("ambiguous_aliases") and not raw.get("context"):
            problems.append(
                doc.problem(
                    ("entities", i, "ambiguous_aliases"),
                    "ambiguous aliases need context terms to confirm them (add `context`)",
                )
            )
        for field in ("aliases", "ambiguous_aliases", "context", "exclude"):
            for j, alias in enumerate(raw.get(field, ())):
                where = ("entities", i, field, j)
                key = fold(alias).lstrip("#@").strip()
                letters = sum(c.isalnum() for c in key)
                if letters == 0:
                    problems.append(
                        doc.problem(where, f"{alias!r} has no letters or digits to match")
                    )
                    continue
                if field == "exclude" and owners.get(key, ("", -1, ""))[1] == i:
                    warnings.append(
                        doc.problem(
                            where,
                            f"exclude term {alias!r} is also an alias of this entity: no post "
                            "that names it so will count",
                        )
                    )
                if field in ("context", "exclude"):
                    continue
                if letters < MIN_ALIAS_LETTERS:
                    warnings.append(
                        doc.problem(where, f"alias {alias!r} is too short to match safely")
                    )
                elif key in common:
                    warnings.append(
                        doc.problem(
                            where,
                            f"alias {alias!r} is a common word: it will match many posts "
                            "(make it an ambiguous alias with context terms)",
                        )
                    )
                owner = owners.get(key)
                if owner is None:
                    owners[key] = (raw["id"], i, alias)
                elif owner[1] != i:
                    warnings.append(
                        doc.problem(
                            where,
                            f"alias {alias!r} is also an alias of entity {owner[0]!r}",
                        )
                    )
                elif owner[2] == alias:
                    warnings.append(
                        doc.problem(where, f"alias {alias!r} is listed twice for this entity")
                    )
                else:
                    warnings.append(
                        doc.problem(
                            where,
                            f"alias {alias!r} matches what {owner[2]!r} matches (they are "
                            "the same once case, diacritics and Arabic/Persian letter forms "
                            "are folded): one of them is enough",
                        )
                    )
        entities.append(
            Entity(
                id=raw["id"],
                name=raw["name"],
                kind=raw["kind"],
                aliases=tuple(raw["aliases"]),
                ambiguous_aliases=tuple(raw.get("ambiguous_aliases", ())),
                context=tuple(raw.get("context", ())),
                exclude=tuple(raw.get("exclude", ())),
                weight=float(raw.get("weight", 1.0)),
                tags=tuple(raw.get("tags", ())),
            )
        )
    if problems:
        raise ConfigError(problems)
    return Watchlist(
        entities=tuple(entities), version=doc.digest, source=doc.source, warnings=tuple(warnings)
    )


def load_watchlist(path: Path) -> Watchlist:
    """Read and validate a watchlist file; `ConfigError` names file, line and field."""
    return watchlist_from_document(read_document(path, "watchlist"))
