"""`fieldwatch check`: valid examples pass; invalid files fail with file, line and field."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from services.cli import check_files, main

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def test_every_example_config_is_valid() -> None:
    out = io.StringIO()
    files = sorted((ROOT / "examples").glob("*.yaml"))
    assert files
    assert check_files(files, out=out) == 0, out.getvalue()
    assert out.getvalue().count(": OK (") == len(files)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\nentities:\n  - id: Bad Id\n    name: x\n    kind: person\n    aliases: [x]\n",
            ":3: entities[0].id:",
        ),
        (
            "version: 1\ndestinations:\n  - name: d\n    type: pager\n    url: https://x.org\nroutes: []\n",
            ":4: destinations[0].type:",
        ),
        (
            "version: 1\ndestinations:\n  - name: d\n    type: webhook\n    url: http://10.0.0.1/h\nroutes:\n  - name: r\n    to: [e]\n",
            ":8: routes[0].to[0]: unknown destination 'e'",
        ),
        ("version: 1\nsources:\n  - name: s\n    type: carrier-pigeon\n", ":4: sources[0].type:"),
        ("hello: world\n", "cannot tell what this file is"),
    ],
)
def test_invalid_files_name_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    out = io.StringIO()
    assert check_files([path], out=out) == 1
    assert "INVALID" in out.getvalue()
    assert expected in out.getvalue(), out.getvalue()


def test_private_destination_needs_allow_private(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(
        "version: 1\ndestinations:\n  - name: d\n    type: webhook\n    url: http://127.0.0.1:9/h\n"
        "routes:\n  - name: r\n    to: [d]\n"
    )
    out = io.StringIO()
    assert check_files([path], out=out) == 1
    assert ":5: destinations[0].url:" in out.getvalue()
    assert "allow_private" in out.getvalue()


def test_main_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "examples" / "routes.yaml")]) == 0
    assert main(["check", str(tmp_path / "missing.yaml")]) == 1
    assert "cannot read" in capsys.readouterr().out
