"""`fieldwatch backtest`: replay history through the classifier and the routes and print the
incidents that would have fired, sending nothing.

Posts (`post.v1` JSONL) are scored by the classifier core (`Engine`) with the given watchlist,
ordered by `created_at`, and fed to the same incident core the alerter runs (`IncidentBook`),
with simulated time: the clock is each post's `created_at`, and between posts it jumps to every
moment a pending update falls due, as the alerter's flush timer would. Invalid lines are
reported with their line number and skipped; the run goes on. `replay` is pure; `main` reads the
files and prints."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

from services.alerter.core import IncidentBook, Notice
from services.alerter.routes import RoutesConfig, routes_from_document
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist
from services.runtime.config import read_document
from services.runtime.errors import ConfigError
from services.runtime.messages import parse_time, post_errors

STEP_GUARD = 1_000_000


@dataclass
class Report:
    posts: int = 0
    invalid: list[str] = field(default_factory=list)
    # Per incident id, in the order they opened: the last state record and the alerts sent.
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    alerts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def read_posts(lines: Iterable[bytes], source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Valid posts, and one message per invalid line (`source:line: what`)."""
    posts: list[dict[str, Any]] = []
    invalid: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            invalid.append(f"{source}:{n}: invalid JSON: {exc}")
            continue
        errors = post_errors(obj)
        if errors:
            detail = "; ".join(f"{f}: {m}" for f, m in errors)
            invalid.append(f"{source}:{n}: {detail}")
            continue
        posts.append(obj)
    return posts, invalid


def replay(
    engine: Engine,
    config: RoutesConfig,
    posts: Iterable[Mapping[str, Any]],
    tag_lookup: Mapping[str, frozenset[str]] | None = None,
) -> Report:
    """Score and group `posts` with simulated time; what would have been sent."""
    report = Report()
    book = IncidentBook()
    ordered = sorted(posts, key=lambda p: parse_time(p["created_at"]).timestamp())

    def collect() -> None:
        states, _ = book.take_changes()
        for state in states:
            report.states[state["id"]] = state

    def fire(notices: list[Notice], now: float) -> None:
        for notice in notices:
            report.alerts.setdefault(notice.incident_id, []).append(notice.alert)
            book.mark_notified(notice, now, {})

    def advance(clock: float, to: float) -> float:
        """Run the flush timer up to `to`: every due moment in order."""
        for _ in range(STEP_GUARD):
            at = book.next_due()
            if at is None or at > to:
                break
            clock = max(clock, at)
            book.expire(config, clock)
            fire(book.due(config, clock), clock)
        book.expire(config, to)
        return to

    clock = 0.0
    for post in ordered:
        now = parse_time(post["created_at"]).timestamp()
        clock = advance(clock, max(clock, now))
        book.observe(config, engine.classify(dict(post)), clock, tag_lookup)
        fire(book.due(config, clock), clock)
        collect()
        report.posts += 1
    longest = max((r.group_interval for r in config.routes), default=0.0)
    advance(clock, clock + longest + 1.0)
    collect()
    return report


def incidents(report: Report, config: RoutesConfig) -> list[dict[str, Any]]:
    """The report as JSON-ready incidents, in the order they opened."""
    routes = {r.name: r for r in config.routes}
    out = []
    for iid, state in sorted(report.states.items(), key=lambda kv: kv[1]["opened_at"]):
        alerts = report.alerts.get(iid, [])
        route = routes.get(state["route"])
        out.append(
            {
                "id": iid,
                "route": state["route"],
                "to": list(route.to) if route else [],
                "fired": bool(alerts),
                "silenced_posts": state["silenced_posts"],
                "severity": state["severity"],
                "posts_count": state["posts_count"],
                "sources_count": len(state["independent"]) + state["extra_sources"],
                "notifications": [
                    {
                        "version": a["version"],
                        "at": a["sent_at"],
                        "status": a["status"],
                        "severity": a["severity"],
                        "severity_reason": a["severity_reason"],
                        "posts_count": a["posts_count"],
                    }
                    for a in alerts
                ],
                "alert": alerts[-1] if alerts else None,
            }
        )
    return out


def render(items: list[dict[str, Any]], report: Report, out: IO[str]) -> None:
    fired = [i for i in items if i["fired"]]
    muted = [i for i in items if not i["fired"]]
    sent = sum(len(i["notifications"]) for i in items)
    print(
        f"{report.posts} posts, {len(report.invalid)} invalid lines: {len(fired)} incidents "
        f"would have fired ({sent} notifications), {len(muted)} silenced",
        file=out,
    )
    for item in fired:
        alert = item["alert"]
        print(f"\n[{item['severity'].upper()}] {alert['title']}", file=out)
        print(
            f"  {item['id']} · route {item['route']} -> {', '.join(item['to'])} · "
            f"{item['posts_count']} posts from {item['sources_count']} independent sources · "
            f"{alert['first_seen']} .. {alert['last_seen']}",
            file=out,
        )
        for n in item["notifications"]:
            why = f" ({n['severity_reason']})" if n["severity_reason"] else ""
            print(
                f"  v{n['version']} {n['at']} {n['status']:<6} {n['severity']:<7} "
                f"{n['posts_count']} posts{why}",
                file=out,
            )
        first = alert["posts"][0]
        text = " ".join(str(first.get("text", "")).split())
        print(f"  > {text[:200]}", file=out)
        if first.get("url"):
            print(f"  {first['url']}", file=out)
    for item in muted:
        print(
            f"\nsilenced: {item['id']} · route {item['route']} · {item['posts_count']} posts",
            file=out,
        )


def register(sub: Any) -> None:
    """Add the `backtest` command to the CLI's subparsers."""
    p = sub.add_parser(
        "backtest", help="replay posts through classifier and routes; print what would fire"
    )
    p.add_argument("--watchlist", type=Path, required=True)
    p.add_argument("--routes", type=Path, required=True)
    p.add_argument("--input", type=Path, required=True, help="post.v1 JSONL, or - for stdin")
    p.add_argument("--json", action="store_true", help="one JSON document instead of text")
    p.set_defaults(func=main)


def main(args: argparse.Namespace, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        watchlist = load_watchlist(args.watchlist)
        # Nothing is sent: destinations need no secrets here.
        config = routes_from_document(
            read_document(args.routes, "routes"), os.environ, require_env=False
        )
    except ConfigError as exc:
        print(f"fieldwatch backtest: invalid config:\n{exc}", file=err)
        return 2
    try:
        if str(args.input) == "-":
            lines: list[bytes] = sys.stdin.buffer.read().splitlines()
        else:
            lines = args.input.read_bytes().splitlines()
    except OSError as exc:
        print(f"fieldwatch backtest: cannot read {args.input}: {exc.strerror}", file=err)
        return 2
    posts, invalid = read_posts(lines, str(args.input))
    for problem in invalid:
        print(problem, file=err)
    tags = {e.id: frozenset(e.tags) for e in watchlist.entities}
    report = replay(Engine(watchlist), config, posts, tags)
    report.invalid = invalid
    items = incidents(report, config)
    if args.json:
        doc = {"posts": report.posts, "invalid_lines": len(invalid), "incidents": items}
        out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        render(items, report, out)
    return 0
