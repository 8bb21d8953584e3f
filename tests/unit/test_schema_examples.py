"""Every schema is valid JSON Schema 2020-12, has at least one example, and every example in
`schemas/examples/` validates against its schema."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator
from services.runtime.config import SCHEMAS_DIR, load_schema, parse_yaml, validator

pytestmark = pytest.mark.unit

EXAMPLES = SCHEMAS_DIR / "examples"
SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS_DIR.glob("*.schema.json"))


def example_data(path: Path) -> object:
    if path.suffix == ".json":
        return orjson.loads(path.read_bytes())
    return parse_yaml(path.read_bytes(), str(path)).data


@pytest.mark.parametrize("schema", SCHEMAS)
def test_schema_is_valid_and_has_an_example(schema: str) -> None:
    Draft202012Validator.check_schema(load_schema(schema))
    assert [p for p in EXAMPLES.iterdir() if p.stem == schema], f"no example for {schema}"


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_example_validates(path: Path) -> None:
    assert path.stem in SCHEMAS, f"{path.name} names no schema"
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(path.stem).iter_errors(example_data(path))
    ]
    assert errors == []
