"""The routes file of issue 5 works exactly as written; what the incident core emits
validates against `alert.v1` and `incident-state.v1`; state records are read back newest
revision first."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from services.alerter.core import IncidentBook
from services.alerter.routes import routes_from_document
from services.alerter.state import pick_states
from services.runtime.config import parse_yaml, schema_problems, validator
from services.runtime.errors import ConfigError

pytestmark = pytest.mark.unit

ISSUE_EXAMPLE = """\
version: 1
destinations:
  - name: osint-slack
    type: slack                    # slack | webhook
    url_env: SLACK_WEBHOOK_OSINT   # secrets only by environment variable name
  - name: soc-webhook
    type: webhook
    url: https://soc.example.org/hooks/fieldwatch
    secret_env: SOC_WEBHOOK_SECRET # Standard Webhooks signing key (whsec_… base64)
routes:                            # evaluated in order; `continue: true` to keep matching
  - name: deployments
    match:
      min_score: 0.6
      claims: [troop_deployment]
      stances: [asserted, hedged]
      entities: [qassem-soleimani]  # any of; also entity_tags, sources, langs
    severity: urgent                # flash | urgent | routine
    to: [osint-slack, soc-webhook]
    group_window: 10m               # related posts within the window join one incident
    repeat_interval: 4h
silences:
  - match: {entities: [wagner-group]}
    until: 2026-12-01T00:00:00Z
    comment: covered by another desk
"""
ENV = {
    "SLACK_WEBHOOK_OSINT": "https://hooks.slack.com/services/T0/B0/secret",
    "SOC_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
}


def load(text: str, env: dict[str, str] | None = None) -> Any:
    doc = parse_yaml(text, "routes.yaml")
    problems = schema_problems(doc, "routes")
    if problems:
        raise ConfigError(problems)
    return routes_from_document(doc, ENV if env is None else env)


def test_the_issue_example_works_as_written() -> None:
    config = load(ISSUE_EXAMPLE)
    slack, soc = config.destinations["osint-slack"], config.destinations["soc-webhook"]
    assert (slack.type, slack.url) == ("slack", ENV["SLACK_WEBHOOK_OSINT"])
    assert soc.secret is not None
    assert ENV["SOC_WEBHOOK_SECRET"] not in repr(soc)
    [route] = config.routes
    assert route.match.entities == {"qassem-soleimani"}
    assert route.match.stances == {"asserted", "hedged"}
    assert (route.severity, route.to) == ("urgent", ("osint-slack", "soc-webhook"))
    assert (route.group_window, route.group_interval, route.repeat_interval) == (600, 300, 14400)
    [silence] = config.silences
    assert silence.comment == "covered by another desk"
    assert silence.until is not None
    assert silence.until.isoformat() == "2026-12-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (("repeat_interval: 4h", "repeat_interval: 1m"), "routes.yaml:20: routes[0].repeat_interval"),
        (("severity: urgent", "severity: loud"), "routes.yaml:17: routes[0].severity"),
        (("to: [osint-slack, soc-webhook]", "to: [osint-slack, nowhere]"), "routes.yaml:18: routes[0].to[1]"),
        (("min_score: 0.6", "min_score: 6"), "routes.yaml:13: routes[0].match.min_score"),
        (("until: 2026-12-01T00:00:00Z", "until: soon"), "routes.yaml:23: silences[0].until"),
    ],
)  # fmt: skip
def test_invalid_routes_name_file_line_and_field(change: tuple[str, str], where: str) -> None:
    with pytest.raises(ConfigError) as err:
        load(ISSUE_EXAMPLE.replace(*change))
    assert where in str(err.value)


def scored(n: int, author: str, stance: str) -> dict[str, Any]:
    return {
        "id": f"x:{n}",
        "source": "x",
        "text": f"Soleimani seen near Homs, witness {n} says, with {n} different words here",
        "created_at": f"2026-11-20T08:0{n}:00Z",
        "url": None,
        "author": {"id": author},
        "lang": "en",
        "score": 0.9,
        "entities": [
            {"id": "qassem-soleimani", "kind": "person", "alias": "Soleimani", "start": 0, "end": 9}
        ],
        "claims": [
            {
                "type": "troop_deployment",
                "actor": "Soleimani",
                "count": None,
                "location": "Homs",
                "stance": stance,
                "evidence": "seen near Homs",
                "start": 0,
                "end": 20,
            }
        ],
        "reasons": ["entity Qassem Soleimani (+0.50)"],
    }


def test_alerts_and_states_validate() -> None:
    config = load(ISSUE_EXAMPLE)
    book = IncidentBook()
    alerts = []
    for n, stance in enumerate(("hedged", "asserted", "asserted"), 1):
        now = 1_795_000_000.0 + n
        book.observe(config, scored(n, f"a{n}", stance), now)
        for notice in book.due(config, now):
            alerts.append(notice.alert)
            book.mark_notified(notice, now, {"osint-slack": "1700000000.000100"})
    assert [a["version"] for a in alerts] == [1, 2]  # escalation to flash goes out at once
    assert alerts[-1]["severity"] == "flash"
    for alert in alerts:
        assert list(validator("alert.v1").iter_errors(alert)) == []
    states, _ = book.take_changes()
    for state in states:
        assert [e.message for e in validator("incident-state.v1").iter_errors(state)] == []


def test_pick_states_keeps_the_highest_revision_and_honours_tombstones() -> None:
    def rec(key: str, rev: int) -> tuple[bytes, bytes]:
        return key.encode(), orjson.dumps({"id": key, "rev": rev})

    records = [
        rec("a", 1),
        rec("a", 3),
        rec("a", 2),  # written late by the other writer: older, ignored
        rec("b", 1),
        (b"b", None),  # forgotten
        rec("c", 1),
        (b"c", b"{broken"),  # unreadable: skipped, the good one stays
        (None, b"{}"),
    ]
    states = {s["id"]: s["rev"] for s in pick_states(records)}
    assert states == {"a": 3, "c": 1}
