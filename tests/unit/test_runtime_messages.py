"""The fast post.v1 validator agrees with the JSON Schema, and names fields."""

from __future__ import annotations

import copy
import itertools
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from services.runtime.config import validator
from services.runtime.errors import PoisonMessage
from services.runtime.messages import (
    _RFC3339_RE,
    _fast_post_time,
    _usual_form,
    check_post,
    format_time,
    normalise_times,
    parse_time,
    post_errors,
    valid_timestamp,
    validate_post,
)

pytestmark = pytest.mark.unit

FULL: dict[str, Any] = {
    "id": "telegram:rybar/51234",
    "source": "telegram",
    "text": "Колонна замечена у Хомса",
    "created_at": "2026-11-20T08:01:00Z",
    "collected_at": "2026-11-20T08:01:05.123Z",
    "url": "https://t.me/rybar/51234",
    "lang": "ru",
    "author": {"id": "1", "handle": "rybar", "name": "Рыбарь", "url": "https://t.me/rybar"},
    "channel": "rybar",
    "geo": {"lat": 34.73, "lon": 36.71, "place": "Homs", "kind": "geotag"},
    "media": [{"type": "image", "url": "https://cdn.example/1.jpg", "alt": "a convoy"}],
    "refs": {"reply_to": None, "quote_of": None, "repost_of": "telegram:other/1"},
    "metrics": {"views": 12000},
}


def mutate(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    post = copy.deepcopy(FULL)
    target: Any = post
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return post


CASES = [
    ((), None, None),
    (("text",), KeyError, "text"),
    (("id",), 5, "id"),
    (("id",), "telegram", "id"),
    (("id",), "x:123", "id"),  # prefix differs from source: only the fast validator knows
    (("source",), "Tele gram", "source"),
    (("created_at",), "20 Nov 2026", "created_at"),
    (("created_at",), "2026-11-20T08:01:00", "created_at"),  # no offset
    (("lang",), "russian language", "lang"),
    (("geo", "kind"), "gps", "geo.kind"),
    (("geo", "kind"), ["geotag"], "geo.kind"),  # not a string: an error, not a crash
    (("geo", "lat"), 91, "geo.lat"),
    (("geo", "lon"), "36", "geo.lon"),
    (("media", 0, "type"), "hologram", "media[0].type"),
    (("media", 0, "type"), {"image": 1}, "media[0].type"),
    (("media", 0, "extra"), 1, "media[0].extra"),
    (("author", "followers"), 3, "author.followers"),
    (("refs", "repost_of"), 7, "refs.repost_of"),
    (("metrics", "views"), -1, "metrics"),
    (("colour",), "red", "colour"),
    (("text",), "x" * 100_001, "text"),
]


@pytest.mark.parametrize(("path", "value", "field"), CASES)
def test_validator_names_the_field_and_agrees_with_the_schema(
    path: tuple[Any, ...], value: Any, field: str | None
) -> None:
    post = FULL if not path else mutate(path, value)
    errors = post_errors(post)
    schema_errors = list(validator("post.v1").iter_errors(post))
    if field is None:
        assert errors == []
        assert schema_errors == []
        return
    assert field in {f for f, _ in errors}
    if field != "id" or value != "x:123":
        assert schema_errors, "the JSON Schema must reject it too"


def test_validate_post_raises_poison_with_every_field() -> None:
    with pytest.raises(PoisonMessage) as info:
        validate_post({"id": "x:1", "source": "x"})
    assert info.value.reason == "schema_invalid"
    assert "text: is required" in info.value.detail
    assert "created_at: is required" in info.value.detail
    with pytest.raises(PoisonMessage, match="must be a JSON object"):
        validate_post([1, 2])


def test_times_are_normalised_to_utc() -> None:
    post = normalise_times(
        {**FULL, "created_at": "2026-11-20T11:01:00+03:00"}, "2026-11-20T09:00:00.000Z"
    )
    assert post["created_at"] == "2026-11-20T08:01:00.000Z"
    assert format_time(parse_time("2026-11-20t08:01:00.5z")) == "2026-11-20T08:01:00.500Z"


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-20T08:01:00Z",
        "2026-11-20T08:01:00.5Z",
        "2026-11-20T08:01:00.123456789Z",
        "2026-11-20t08:01:00.5z",
        "2026-11-20 08:01:00Z",
        "2026-11-20T11:01:00+03:00",
        "2026-11-20T03:01:00.25-05:00",
        "2024-02-29T23:59:59Z",
    ],
)
def test_the_hot_path_timestamp_is_parse_times(value: str) -> None:
    assert valid_timestamp(value) == parse_time(value).timestamp()


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.timezones()))
def test_the_hot_path_timestamp_agrees_on_any_valid_time(dt: Any) -> None:
    value = format_time(dt)
    assert valid_timestamp(value) == parse_time(value).timestamp()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.sampled_from(["x:1", "bad", 3, "x:"]),
            "source": st.sampled_from(["x", "X", "", 1]),
            "text": st.text(max_size=30) | st.integers(),
            "created_at": st.sampled_from(["2026-11-20T08:00:00Z", "2026-13-01T00:00:00Z", "now"]),
            "lang": st.sampled_from(["en", "zh-Hant", "", "e"]) | json_values,
            "geo": json_values,
            "media": json_values,
            "author": json_values,
            "refs": json_values,
            "url": json_values,
        },
    )
)
def test_fast_validator_never_accepts_what_the_schema_rejects(post: dict[str, Any]) -> None:
    if not post_errors(post):
        assert not list(validator("post.v1").iter_errors(post)), post


