"""Reading what the repository ships for operations: the rendered kustomize builds, the
structural schemas of the custom resources, the Prometheus rules, the dashboards and the
README's metrics table."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
RULES = ROOT / "deploy" / "rules" / "fieldwatch.rules.yaml"
RULE_TESTS = ROOT / "deploy" / "rules" / "fieldwatch.rules.test.yaml"
DASHBOARDS = sorted((K8S / "base" / "monitoring" / "dashboards").glob("*.json"))
OPERATIONS = ROOT / "docs" / "operations.md"
README = ROOT / "README.md"

OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if p.is_dir())
COMPONENTS = sorted(p.name for p in (K8S / "components").iterdir() if p.is_dir())
# Every overlay as shipped, and the base with each scaling component.
BUILDS = [f"overlays/{o}" for o in OVERLAYS] + [f"base+{c}" for c in COMPONENTS]

SERVICES = ("collector", "classifier", "alerter")
POD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


def kustomize(path: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"kubectl kustomize {path} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@functools.cache
def build(name: str) -> tuple[dict[str, Any], ...]:
    """The objects of one build: `overlays/<name>` or `base+<component>`."""
    if "+" not in name:
        return tuple(kustomize(K8S / name))
    base, component = name.split("+")
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "kustomization.yaml").write_text(
            yaml.safe_dump(
                {
                    "apiVersion": "kustomize.config.k8s.io/v1beta1",
                    "kind": "Kustomization",
                    # kustomize refuses absolute paths; relative ones may leave the root.
                    "resources": [os.path.relpath(K8S / base, tmp)],
                    "components": [os.path.relpath(K8S / "components" / component, tmp)],
                }
            )
        )
        return tuple(kustomize(Path(tmp)))


def of_kind(objects: tuple[dict[str, Any], ...], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def named(objects: tuple[dict[str, Any], ...], kind: str, name: str) -> dict[str, Any]:
    found = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    if obj["kind"] in POD_KINDS:
        return obj["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    return None


def service_of(deployment: dict[str, Any]) -> str:
    """Which Fieldwatch service a workload runs (the container's first argument)."""
    args = deployment["spec"]["template"]["spec"]["containers"][0].get("args", [])
    assert args, f"{deployment['metadata']['name']}: no args"
    assert args[0] in SERVICES, f"{deployment['metadata']['name']}: args {args}"
    return str(args[0])


def env_of(container: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e.get("value", "") for e in container.get("env", [])}


@functools.cache
def crd_schemas() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "crd_schemas.yaml").read_text())
    data.pop("$defs")
    return data


def rule_groups() -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = yaml.safe_load(RULES.read_text())["groups"]
    return groups


def alert_rules() -> list[dict[str, Any]]:
    return [r for g in rule_groups() for r in g["rules"] if "alert" in r]


def heading_anchors(markdown: str) -> set[str]:
    """GitHub's anchors of the headings of a Markdown document."""
    anchors = set()
    for line in markdown.splitlines():
        m = re.match(r"^#{1,6}\s+(.*)$", line)
        if m:
            text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def readme_metrics() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The README's metrics table: name -> (type, labels)."""
    text = README.read_text()
    section = text[text.index("## Metrics") :]
    section = section[: section.index("\n## ", 3)]
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`fieldwatch_"):
            continue
        labels = tuple(sorted(re.findall(r"`([a-z_]+)`", cells[2])))
        table[cells[0].strip("`")] = (cells[1], labels)
    return table


METRIC_RE = re.compile(r"\bfieldwatch_[a-z0-9_]+")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def metric_names(expr: str) -> set[str]:
    """Metric families a PromQL expression reads (histogram series mapped to the family)."""
    names = set()
    for name in METRIC_RE.findall(expr):
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        names.add(name)
    return names


def dashboard_targets(dashboard: dict[str, Any]) -> list[tuple[str, str]]:
    """(panel title, expression) of every query of a dashboard."""
    out = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            out.append((panel["title"], target["expr"]))
    return out


def concrete(expr: str, rate_interval: str = "1m") -> str:
    """A dashboard expression with Grafana's variables replaced, as Grafana would send it."""
    return expr.replace("$__rate_interval", rate_interval).replace("$namespace", ".*")
