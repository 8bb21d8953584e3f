"""`fieldwatch backtest`: history through classifier, routes and incidents with simulated
time, printing what would have fired and sending nothing (the destination URL variable is not
even set). Reads the small JSONL in tests/data/backtest/."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from services.alerter import backtest
from services.cli import main

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parents[1] / "data" / "backtest"
ARGS = [
    "backtest",
    "--watchlist",
    str(DATA / "watchlist.yaml"),
    "--routes",
    str(DATA / "routes.yaml"),
    "--input",
    str(DATA / "posts.jsonl"),
]


def run_json(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    code = main([*ARGS, "--json"])
    captured = capsys.readouterr()
    return code, orjson.loads(captured.out), captured.err


def test_backtest_groups_paces_and_silences(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, err = run_json(capsys)
    assert code == 0
    assert (doc["posts"], doc["invalid_lines"]) == (8, 2)
    assert "posts.jsonl:6: source: is required" in err
    assert "posts.jsonl:7: invalid JSON" in err
    homs, wagner, palmyra = doc["incidents"]
    # One incident for the convoy: the repost, the channel's retelling, a second witness and,
    # an hour later, a copy of the first post (within repeat_interval: no new incident).
    assert (homs["route"], homs["to"], homs["posts_count"]) == ("iran", ["desk"], 5)
    assert homs["sources_count"] == 3  # author a (+ repost, + copy), the channel, author c
    assert [(n["version"], n["at"], n["posts_count"]) for n in homs["notifications"]] == [
        (1, "2026-11-20T08:00:00.000Z", 1),
        (2, "2026-11-20T08:05:00.000Z", 3),  # the timer, no post at 08:05
        (3, "2026-11-20T08:10:00.000Z", 4),
        (4, "2026-11-20T09:00:00.000Z", 5),
    ]
    assert homs["alert"]["id"] == homs["id"]
    assert homs["alert"]["posts"][0]["id"] == "x:1"
    # Same actor, another place: its own incident.
    assert (palmyra["posts_count"], len(palmyra["notifications"])) == (1, 1)
    assert palmyra["alert"]["posts"][0]["id"] == "x:6"
    # The silenced desk: counted, never sent.
    assert (wagner["route"], wagner["fired"], wagner["silenced_posts"]) == ("russia", False, 1)
    assert wagner["notifications"] == []


def test_backtest_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    assert out.startswith("8 posts, 2 invalid lines: 2 incidents would have fired")
    assert "5 posts from 3 independent sources" in out
    assert "v4 2026-11-20T09:00:00.000Z update" in out
    assert "silenced: inc-" in out


def test_backtest_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = run_json(capsys)
    _, second, _ = run_json(capsys)
    assert first == second


def test_invalid_routes_name_file_line_and_field(tmp_path: Path) -> None:
    routes = tmp_path / "routes.yaml"
    routes.write_text("version: 1\ndestinations: []\nroutes:\n  - name: x\n    to: [nowhere]\n")
    err = io.StringIO()
    args = [*ARGS[:3], "--routes", str(routes), *ARGS[5:]]
    parsed = _parse(args)
    assert backtest.main(parsed, out=io.StringIO(), err=err) == 2
    assert f"{routes}:2: destinations:" in err.getvalue()


def _parse(args: list[str]) -> Any:
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    backtest.register(sub)
    return parser.parse_args(args)


def test_backtest_escalates_a_corroborated_hedged_claim(capsys: pytest.CaptureFixture[str]) -> None:
    """Three authors report the same hedged deployment in their own words: the classifier finds
    the claims, the incident becomes urgent at the third source, at once, with the reason."""
    args = [*ARGS[:5], "--input", str(DATA / "corroborated.jsonl"), "--json"]
    assert main(args) == 0
    [incident] = orjson.loads(capsys.readouterr().out)["incidents"]
    assert incident["sources_count"] == 3
    assert [(n["version"], n["at"], n["severity"]) for n in incident["notifications"]] == [
        (1, "2026-11-20T08:00:00.000Z", "routine"),
        (2, "2026-11-20T08:02:00.000Z", "urgent"),  # before group_interval: severity rose
    ]
    assert incident["alert"]["severity_reason"] == "claim corroborated by 3 independent sources"
