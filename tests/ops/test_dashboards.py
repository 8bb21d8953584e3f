"""The Grafana dashboards as committed JSON: stable UIDs, the data source as a variable, one
row per service in data-flow order, panels laid out without overlap, every query valid PromQL
(checked by promtool) reading documented metrics."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ops.manifests import (
    DASHBOARDS,
    concrete,
    dashboard_targets,
    metric_names,
    readme_metrics,
)
from tests.ops.test_rules import PENDING_METRICS

pytestmark = pytest.mark.unit

ROWS = ["Collector", "Classifier", "Alerter", "End to end"]
UIDS = {"fieldwatch-pipeline.json": "fieldwatch-pipeline"}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_dashboards_are_committed_with_stable_uids() -> None:
    assert {p.name for p in DASHBOARDS} == set(UIDS)
    for path in DASHBOARDS:
        dashboard = load(path)
        assert dashboard["uid"] == UIDS[path.name]
        assert dashboard.get("id") is None, "no instance-specific id in committed JSON"
        assert path.read_text() == json.dumps(dashboard, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_data_source_is_a_variable(path: Path) -> None:
    dashboard = load(path)
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}", panel["title"]


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_rows_follow_the_data_flow_and_panels_do_not_overlap(path: Path) -> None:
    panels = load(path)["panels"]
    assert [p["title"] for p in panels if p["type"] == "row"] == ROWS
    assert len({p["id"] for p in panels}) == len(panels)
    cells: set[tuple[int, int]] = set()
    rows_seen = 0
    for panel in panels:
        pos = panel["gridPos"]
        assert pos["x"] >= 0, panel["title"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps another panel"
                cells.add((x, y))
        if panel["type"] == "row":
            rows_seen += 1
        else:
            assert rows_seen, f"{panel['title']} sits above the first row"
            assert panel["targets"], panel["title"]
            assert panel.get("description"), panel["title"]
    ys = [p["gridPos"]["y"] for p in panels]
    assert ys == sorted(ys), "panels are listed top to bottom"


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_every_query_is_valid_promql_on_documented_metrics(path: Path, tmp_path: Path) -> None:
    targets = dashboard_targets(load(path))
    documented = set(readme_metrics())
    rules = []
    for i, (title, expr) in enumerate(targets):
        unknown = metric_names(expr) - documented - PENDING_METRICS
        assert not unknown, f"{title}: undocumented metrics {unknown}"
        rules.append({"record": f"dashboard:query_{i}", "expr": concrete(expr)})
    file = tmp_path / "dashboard-queries.yaml"
    file.write_text(yaml.safe_dump({"groups": [{"name": path.stem, "rules": rules}]}))
    result = subprocess.run(
        ["promtool", "check", "rules", str(file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
