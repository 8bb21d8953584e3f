"""The `fieldwatch` command: run one service, run everything locally, check config files.

fieldwatch collector | classifier | alerter      run one service (as in Kubernetes)
fieldwatch run [--demo] [--sources F] [--watchlist F] [--routes F]
fieldwatch check FILE...                         validate config files
fieldwatch classify --watchlist F [--input F] [--output F]; explain --watchlist F TEXT
fieldwatch backtest --watchlist W --routes R --input posts.jsonl [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from services.runtime.errors import ConfigError, FieldwatchError

SERVICES = ("collector", "classifier", "alerter")


def run_service(name: str, env: dict[str, str] | None = None) -> int:
    """Run one service until SIGTERM/SIGINT; the exit code of the process."""
    from services.runtime.lifecycle import serve
    from services.runtime.logging import configure_logging, get_logger
    from services.runtime.settings import load_settings

    try:
        settings = load_settings(name, env)
    except ConfigError as exc:
        print(f"fieldwatch {name}: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format, service=name)
    builders: dict[str, Callable[..., Any]] = {}
    if name == "collector":
        from services.collector.service import build as build_collector

        builders[name] = build_collector
    elif name == "classifier":
        from services.classifier.service import build as build_classifier

        builders[name] = build_classifier
    else:
        from services.alerter.service import build as build_alerter

        builders[name] = build_alerter

    async def main() -> int:
        try:
            service = builders[name](settings)
        except ConfigError as exc:
            get_logger().error("config_invalid", problems=[str(p) for p in exc.problems])
            return 2
        code: int = await serve(service, drain_timeout=settings.drain_timeout)
        return code

    return asyncio.run(main())


def detect_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        if "entities" in data:
            return "watchlist"
        if "destinations" in data or "routes" in data:
            return "routes"
        if "sources" in data:
            return "sources"
    return None


def check_files(paths: Sequence[Path], kind: str | None = None, out: Any = None) -> int:
    """Validate config files; print one line per file (and one per problem). Exit code."""
    from services.alerter.routes import routes_from_document
    from services.classifier.cli import watchlist_notes
    from services.collector.config import sources_from_document
    from services.runtime.config import parse_yaml, schema_problems

    out = out or sys.stdout
    failed = 0
    for path in paths:
        notes: list[str] = []
        try:
            doc = parse_yaml(path.read_bytes(), str(path))
            file_kind = kind or detect_kind(doc.data)
            if file_kind is None:
                raise ConfigError.single(
                    str(path),
                    "cannot tell what this file is: expected a watchlist (entities), "
                    "routes (destinations, routes) or sources (sources); use --kind",
                )
            problems = schema_problems(doc, file_kind)
            if problems:
                raise ConfigError(problems)
            if file_kind == "watchlist":
                summary, notes = watchlist_notes(doc)
            elif file_kind == "routes":
                routes = routes_from_document(doc, os.environ, require_env=False)
                summary = f"{len(routes.destinations)} destinations, {len(routes.routes)} routes"
            else:
                sources = sources_from_document(doc)
                summary = f"{len(sources.sources)} sources"
        except ConfigError as exc:
            failed += 1
            print(f"{path}: INVALID", file=out)
            for problem in exc.problems:
                print(f"  {problem}", file=out)
            continue
        except OSError as exc:
            failed += 1
            print(f"{path}: cannot read: {exc.strerror}", file=out)
            continue
        print(f"{path}: OK ({file_kind}, {summary})", file=out)
        for note in notes:
            print(f"  {note}", file=out)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fieldwatch", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SERVICES:
        sub.add_parser(name, help=f"run the {name} service (settings from FIELDWATCH_* variables)")
    run = sub.add_parser("run", help="run a local broker and the three services")
    run.add_argument("--sources", type=Path, help="sources file (default examples/sources.yaml)")
    run.add_argument("--watchlist", type=Path, help="watchlist (default examples/watchlist.yaml)")
    run.add_argument("--routes", type=Path, help="routes file (default examples/routes.yaml)")
    run.add_argument("--demo", action="store_true", help="replay the demo feed into a local sink")
    run.add_argument("--state-dir", type=Path, default=Path("var"), help="logs and the alert file")
    run.add_argument("--exit-after-alerts", type=int, default=0, help=argparse.SUPPRESS)
    run.add_argument("--timeout", type=float, default=0.0, help=argparse.SUPPRESS)
    check = sub.add_parser("check", help="validate config files (watchlist, routes, sources)")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--kind", choices=("watchlist", "routes", "sources"))
    from services.alerter import backtest
    from services.classifier.cli import add_parsers as add_classifier_parsers

    add_classifier_parsers(sub)
    backtest.register(sub)
    args = parser.parse_args(argv)

    try:
        if args.command in SERVICES:
            return run_service(args.command)
        if hasattr(args, "func"):
            code: int = args.func(args)
            return code
        if args.command == "check":
            return check_files(args.files, args.kind)
        if args.command == "run":
            from services.local import run_local

            return run_local(args)
    except FieldwatchError as exc:
        print(f"fieldwatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
