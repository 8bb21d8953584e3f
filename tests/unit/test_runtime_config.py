"""Config files: errors name file, line and field; YAML subtleties; the change watcher."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from services.runtime.config import ConfigWatcher, parse_duration, parse_yaml, read_document
from services.runtime.errors import ConfigError

pytestmark = pytest.mark.unit

ROUTES = """\
version: 1
destinations:
  - name: a
    type: webhook
    url: https://example.org/hook
routes:
  - name: r1
    to: [a]
    match:
      min_score: 1.5
    severity: loud
"""


def test_schema_errors_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(ROUTES)
    with pytest.raises(ConfigError) as info:
        read_document(path, "routes")
    problems = {(p.line, p.field) for p in info.value.problems}
    assert (10, "routes[0].match.min_score") in problems
    assert (11, "routes[0].severity") in problems
    assert all(p.source == str(path) for p in info.value.problems)
    assert f"{path}:10: routes[0].match.min_score:" in str(info.value)


def test_unknown_fields_are_named(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("version: 1\nentities: []\ncolour: red\n")
    with pytest.raises(ConfigError, match="unknown field") as info:
        read_document(path, "watchlist")
    assert info.value.problems[0].line == 1


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("version: 1\nentities:\n  - id: a\n    id: b\n", 4, "duplicate key 'id'"),
        ("version: 1\nentities: [\n", 3, "invalid YAML"),
        ("version: 1\n\tentities: []\n", 2, "invalid YAML"),
    ],
)
def test_yaml_errors_have_lines(text: str, line: int, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_yaml(text, "f.yaml")
    problem = info.value.problems[0]
    assert problem.line == line
    assert fragment in problem.message


def test_timestamps_stay_strings() -> None:
    doc = parse_yaml("until: 2026-12-01T00:00:00Z\n", "f.yaml")
    assert doc.data == {"until": "2026-12-01T00:00:00Z"}


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read file"):
        read_document(tmp_path / "missing.yaml", "routes")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("10m", 600), ("4h", 14400), ("1h30m", 5400), ("250ms", 0.25)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "m", "1x", "1h 30m", "-5s"])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        parse_duration(text)


def test_watcher_applies_valid_changes_keeps_last_good_and_follows_symlink_swaps(
    tmp_path: Path,
) -> None:
    # A ConfigMap volume: the file is a symlink into a `..data` directory that is swapped.
    data1 = tmp_path / "v1"
    data1.mkdir()
    (data1 / "watchlist.yaml").write_text("version: 1\nentities: []\n")
    link = tmp_path / "..data"
    link.symlink_to(data1)
    path = tmp_path / "watchlist.yaml"
    path.symlink_to(link / "watchlist.yaml")

    applied: list[object] = []
    errors: list[ConfigError] = []
    watcher = ConfigWatcher(
        path, lambda p: read_document(p, "watchlist").data, applied.append, errors.append
    )

    async def scenario() -> None:
        assert await watcher.check()  # first look: loads
        assert not await watcher.check()  # unchanged
        data2 = tmp_path / "v2"
        data2.mkdir()
        (data2 / "watchlist.yaml").write_text("version: 2\nentities: []\n")  # invalid
        tmp_link = tmp_path / "..data_tmp"
        tmp_link.symlink_to(data2)
        os.replace(tmp_link, link)
        assert not await watcher.check()
        assert not await watcher.check()  # the same invalid version is reported once
        data3 = tmp_path / "v3"
        data3.mkdir()
        body = "version: 1\nentities:\n  - {id: a, name: A, kind: other, aliases: [A]}\n"
        (data3 / "watchlist.yaml").write_text(body)
        tmp_link.symlink_to(data3)
        os.replace(tmp_link, link)
        assert await watcher.check()

    asyncio.run(scenario())
    assert len(applied) == 2
    assert len(errors) == 1
    assert "version" in str(errors[0])
