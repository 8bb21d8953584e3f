"""The routes file (`FIELDWATCH_ROUTES`): destinations, ordered routes, silences; parsed,
schema-validated and checked (unknown destinations, duplicate names, unsafe URLs), with every
problem naming file, line and field. Secrets are referenced by environment variable name."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from services.runtime.config import Document, parse_duration, read_document
from services.runtime.errors import ConfigError, ConfigProblem
from services.runtime.messages import parse_time
from services.runtime.settings import Secret


@dataclass(frozen=True)
class Match:
    min_score: float = 0.0
    claims: frozenset[str] = frozenset()
    stances: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    entity_tags: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    langs: frozenset[str] = frozenset()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Match:
        return cls(
            min_score=float(raw.get("min_score", 0.0)),
            **{
                k: frozenset(raw.get(k, ()))
                for k in ("claims", "stances", "entities", "entity_tags", "sources", "langs")
            },
        )


@dataclass(frozen=True)
class Destination:
    name: str
    type: str
    url: str | None  # None when url_env names an unset variable (reported at load)
    secret: Secret | None = None
    bot_token: Secret | None = None
    channel: str | None = None
    allow_private: bool = False
    timeout: float = 10.0
    rate_per_second: float = 1.0
    burst: int = 3
    max_retries: int = 8
    retry_budget: float = 600.0

    def __repr__(self) -> str:  # the URL of a Slack webhook is itself a secret
        return f"Destination(name={self.name!r}, type={self.type!r})"


@dataclass(frozen=True)
class Route:
    name: str
    match: Match
    severity: str
    to: tuple[str, ...]
    group_window: float = 600.0
    group_interval: float = 300.0
    repeat_interval: float = 4 * 3600.0
    continue_: bool = False


@dataclass(frozen=True)
class Silence:
    match: Match
    until: datetime | None
    comment: str = ""


@dataclass(frozen=True)
class RoutesConfig:
    destinations: dict[str, Destination]
    routes: tuple[Route, ...]
    silences: tuple[Silence, ...] = ()
    version: str = ""
    source: str = "<memory>"
    problems: tuple[str, ...] = field(default=())


def url_problem(url: str, allow_private: bool) -> str | None:
    """Why `url` is not an acceptable destination, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "URL must be http(s)"
    host = parts.hostname
    if not host:
        return "URL has no host"
    if allow_private:
        return None
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".internal"):
        return f"host {host} is private; set allow_private: true to allow it"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: resolved addresses are checked again at delivery time
    if not ip.is_global:
        return f"address {host} is private, loopback or link-local; set allow_private: true"
    return None


def routes_from_document(
    doc: Document, env: Mapping[str, str], *, require_env: bool = True
) -> RoutesConfig:
    """Build the routes; with `require_env=False` (as `fieldwatch check` runs on a machine
    without the secrets) unset environment variables are not problems."""
    problems: list[ConfigProblem] = []
    data = doc.data
    destinations: dict[str, Destination] = {}
    for i, raw in enumerate(data["destinations"]):
        path: tuple[str | int, ...] = ("destinations", i)
        name = raw["name"]
        if name in destinations:
            problems.append(doc.problem((*path, "name"), f"duplicate destination {name!r}"))
        url = raw.get("url")
        if "url_env" in raw:
            url = env.get(raw["url_env"]) or None
            if url is None and require_env:
                problems.append(
                    doc.problem(
                        (*path, "url_env"),
                        f"environment variable {raw['url_env']} is not set",
                    )
                )
        allow_private = bool(raw.get("allow_private", False))
        if url is not None:
            why = url_problem(url, allow_private)
            if why:
                field_name = "url_env" if "url_env" in raw else "url"
                problems.append(doc.problem((*path, field_name), why))
        secret = None
        if "secret_env" in raw:
            value = env.get(raw["secret_env"])
            if not value and require_env:
                problems.append(
                    doc.problem(
                        (*path, "secret_env"),
                        f"environment variable {raw['secret_env']} is not set",
                    )
                )
            elif value:
                secret = Secret(value)
        bot_token = None
        if "bot_token_env" in raw and env.get(raw["bot_token_env"]):
            bot_token = Secret(env[raw["bot_token_env"]])
        is_slack = raw["type"] == "slack"
        destinations[name] = Destination(
            name=name,
            type=raw["type"],
            url=url,
            secret=secret,
            bot_token=bot_token,
            channel=raw.get("channel"),
            allow_private=allow_private,
            timeout=parse_duration(raw.get("timeout", "10s")),
            rate_per_second=float(raw.get("rate_per_second", 1.0 if is_slack else 10.0)),
            burst=int(raw.get("burst", 3 if is_slack else 20)),
            max_retries=int(raw.get("max_retries", 8)),
            retry_budget=parse_duration(raw.get("retry_budget", "10m")),
        )
    routes = []
    names: set[str] = set()
    for i, raw in enumerate(data["routes"]):
        path = ("routes", i)
        if raw["name"] in names:
            problems.append(doc.problem((*path, "name"), f"duplicate route {raw['name']!r}"))
        names.add(raw["name"])
        for j, dest in enumerate(raw["to"]):
            if dest not in destinations:
                problems.append(doc.problem((*path, "to", j), f"unknown destination {dest!r}"))
        group_interval = parse_duration(raw.get("group_interval", "5m"))
        repeat_interval = parse_duration(raw.get("repeat_interval", "4h"))
        if repeat_interval < group_interval:
            # Alertmanager silently repeats once per group_interval then; say so instead.
            problems.append(
                doc.problem(
                    (*path, "repeat_interval"),
                    f"must not be shorter than group_interval ({raw.get('group_interval', '5m')})",
                )
            )
        routes.append(
            Route(
                name=raw["name"],
                match=Match.from_raw(raw.get("match", {})),
                severity=raw.get("severity", "routine"),
                to=tuple(raw["to"]),
                group_window=parse_duration(raw.get("group_window", "10m")),
                group_interval=group_interval,
                repeat_interval=repeat_interval,
                continue_=bool(raw.get("continue", False)),
            )
        )
    silences = []
    for raw in data.get("silences", []):
        until = parse_time(raw["until"]) if "until" in raw else None
        silences.append(
            Silence(match=Match.from_raw(raw["match"]), until=until, comment=raw.get("comment", ""))
        )
    if problems:
        raise ConfigError(problems)
    return RoutesConfig(
        destinations=destinations,
        routes=tuple(routes),
        silences=tuple(silences),
        version=doc.digest,
        source=doc.source,
    )


def load_routes(path: Path, env: Mapping[str, str] | None = None) -> RoutesConfig:
    """Read and validate a routes file; `ConfigError` names file, line and field."""
    return routes_from_document(read_document(path, "routes"), os.environ if env is None else env)
