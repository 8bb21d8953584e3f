"""Telemetry as operators see it, with posts flowing through the whole pipeline (three service
processes, the real local broker, a loopback webhook): the README's metrics table is exactly
what the services' /metrics expose; and a real Prometheus scraping them runs every dashboard
query and every alert rule without error, with data in every panel that should have some."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.pipeline import SERVICES
from tests.helpers.wait import wait_for
from tests.ops.conftest import Flow
from tests.ops.manifests import (
    DASHBOARDS,
    alert_rules,
    concrete,
    dashboard_targets,
    metric_names,
    readme_metrics,
)
from tests.ops.prometheus import Prometheus

pytestmark = pytest.mark.integration

# Panels that may stay empty after this run, and why.
MAY_BE_EMPTY = {
    # The replay source and /ingest make no requests to a platform.
    "Source request duration p95",
}
TYPE_RE = re.compile(r"^# TYPE (\S+) (\S+)$", re.M)
EXPOSED_TYPE = {"counter": "counter", "gauge": "gauge", "histogram": "histogram", "info": "gauge"}


def exposition(texts: list[str]) -> tuple[dict[str, str], dict[str, set[tuple[str, ...]]]]:
    """(type of every family, label sets seen per family) across the services' /metrics."""
    types: dict[str, str] = {}
    for text in texts:
        for name, kind in TYPE_RE.findall(text):
            types[name] = kind
    labels: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for text in texts:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                name = sample.name
                if name not in types:
                    for suffix in ("_bucket", "_sum", "_count"):
                        if name.endswith(suffix) and name.removesuffix(suffix) in types:
                            name = name.removesuffix(suffix)
                labels[name].add(tuple(sorted(k for k in sample.labels if k != "le")))
    return types, labels


def created_series(name: str, types: dict[str, str]) -> bool:
    """prometheus_client's `<counter|histogram>_created` companions, not metrics of their own."""
    if not name.endswith("_created"):
        return False
    stem = name.removesuffix("_created")
    return types.get(stem + "_total") == "counter" or types.get(stem) == "histogram"


async def test_readme_metrics_table_matches_what_the_services_expose(flow: Flow) -> None:
    await flow.replay_wave()
    await flow.ingest_wave()
    texts = [await flow.metrics(name) for name in SERVICES]
    types, labels = exposition(texts)
    exposed = {
        n: t
        for n, t in types.items()
        if n.startswith("fieldwatch_") and not created_series(n, types)
    }
    documented = readme_metrics()
    assert sorted(set(exposed) - set(documented)) == [], "exposed but not in the README table"
    assert sorted(set(documented) - set(exposed)) == [], "in the README table but not exposed"
    for name, (kind, doc_labels) in documented.items():
        assert exposed[name] == EXPOSED_TYPE[kind], f"{name}: README says {kind}"
        if kind == "info":
            continue  # an info metric's labels are its values
        for seen in labels.get(name, set()):
            assert seen == doc_labels, f"{name}: labels {seen}, README says {doc_labels}"


async def test_dashboards_and_rules_work_against_a_real_prometheus(
    flow: Flow, prometheus: Prometheus
) -> None:
    # Scraped once before any traffic, so counters' increases show up in rate().
    await wait_for(
        lambda: _count(prometheus, "fieldwatch_build_info", len(SERVICES)),
        timeout=20,
        message="first scrape",
    )
    # Two waves: the services create some labelled series (latency by destination, by topic)
    # at their first observation, and rate() only sees increases after a series' first scrape.
    await flow.replay_wave()
    await wait_for(
        lambda: _count(prometheus, "fieldwatch_alerter_post_to_delivery_seconds_count", 1),
        timeout=20,
        message="the first wave scraped",
    )
    await flow.ingest_wave()
    await wait_for(
        lambda: _count(
            prometheus,
            # Related posts share one incident: the second wave's post is an update of the
            # first wave's incident, so count posts consumed as well as notifications.
            'sum(fieldwatch_alerter_notifications_total{result="delivered"}) >= 2'
            ' and sum(fieldwatch_stream_consumed_total{topic=~".+[.]scored"}) >= 5',
            1,
        ),
        timeout=20,
        message="the second wave scraped",
    )

    exposed = {
        name
        for name in (await prometheus.api("label/__name__/values"))
        if name.startswith("fieldwatch_")
    }
    empty = []
    for path in DASHBOARDS:
        panels: dict[str, list[bool]] = defaultdict(list)
        readable: dict[str, list[bool]] = defaultdict(list)
        for title, expr in dashboard_targets(json.loads(path.read_text())):
            result = await prometheus.query(concrete(expr))
            panels[title].append(any(_has_value(r) for r in result))
            readable[title].append(all(_exported(n, exposed) for n in metric_names(expr)))
        for title, has_data in panels.items():
            # A panel should show data when at least one of its queries reads only metrics
            # the services export today (some are still being added).
            if any(readable[title]) and title not in MAY_BE_EMPTY and not any(has_data):
                empty.append(f"{path.name}: {title}")
    assert not empty, f"panels without data after the run: {empty}"

    for rule in alert_rules():
        await prometheus.query(rule["expr"])  # raises unless Prometheus accepts it

    async def rules_evaluated() -> list[str]:
        groups = (await prometheus.api("rules"))["groups"]
        rules = [r for g in groups for r in g["rules"]]
        if len(rules) != len(alert_rules()) or any(r["health"] == "unknown" for r in rules):
            return []
        return [f"{r['name']}: {r['health']} {r.get('lastError', '')}" for r in rules]

    states = await wait_for(rules_evaluated, timeout=20, message="every rule evaluated")
    assert all(": ok " in s for s in states), states
    # A healthy run fires nothing that pages.
    firing = [a for a in (await prometheus.api("alerts"))["alerts"] if a["state"] == "firing"]
    assert firing == []


def _has_value(series: dict[str, object]) -> bool:
    value = series.get("value")
    assert isinstance(value, list)
    return not math.isnan(float(value[1]))


def _exported(name: str, exposed: set[str]) -> bool:
    return any(n == name or n.startswith(name + "_") for n in exposed)


async def _count(prometheus: Prometheus, expr: str, n: int) -> bool:
    return len(await prometheus.query(expr)) >= n
