"""Types of the C extension `_native.c`: the classifier's hot path, and the build of the alias
automaton's table and of the skeleton index (see text.py, matching.py, claims_text.py,
skeleton.py)."""

from collections.abc import Iterable
from typing import Any, overload

def configure(mapping: dict[str, str], /) -> None: ...
def normalize(text: str, /) -> tuple[str, bytes | None]: ...
def fold(text: str, /) -> str: ...

class Automaton:
    """An Aho-Corasick automaton over the code points of non-empty keys."""

    keys: int
    states: int
    nbytes: int
    def __init__(self, keys: list[str], *, dense_cells: int = ...) -> None: ...
    def hits(self, text: str, /) -> list[tuple[int, int, int]]: ...

def scan(
    automaton: Automaton,
    text: str,
    values: list[tuple[int, tuple[Any, ...], bool, int]],
    arabic_suffixes: frozenset[str],
    proclitics: frozenset[str],
    match_type: type[Any],
    /,
) -> tuple[list[Any], int]: ...
def phrases(
    text: str,
    hits: list[tuple[int, int, int]],
    table: list[tuple[Any, ...]],
    offset: int,
    stop: int,
    clitics: frozenset[str],
    hit_type: type[Any],
    /,
) -> list[Any]: ...
@overload
def find_phrases(
    automaton: Automaton,
    text: str,
    table: list[tuple[Any, ...]],
    clitics: frozenset[str],
    hit_type: None,
    /,
) -> bool: ...
@overload
def find_phrases(
    automaton: Automaton,
    text: str,
    table: list[tuple[Any, ...]],
    clitics: frozenset[str],
    hit_type: type[Any],
    /,
) -> list[Any]: ...
@overload
def lower_fold(text: str, table: bytes, /) -> tuple[str, str, tuple[int, ...] | None] | None: ...
@overload
def lower_fold(
    text: str, table: bytes, raw: bool, /
) -> tuple[str | None, str, tuple[int, ...] | None] | None: ...
def has_digit(text: str, start: int, end: int, /) -> bool: ...
def has_any(text: str, table: bytes, start: int, end: int, /) -> bool: ...
def astral(text: str, /) -> bool: ...

# The build of the automaton's table (matching.compile_table; compile_table_py is its reference).
def compile_setup(
    pattern: type[Any],
    declensions: dict[str, tuple[str, ...]],
    endings: dict[str, frozenset[str]],
    endings_not_bare: dict[str, frozenset[str]],
    proper_endings: dict[str, frozenset[str]],
    proper_not_bare: dict[str, frozenset[str]],
    bare: frozenset[str],
    common: frozenset[str],
    /,
) -> None: ...
def compile_table(
    entries: list[tuple[int, str, int]] | tuple[tuple[int, str, int], ...],
    bits: dict[str, int],
    /,
) -> tuple[list[str], list[tuple[int, tuple[Any, ...], bool, int]]]: ...
def skeleton(word: str, /) -> str: ...
def skeleton_table(keys: list[tuple[int, str] | tuple[int, str, bool, bool]], /) -> bytes: ...
def skeleton_candidates(
    text: str, table: bytes, skip: frozenset[str], matches: list[Any], /
) -> list[tuple[int, int]] | None: ...
def skeleton_index(
    entries: Iterable[tuple[int, str, int]],
    aliases: list[tuple[str, ...]],
    articles: frozenset[str],
    common: frozenset[str],
    least: int,
    /,
) -> tuple[
    dict[str, list[tuple[int, str, int, bool, bool]]],
    set[str],
    frozenset[str],
    frozenset[str],
    int,
    bytes,
]: ...
def typo_words(text: str, matches: list[Any], /) -> list[tuple[int, int]] | None: ...
