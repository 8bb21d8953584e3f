"""Config files: YAML parsed with line numbers, validated against the JSON Schemas in
`schemas/`, every problem reported as `file:line: field: message`; and a watcher that reloads a
file when it changes (including Kubernetes ConfigMap symlink swaps), keeping the last good
config when the new one is invalid."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from services.runtime.errors import ConfigError, ConfigProblem

T = TypeVar("T")

_DURATION_RE = re.compile(r"(\d+)(ms|s|m|h|d)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """'1h30m' -> 5400.0 seconds."""
    total = 0.0
    pos = 0
    for m in _DURATION_RE.finditer(text):
        if m.start() != pos:
            break
        total += int(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        raise ValueError(f"invalid duration {text!r} (use e.g. 30s, 10m, 4h, 1h30m)")
    return total


SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """A parsed config document: its data, where it came from, and the line of every node."""

    source: str
    data: Any
    lines: dict[Path_, int]
    digest: str

    def line_of(self, path: Path_) -> int | None:
        """The line of the node at `path`, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path_, message: str) -> ConfigProblem:
        return ConfigProblem(
            source=self.source, line=self.line_of(path), field=format_path(path), message=message
        )


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


# libyaml's parser when PyYAML was built with it (the wheels are): a 100,000-alias watchlist
# parses several times faster than with the pure-Python one, and reports the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Loader):  # type: ignore[misc, valid-type]
    """A safe loader that keeps each node's start mark and refuses duplicate keys. Timestamps
    stay strings (the schemas check them as RFC 3339), as they would in JSON."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct(loader: _LineLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise ConfigError.single(
                    loader.name,
                    f"duplicate key {key!r}",
                    line=key_node.start_mark.line + 1,
                    field=format_path((*path, key)),
                )
            out[key] = _construct(loader, value_node, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, child, (*path, i), lines) for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str | bytes, source: str) -> Document:
    """Parse YAML (or JSON, which is YAML) keeping the line of every node."""
    raw = text.encode() if isinstance(text, str) else text
    loader = _LineLoader(raw.decode("utf-8-sig", errors="strict"))
    loader.name = source
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = None if node is None else _construct(loader, node, (), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError.single(source, f"invalid YAML: {exc.problem}", line=line) from exc
    except yaml.YAMLError as exc:
        raise ConfigError.single(source, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return Document(
        source=source, data=data, lines=lines, digest=hashlib.sha256(raw).hexdigest()[:16]
    )


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Load `schemas/<name>.schema.json`."""
    schema: dict[str, Any] = orjson.loads((SCHEMAS_DIR / f"{name}.schema.json").read_bytes())
    return schema


@functools.cache
def schema_registry() -> Registry:
    """Every schema in `schemas/`, so cross-file `$ref`s resolve offline."""
    resources = []
    for path in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        contents = orjson.loads(path.read_bytes())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@functools.cache
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(
        schema, registry=schema_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_problems(doc: Document, schema: str) -> list[ConfigProblem]:
    """Every schema violation in `doc`, sorted by line, each naming its line and field."""
    problems = []
    for err in validator(schema).iter_errors(doc.data):
        path: Path_ = tuple(err.absolute_path)
        message = err.message
        if err.validator == "additionalProperties":
            message = f"unknown field: {err.message}"
        problems.append(doc.problem(path, message))
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    return problems


def read_document(path: Path, schema: str) -> Document:
    """Read, parse and schema-validate one config file; raise `ConfigError` with all problems."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError.single(source, f"cannot read file: {exc.strerror}") from exc
    try:
        doc = parse_yaml(raw, source)
    except UnicodeDecodeError as exc:
        raise ConfigError.single(source, f"not UTF-8 text: {exc}") from exc
    problems = schema_problems(doc, schema)
    if problems:
        raise ConfigError(problems)
    return doc


class ConfigWatcher(Generic[T]):
    """Polls a config file and calls `on_change` with each new valid version.

    Polling the content digest (not inotify) is what survives Kubernetes ConfigMap updates,
    which swap a `..data` symlink instead of writing the file. An invalid new version is
    reported through `on_error` and the last good config stays in force.
    """

    def __init__(
        self,
        path: Path,
        load: Callable[[Path], T],
        on_change: Callable[[T], Awaitable[None] | None],
        on_error: Callable[[ConfigError], None],
        *,
        interval: float = 2.0,
        digest: str | None = None,
    ) -> None:
        self.path = path
        self.load = load
        self.on_change = on_change
        self.on_error = on_error
        self.interval = interval
        self._digest = digest
        self._failed_digest: str | None = None

    def current_digest(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]
        except OSError:
            return None

    async def check(self) -> bool:
        """Reload once if the file changed; True when a new config was applied."""
        digest = self.current_digest()
        if digest is None or digest in (self._digest, self._failed_digest):
            return False
        try:
            # Parsing and building (e.g. a large automaton) happen off the event loop.
            value = await asyncio.to_thread(self.load, self.path)
        except ConfigError as exc:
            self._failed_digest = digest
            self.on_error(exc)
            return False
        self._digest = digest
        self._failed_digest = None
        result = self.on_change(value)
        if result is not None:
            await result
        return True

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()
