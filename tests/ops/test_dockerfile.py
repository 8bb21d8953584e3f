"""Static checks of the Dockerfile (no Docker engine needed), in the spirit of hadolint: a
pinned base, multi-stage, no build tools and a non-root user in the final stage, exec-form
entrypoint, PYTHONUNBUFFERED; and the image layout itself: the files the final stage copies,
laid out as in the image, run the CLI and find the schemas."""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ops.manifests import ROOT, SERVICES

pytestmark = pytest.mark.unit

BUILD_TOOLS = ("gcc", "g++", "make", "build-essential", "clang", "cargo", "rustc", "git")


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse(text: str) -> list[Stage]:
    """Dockerfile -> stages of (INSTRUCTION, arguments), continuation lines joined."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            m = re.match(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", args.strip(), re.I)
            assert m, f"cannot parse FROM {args}"
            stages.append(Stage(m.group(1), m.group(2)))
        else:
            assert stages, f"{keyword} before FROM"
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse((ROOT / "Dockerfile").read_text())


def test_bases_are_pinned_by_exact_tag_or_digest(stages: list[Stage]) -> None:
    names = {s.name for s in stages if s.name}
    for stage in stages:
        if stage.base in names:
            continue  # FROM an earlier stage
        assert "$" not in stage.base, f"{stage.base}: resolve the base image statically"
        if "@sha256:" in stage.base:
            assert re.search(r"@sha256:[0-9a-f]{64}$", stage.base), stage.base
            continue
        image, _, tag = stage.base.rpartition(":")
        assert image, f"{stage.base}: no image"
        assert tag, f"{stage.base}: no tag"
        # An exact version: major.minor.patch, not 3, 3.11, latest or slim.
        assert re.match(r"^\d+\.\d+\.\d+", tag), f"{stage.base}: tag is not an exact version"


def test_multi_stage_and_final_stage_has_no_build_tools(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    final = stages[-1]
    assert any("--from=" in c for c in final.all("COPY")), "the final stage copies the build"
    for run in final.all("RUN"):
        words = set(re.split(r"[\s;&|]+", run))
        assert not words & set(BUILD_TOOLS), f"build tools in the final stage: {run}"
        assert "pip" not in words, f"installs in the final stage: {run}"
        assert "apt-get" not in words, f"installs in the final stage: {run}"
    for stage in stages:
        for run in stage.all("RUN"):
            if "pip install" in run:
                assert "-c constraints.txt" in run, "pip installs must use the pinned constraints"


def test_build_stage_compiles_the_extension_the_final_stage_copies(stages: list[Stage]) -> None:
    build = " ".join(stages[0].all("RUN"))
    assert "_native.c" in build
    assert "EXT_SUFFIX" in build, "the extension is named for the image's Python"
    copies = [c for c in stages[-1].all("COPY") if "--from=build" in c and "_native" in c]
    assert copies, "the final stage copies the compiled extension"
    assert copies[0].split()[-1].rstrip("/") == "services/classifier"
    assert "**/*.so" in (ROOT / ".dockerignore").read_text(), "no host-built .so in the context"


def test_final_stage_runs_as_non_root_with_exec_entrypoint(stages: list[Stage]) -> None:
    final = stages[-1]
    users = final.all("USER")
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), users[-1]
    assert user.isdigit(), "a numeric USER lets Kubernetes check runAsNonRoot"
    # After the last USER, nothing switches back or adds root-owned writable state.
    last_user = max(i for i, (kw, _) in enumerate(final.instructions) if kw == "USER")
    assert not [kw for kw, _ in final.instructions[last_user + 1 :] if kw == "RUN"]
    (entrypoint,) = final.all("ENTRYPOINT")
    assert entrypoint.startswith("["), "exec form, so the service is PID 1 and gets SIGTERM"
    env = " ".join(final.all("ENV"))
    assert re.search(r"\bPYTHONUNBUFFERED=1\b", env)
    assert re.search(r"\bPYTHONPATH=/app\b", env)
    assert not final.all("ADD"), "COPY, not ADD"


def test_image_uid_matches_the_kubernetes_security_context(stages: list[Stage]) -> None:
    uid = stages[-1].all("USER")[-1].split(":")[0]
    for service in SERVICES:
        manifest = (ROOT / "deploy/k8s/base" / f"{service}.yaml").read_text()
        assert f"runAsUser: {uid}" in manifest, service


def copied_paths(stages: list[Stage]) -> list[str]:
    """Sources of the final stage's COPY instructions from the build context."""
    paths = []
    for copy in stages[-1].all("COPY"):
        args = [a for a in shlex.split(copy) if not a.startswith("--")]
        if any(a.startswith("--from") for a in shlex.split(copy)):
            continue
        paths.extend(a.rstrip("/") for a in args[:-1])
    return paths


def test_dockerignore_keeps_what_the_image_copies(stages: list[Stage]) -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        result = False
        for pattern in patterns:
            negate = pattern.startswith("!")
            pat = pattern.lstrip("!").rstrip("/")
            if fnmatch.fnmatch(path, pat) or fnmatch.fnmatch(path.split("/")[0], pat):
                result = not negate
        return result

    sources = copied_paths(stages) + [
        a for s in stages[:-1] for c in s.all("COPY") for a in shlex.split(c)[:-1]
    ]
    assert sources
    for source in sources:
        assert not ignored(source), f"{source} is excluded by .dockerignore"
    for junk in (".git", ".venv", "tests", "var", "deploy"):
        assert ignored(junk), f"{junk} would be sent to the build"


def test_image_layout_runs_the_cli_and_finds_the_schemas(
    stages: list[Stage], tmp_path: Path
) -> None:
    """The tree the final stage assembles under /app, run with PYTHONPATH=/app, works."""
    app = tmp_path / "app"
    app.mkdir()
    for source in copied_paths(stages):
        src = ROOT / source
        if src.is_dir():
            shutil.copytree(src, app / source, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        else:
            shutil.copy2(src, app / source)
    # The C extension comes from the build stage (compiled there for the image's Python); here,
    # the one this checkout built stands in for it.
    for built in (ROOT / "services/classifier").glob("_native.*.so"):
        shutil.copy2(built, app / "services/classifier" / built.name)
    env = {**os.environ, "PYTHONPATH": str(app), "PYTHONDONTWRITEBYTECODE": "1"}
    code = (
        "import sys, services, services.runtime.config as c; "
        "print(services.__file__); print(c.SCHEMAS_DIR); "
        "from services.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    examples = sorted(str(p.relative_to(app)) for p in (app / "examples").glob("*.yaml"))
    result = subprocess.run(
        [sys.executable, "-c", code, "check", *examples],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith(str(app)), "services was not imported from the image layout"
    assert second == str(app / "schemas")
