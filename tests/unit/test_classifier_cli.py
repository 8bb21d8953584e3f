"""`fieldwatch classify` and `fieldwatch explain`: the contract of the issue."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from services.classifier.cli import explain, highlight, safe
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist
from services.cli import main

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
WATCHLIST = ROOT / "examples" / "watchlist.yaml"


def line(pid: str, text: str) -> bytes:
    post = {"id": f"x:{pid}", "source": "x", "text": text, "created_at": "2026-11-20T08:00:00Z"}
    return orjson.dumps(post)


def test_classify_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    dst = tmp_path / "out.jsonl"
    src.write_bytes(
        b"\n".join(
            [line("1", "Wagner PMC in Homs"), b"{not json", b"", b'{"id": 3}', line("5", "quiet")]
        )
        + b"\n"
    )
    code = main(
        ["classify", "--watchlist", str(WATCHLIST), "--input", str(src), "--output", str(dst)]
    )
    assert code == 0
    out = [orjson.loads(x) for x in dst.read_bytes().splitlines()]
    assert [o.get("id") for o in out] == ["x:1", None, None, None, "x:5"]
    assert [e["id"] for e in out[0]["entities"]] == ["wagner-group", "homs"]
    assert out[0]["score"] > 0
    assert out[0]["claims"] == []
    assert [(o["line"], "error" in o) for o in out[1:4]] == [(2, True), (3, True), (4, True)]
    assert "created_at: is required" in out[3]["error"]
    assert out[4]["score"] == 0.0


def test_classify_with_invalid_watchlist_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "wl.yaml"
    bad.write_text("version: 1\nentities:\n  - {id: A, name: A, kind: person, aliases: [x]}\n")
    assert main(["classify", "--watchlist", str(bad), "--input", str(bad)]) == 2
    assert "wl.yaml:3: entities[0].id" in capsys.readouterr().err


def test_explain_highlights_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--watchlist", str(WATCHLIST), "Soleimani’s men in Сирии"]) == 0
    out = capsys.readouterr().out
    assert "[[Soleimani]]’s men in [[Сирии]]" in out
    assert "qassem-soleimani (person) 'Soleimani' at 0-9" in out
    assert "+0.60 person Qassem Soleimani" in out


def test_explain_escapes_terminal_controls() -> None:
    engine = Engine(load_watchlist(WATCHLIST))
    report = explain(engine, "\x1b[2J \u202eSoleimani\u202c")
    assert "\x1b" not in report
    assert "\u202e" not in report
    assert "\\u001b[2J \\u202e[[Soleimani]]\\u202c" in report


def test_explain_escapes_lone_surrogates_so_the_report_encodes() -> None:
    engine = Engine(load_watchlist(WATCHLIST))
    # A JSON escape, or a byte of a command-line argument that is not UTF-8.
    report = explain(engine, "\udcff Soleimani \ud800")
    assert report.encode() == report.encode("utf-8", "surrogateescape")
    assert "\\udcff [[Soleimani]] \\ud800" in report
    assert "at 2-11" in report


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("abc def", [(4, 7)], "abc [[def]]"),
        ("abc def", [(0, 3), (1, 2), (4, 7)], "[[abc]] [[def]]"),
        ("a\nb", [], "a\\u000ab"),
    ],
)
def test_highlight(text: str, spans: list[tuple[int, int]], expected: str) -> None:
    assert highlight(text, spans, color=False) == expected


def test_safe_keeps_ordinary_text() -> None:
    assert safe("Сирия سوريا 😀") == "Сирия سوريا 😀"