COMMON = {k: v for k, v in FULL.items() if k not in ("geo", "media", "metrics")}


@pytest.mark.parametrize(
    "post",
    [
        {k: FULL[k] for k in ("id", "source", "text", "created_at")},
        COMMON,
        {**COMMON, "lang": None, "url": None, "author": None, "refs": {}},
        {**COMMON, "created_at": "2026-11-20T11:01:00.25+03:00"},
        {
            **COMMON,
            "created_at": "2026-11-20T08:01:00.000Z",
            "collected_at": "2026-11-20T08:01:05Z",
        },
    ],
)
def test_the_fast_path_takes_the_common_shapes(post: dict[str, Any]) -> None:
    assert _fast_post_time(post) == valid_timestamp(post["created_at"])
    assert check_post(post) == (post, valid_timestamp(post["created_at"]))


@pytest.mark.parametrize(
    "created",
    [
        "2026-11-2xT08:00:00Z",
        "\u0662\u0660\u0662\u0666-11-20T08:00:00Z",  # Arabic-Indic digits: `\d` takes them
        "2026-11-20T08:00:0\u0660Z",
        "2026-11-20T08:0 :00Z",
        "2026-11-20T08:00:60Z",
        "2026-02-30T08:00:00Z",
        "+026-11-20T08:00:00Z",
        "2026-11-20T08:00:Z\x00Z",  # fromisoformat stops at a Z followed by a NUL
        "2026-11-20T08:00:00.1a3Z",
        "2026-11-20T08:00:00.Z\x003Z",
    ],
)
def test_the_usual_form_of_date_time_is_read_digit_by_digit(created: str) -> None:
    # The fast path knows the usual forms by their separators and leaves the digits to
    # `fromisoformat`: none of these has the form's digits, and none may pass.
    post = {**COMMON, "created_at": created}
    assert _fast_post_time(post) is None
    assert _fast_post_time({**COMMON, "collected_at": created}) is None
    assert "created_at" in {field for field, _ in post_errors(post)}


def test_the_usual_forms_agree_with_the_regular_expression_one_or_two_changes_away() -> None:
    # Every string one or two characters away from the usual forms: where the fast path's
    # check of the form and `fromisoformat` take it, the regular expression takes it too.
    changes = [*"09+-Z:.aT \x00", "\u0660"]
    checked = 0
    for usual in ("2026-11-20T08:00:00Z", "2024-02-29T23:59:59.123Z"):
        for i, j in itertools.combinations_with_replacement(range(len(usual)), 2):
            for a, b in itertools.product(changes, repeat=2):
                chars = list(usual)
                chars[i], chars[j] = a, b
                value = "".join(chars)
                if not _usual_form(value):
                    continue
                try:
                    datetime.fromisoformat(value)
                except ValueError:
                    continue
                checked += 1
                assert _RFC3339_RE.match(value), value
    assert checked > 1000


@pytest.mark.parametrize(("path", "value", "field"), CASES[1:])
def test_check_post_rejects_what_post_errors_rejects(
    path: tuple[Any, ...], value: Any, field: str
) -> None:
    post = mutate(path, value)
    assert _fast_post_time(post) is None
    with pytest.raises(PoisonMessage) as info:
        check_post(post)
    assert info.value.reason == "schema_invalid"
    assert field in info.value.detail


TIMES = st.sampled_from(
    [
        "2026-11-20T08:00:00Z",
        "2026-11-20t08:00:00.5z",
        "2026-11-20 08:00:00+03:00",
        "2026-13-01T00:00:00Z",
        "2026-11-20T08:00:00",
        "2026-11-20",
        "2026-11-2xT08:00:00Z",
        "2026-11-20T08:00:60Z",
        "now",
    ]
)
OPTIONAL = {
    "collected_at": TIMES | json_values,
    "lang": st.sampled_from(["en", "zh-Hant", "", "e"]) | json_values,
    "url": st.text(max_size=5) | json_values,
    "channel": json_values,
    "author": json_values
    | st.fixed_dictionaries({}, optional={"id": st.text(max_size=3), "handle": json_values}),
    "refs": json_values
    | st.fixed_dictionaries({}, optional={"reply_to": st.none(), "other": json_values}),
    "geo": st.none() | json_values,
}
# Posts with valid required fields (so that the fast path gets to its other checks), and posts
# with anything in them.
POSTS = st.fixed_dictionaries(
    {
        "id": st.just("x:1"),
        "source": st.just("x"),
        "text": st.text(max_size=30),
        "created_at": TIMES,
    },
    optional=OPTIONAL,
) | st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["x:1", "bad", 3, "x:", "xy:1", ":1", "x:1:2", "X:1"]),
        "source": st.sampled_from(["x", "X", "", 1, "x:1", "x" * 33]),
        "text": st.text(max_size=30) | st.integers() | st.none(),
        "created_at": TIMES | st.none(),
        **OPTIONAL,
    },
)


@settings(max_examples=400, deadline=None)
@given(POSTS)
def test_the_fast_path_accepts_only_what_post_errors_accepts(post: dict[str, Any]) -> None:
    created = _fast_post_time(post)
    if created is not None:
        assert post_errors(post) == [], post
        assert created == valid_timestamp(post["created_at"])
    if not post_errors(post):
        assert check_post(post) == (post, valid_timestamp(post["created_at"]))
    else:
        with pytest.raises(PoisonMessage):
            check_post(post)
