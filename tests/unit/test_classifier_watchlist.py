"""Watchlist semantic checks (errors reject the file) and warnings (`fieldwatch check`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from services.classifier.watchlist import watchlist_from_document
from services.cli import check_files
from services.runtime.config import parse_yaml, schema_problems
from services.runtime.errors import ConfigError

pytestmark = pytest.mark.unit

HEAD = "version: 1\nentities:\n"


def load(body: str) -> object:
    doc = parse_yaml(HEAD + body, "wl.yaml")
    assert schema_problems(doc, "watchlist") == []
    return watchlist_from_document(doc)


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        (
            "  - {id: a, name: A, kind: person, aliases: [Alpha]}\n"
            "  - {id: a, name: B, kind: person, aliases: [Beta]}\n",
            4,
            "entities[1].id",
            "duplicate entity id",
        ),
        (
            "  - id: a\n    name: A\n    kind: person\n    aliases: [Alpha, '\u200b--']\n",
            6,
            "entities[0].aliases[1]",
            "no letters or digits",
        ),
        (
            "  - id: a\n    name: A\n    kind: person\n    aliases: [Alpha]\n"
            "    ambiguous_aliases: [Al]\n",
            7,
            "entities[0].ambiguous_aliases",
            "need context terms",
        ),
        (
            "  - id: a\n    name: A\n    kind: person\n    aliases: [Alpha]\n"
            "    exclude: [poet, '\u00ad']\n",
            7,
            "entities[0].exclude[1]",
            "no letters or digits",
        ),
    ],
)
def test_semantic_errors_name_line_and_field(
    body: str, line: int, field: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load(body)
    (problem,) = info.value.problems
    assert (problem.source, problem.line, problem.field) == ("wl.yaml", line, field)
    assert message in problem.message


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            "  - {id: a, name: A, kind: person, aliases: [Al]}\n",
            "entities[0].aliases[0]",
            "too short",
        ),
        (
            "  - {id: a, name: A, kind: unit, aliases: [Army]}\n",
            "entities[0].aliases[0]",
            "common word",
        ),
        (
            "  - {id: a, name: A, kind: unit, aliases: [Армия]}\n",
            "entities[0].aliases[0]",
            "common word",
        ),
        (
            "  - {id: a, name: A, kind: unit, aliases: [الجيش]}\n",
            "entities[0].aliases[0]",
            "common word",
        ),
        (
            "  - {id: a, name: A, kind: person, aliases: [Soleimani]}\n"
            "  - {id: b, name: B, kind: person, aliases: [SOLEIMANI]}\n",
            "entities[1].aliases[0]",
            "also an alias of entity 'a'",
        ),
        (
            "  - {id: a, name: A, kind: person, aliases: [Soleimani, Soleimani]}\n",
            "entities[0].aliases[1]",
            "listed twice",
        ),
        (
            "  - {id: a, name: A, kind: person, aliases: [Soleimani, Sole\u00adimani]}\n",
            "entities[0].aliases[1]",
            "matches what 'Soleimani' matches",
        ),
        (
            "  - {id: a, name: A, kind: person, aliases: [قاسم سليماني, قاسم سلیمانی]}\n",
            "entities[0].aliases[1]",
            "one of them is enough",
        ),
        (
            "  - {id: a, name: A, kind: person, aliases: [Qaani], exclude: [poet, QAANI]}\n",
            "entities[0].exclude[1]",
            "also an alias of this entity",
        ),
    ],
)
def test_warnings(body: str, field: str, message: str) -> None:
    wl = load(body)
    (warning,) = wl.warnings  # type: ignore[attr-defined]
    assert warning.field == field
    assert message in warning.message


def test_exclude_terms_are_read() -> None:
    wl = load("  - {id: a, name: A, kind: person, aliases: [Qaani], exclude: [poet, شاعر]}\n")
    assert wl.entities[0].exclude == ("poet", "شاعر")
    assert wl.warnings == ()


def test_clean_watchlist_has_no_warnings() -> None:
    wl = load("  - {id: a, name: A, kind: person, aliases: [Soleimani, Сулеймани]}\n")
    assert wl.warnings == ()  # type: ignore[attr-defined]


def test_check_prints_warnings_and_passes(tmp_path: Path) -> None:
    path = tmp_path / "wl.yaml"
    path.write_text(HEAD + "  - {id: a, name: A, kind: person, aliases: [Al, Soleimani]}\n")
    out = io.StringIO()
    assert check_files([path], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{path}: OK (watchlist, 1 entities)"
    assert lines[1].startswith(f"  warning: {path}:3: entities[0].aliases[0]:")


def test_check_rejects_semantic_errors(tmp_path: Path) -> None:
    path = tmp_path / "wl.yaml"
    path.write_text(HEAD + "  - {id: a, name: A, kind: person, aliases: ['...']}\n")
    out = io.StringIO()
    assert check_files([path], out=out) == 1
    assert "INVALID" in out.getvalue()
