"""The alert rules: promtool accepts them, their unit tests pass, they cover the symptoms the
operator guide promises, and every alert has a summary, a description and a runbook link to
an existing section of docs/operations.md."""

from __future__ import annotations

import subprocess

import pytest

from tests.ops.manifests import (
    OPERATIONS,
    README,
    RULE_TESTS,
    RULES,
    alert_rules,
    heading_anchors,
    metric_names,
    readme_metrics,
)

pytestmark = pytest.mark.unit

# One alert per symptom an operator must hear about (issue: "Alert rules that page on symptoms").
REQUIRED_ALERTS = {
    "FieldwatchConsumerLagGrowing",
    "FieldwatchEndToEndLatencyHigh",
    "FieldwatchSourceStale",
    "FieldwatchDeliveriesFailing",
    "FieldwatchDeadLettersGrowing",
    "FieldwatchDestinationDisabled",
    "FieldwatchWatchlistReloadFailing",
    "FieldwatchAlerterNotSingleton",
}
# Metrics the rules and dashboards may read before a service exports them (being added).
PENDING_METRICS: set[str] = set()
RUNBOOK_BASE = "https://github.com/fieldwatch/fieldwatch/blob/main/docs/operations.md#"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["promtool", *args], capture_output=True, text=True, timeout=60, cwd=RULES.parent
    )


def test_promtool_checks_the_rules() -> None:
    result = promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_unit_tests_of_the_rules_pass() -> None:
    result = promtool("test", "rules", RULE_TESTS.name)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = {
        line.split("alertname:")[1].strip()
        for line in RULE_TESTS.read_text().splitlines()
        if "alertname:" in line
    }
    assert {r["alert"] for r in alert_rules()} <= tested, "every alert has a unit test"


def test_rules_cover_every_symptom_with_a_runbook() -> None:
    alerts = {r["alert"]: r for r in alert_rules()}
    assert set(alerts) >= REQUIRED_ALERTS
    anchors = heading_anchors(OPERATIONS.read_text())
    for name, rule in alerts.items():
        annotations = rule["annotations"]
        assert annotations.get("summary"), name
        assert annotations.get("description"), name
        url = annotations["runbook_url"]
        assert url == RUNBOOK_BASE + name.lower(), f"{name}: {url}"
        assert name.lower() in anchors, f"docs/operations.md has no section {name}"
        assert rule["labels"]["severity"] in ("warning", "critical"), name


def test_rules_read_only_documented_metrics() -> None:
    documented = set(readme_metrics())
    for rule in alert_rules():
        unknown = metric_names(rule["expr"]) - documented - PENDING_METRICS
        assert not unknown, f"{rule['alert']} reads undocumented metrics {unknown}"


def test_readme_points_operators_at_the_guide() -> None:
    readme = README.read_text()
    section = readme[readme.index("\n## Operations\n") :]
    section = section[: section.index("\n## ", 1)]
    assert "(docs/operations.md)" in section
    assert "runbooks" in heading_anchors(OPERATIONS.read_text())
