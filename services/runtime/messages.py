"""Messages on the topics: JSON encoding (orjson), and a fast validator for `post.v1` that
agrees with `schemas/post.v1.schema.json` (a contract test checks both on the same inputs) and
names every invalid field. JSON Schema validation proper is too slow for the hot path, and the
validator has a faster path still for the common shape of post (`check_post`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import orjson

from services.runtime.errors import PoisonMessage

Post = dict[str, Any]

_SOURCE_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_MEDIA_TYPES = frozenset({"image", "video", "gif", "audio", "link", "document", "other"})
_GEO_KINDS = frozenset({"geotag", "place_tag", "profile"})
_POST_FIELDS = frozenset(
    {
        "id", "source", "text", "created_at", "collected_at", "url", "lang", "author",
        "channel", "geo", "media", "refs", "metrics",
    }
)  # fmt: skip
_SUB_FIELDS = {
    "author": frozenset({"id", "handle", "name", "url"}),
    "geo": frozenset({"lat", "lon", "place", "kind"}),
    "refs": frozenset({"reply_to", "quote_of", "repost_of"}),
}
MAX_TEXT = 100_000

# Source names and language tags already seen valid: a stream carries a handful of each, so a
# set lookup stands in for a regular expression per post. Bounded: the values come from input.
_SEEN_MAX = 1024
_good_sources: set[str] = set()
_good_langs: set[str] = set()
# Fields the fast path checks itself: plain strings, and objects whose values are strings.
_PLAIN_FIELDS = frozenset({"id", "source", "text", "created_at", "url", "channel", "lang"})
_FAST_FIELDS = _PLAIN_FIELDS | {"collected_at", "author", "refs"}
_fromisoformat = datetime.fromisoformat


# orjson's own function, not a wrapper around it: the hot paths call it once per record.
dumps = orjson.dumps


def loads(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise PoisonMessage("undecodable", f"invalid JSON: {exc}") from exc


def parse_time(value: str) -> datetime:
    """Parse an RFC 3339 timestamp into an aware UTC datetime."""
    if not _RFC3339_RE.match(value):
        raise ValueError(f"not an RFC 3339 date-time: {value[:40]!r}")
    if value[-1] == "Z" and value[10] == "T":
        return datetime.fromisoformat(value)  # the common form, already in UTC
    dt = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return dt.astimezone(UTC)


def valid_timestamp(value: str) -> float:
    """Seconds since the epoch of a date-time that passed `post_errors` (or `parse_time`): the
    hot path's second look at `created_at` skips the checks already made."""
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:  # a valid form `fromisoformat` does not take ("...t08:00:00z")
        return parse_time(value).timestamp()


def format_time(dt: datetime) -> str:
    """UTC, RFC 3339, millisecond precision, `Z` suffix."""
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utcnow() -> str:
    return format_time(datetime.now(UTC))


def _opt_str(obj: dict[str, Any], key: str, where: str, errors: list[tuple[str, str]]) -> None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        errors.append((f"{where}{key}", "must be a string or null"))


def post_errors(obj: Any) -> list[tuple[str, str]]:
    """Every problem with `obj` as a `post.v1`, as (field, message) pairs; empty when valid."""
    if not isinstance(obj, dict):
        return [("(top level)", "must be a JSON object")]
    errors: list[tuple[str, str]] = []
    for key in ("id", "source", "text", "created_at"):
        if key not in obj:
            errors.append((key, "is required"))
        elif not isinstance(obj[key], str):
            errors.append((key, "must be a string"))
    if not _POST_FIELDS.issuperset(obj):
        for key in obj:
            if key not in _POST_FIELDS:
                errors.append((str(key), "unknown field"))
    source, pid = obj.get("source"), obj.get("id")
    if isinstance(source, str) and (not _SOURCE_RE.match(source) or len(source) > 32):
        errors.append(("source", "must match ^[a-z][a-z0-9_-]*$ (at most 32 characters)"))
    if isinstance(pid, str):
        prefix, sep, native = pid.partition(":")
        if not sep or not native or not _SOURCE_RE.match(prefix) or len(pid) > 512:
            errors.append(("id", "must be '<source>:<native id>' (at most 512 characters)"))
        elif isinstance(source, str) and prefix != source:
            errors.append(("id", f"prefix {prefix!r} must equal source {source!r}"))
    text = obj.get("text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        errors.append(("text", f"longer than {MAX_TEXT} characters"))
    for key in ("created_at", "collected_at"):
        value = obj.get(key)
        if isinstance(value, str):
            try:
                parse_time(value)
            except ValueError as exc:
                errors.append((key, str(exc)))
        elif key == "collected_at" and key in obj:
            errors.append((key, "must be an RFC 3339 date-time string"))
    for key in ("url", "channel"):
        _opt_str(obj, key, "", errors)
    lang = obj.get("lang")
    if lang is not None and (not isinstance(lang, str) or not _LANG_RE.match(lang)):
        errors.append(("lang", "must be a BCP 47 language tag or null"))
    for key, allowed in _SUB_FIELDS.items():
        sub = obj.get(key)
        if sub is None:
            continue
        if not isinstance(sub, dict):
            errors.append((key, "must be an object or null"))
            continue
        for sub_key, value in sub.items():
            if sub_key not in allowed:
                errors.append((f"{key}.{sub_key}", "unknown field"))
            elif key != "geo" and value is not None and not isinstance(value, str):
                errors.append((f"{key}.{sub_key}", "must be a string or null"))
    geo = obj.get("geo")
    if isinstance(geo, dict):
        kind = geo.get("kind")
        if not isinstance(kind, str) or kind not in _GEO_KINDS:
            errors.append(("geo.kind", "must be one of geotag, place_tag, profile"))
        for axis, bound in (("lat", 90), ("lon", 180)):
            value = geo.get(axis)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.append((f"geo.{axis}", "must be a number or null"))
            elif not -bound <= value <= bound:
                errors.append((f"geo.{axis}", f"must be between -{bound} and {bound}"))
        _opt_str(geo, "place", "geo.", errors)
    media = obj.get("media")
    if media is not None:
        if not isinstance(media, list) or len(media) > 64:
            errors.append(("media", "must be a list of at most 64 items"))
        else:
            for i, item in enumerate(media):
                if not isinstance(item, dict):
                    errors.append((f"media[{i}]", "must be an object"))
                    continue
                kind = item.get("type")
                if not isinstance(kind, str) or kind not in _MEDIA_TYPES:
                    errors.append((f"media[{i}].type", f"must be one of {sorted(_MEDIA_TYPES)}"))
                for sub_key in item:
                    if sub_key not in ("type", "url", "alt"):
                        errors.append((f"media[{i}].{sub_key}", "unknown field"))
                _opt_str(item, "url", f"media[{i}].", errors)
                _opt_str(item, "alt", f"media[{i}].", errors)
    metrics = obj.get("metrics")
    if metrics is not None and (
        not isinstance(metrics, dict)
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in metrics.values()
        )
    ):
        errors.append(("metrics", "must be an object of non-negative integers or null"))
    return errors


def _fast_post_time(obj: Any) -> float | None:
    """`created_at` in seconds since the epoch if `obj` is a valid post of the common shape
    (required fields, optional strings, `author`, `refs`), else None, which means "look
    closer" (`post_errors`), never "invalid". Each check is one `post_errors` makes, cheaper
    (known sources and tags by set lookup, the id prefix by `startswith`, the usual form of
    date-time by its separators); a property test holds the two to the same verdicts."""
    if type(obj) is not dict:
        return None
    try:  # subscripts: cheaper than `get` calls, and a missing field is rare
        pid, source, created, text = obj["id"], obj["source"], obj["created_at"], obj["text"]
    except KeyError:
        return None
    if type(pid) is not str or type(source) is not str or type(created) is not str:
        return None
    if type(text) is not str or len(text) > MAX_TEXT:
        return None
    if source not in _good_sources:
        if len(source) > 32 or not _SOURCE_RE.match(source) or len(_good_sources) >= _SEEN_MAX:
            return None
        _good_sources.add(source)
    # A valid source has no ':', so this is `prefix == source` with a non-empty native id.
    n = len(source)
    if len(pid) > 512 or len(pid) <= n + 1 or pid[n] != ":" or not pid.startswith(source):
        return None
    if len(obj) > 4:
        if not _PLAIN_FIELDS.issuperset(obj) and not _fast_extras(obj):
            return None
        value = obj.get("url")
        if value is not None and type(value) is not str:
            return None
        value = obj.get("channel")
        if value is not None and type(value) is not str:
            return None
        lang = obj.get("lang")
        if lang is not None:
            if type(lang) is not str:
                return None
            if lang not in _good_langs:
                if not _LANG_RE.match(lang) or len(_good_langs) >= _SEEN_MAX:
                    return None
                _good_langs.add(lang)
    if not _usual_form(created) and not _RFC3339_RE.match(created):
        return None
    try:
        return _fromisoformat(created).timestamp()
    except ValueError:  # an impossible date, or a valid form `fromisoformat` does not take
        return None


def _usual_form(value: str) -> bool:
    """Whether `value` has the separators of "2026-11-20T08:00:00Z" or "2026-11-20T08:00:00.000Z"
    (`format_time`'s), the forms nearly every post has. Given those, `fromisoformat` takes the
    string only if every other character is an ASCII digit, which is what `_RFC3339_RE` would
    check at several times the cost; but it stops reading at a "Z" followed by a NUL, so a NUL
    is never of the usual form. A test holds the two to the same verdicts on strings that
    differ from these forms in one or two places."""
    n = len(value)
    return (
        (n == 20 or (n == 24 and value[19] == "."))
        and value[n - 1] == "Z"
        and value[10] == "T"
        and value[4] == "-"
        and value[7] == "-"
        and value[13] == ":"
        and value[16] == ":"
        and "\x00" not in value
    )


def _fast_extras(obj: dict[str, Any]) -> bool:
    """The fast path's checks of `collected_at`, `author` and `refs`."""
    if not _FAST_FIELDS.issuperset(obj):
        return False
    if "collected_at" in obj:
        value = obj["collected_at"]
        if type(value) is not str or not (_usual_form(value) or _RFC3339_RE.match(value)):
            return False
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
    for key in ("author", "refs"):
        sub = obj.get(key)
        if sub is None:
            continue
        if type(sub) is not dict or not _SUB_FIELDS[key].issuperset(sub):
            return False
        for value in sub.values():
            if value is not None and type(value) is not str:
                return False
    return True


def validate_post(obj: Any) -> Post:
    """Return `obj` as a post, or raise `PoisonMessage('schema_invalid', ...)`."""
    return check_post(obj)[0]


def check_post(obj: Any) -> tuple[Post, float]:
    """`validate_post`, with `created_at` in seconds since the epoch (the hot path wants both,
    and the fast path has it parsed already)."""
    created = _fast_post_time(obj)
    if created is None:
        errors = post_errors(obj)
        if errors:
            detail = "; ".join(f"{field}: {msg}" for field, msg in errors)
            raise PoisonMessage("schema_invalid", detail)
        created = valid_timestamp(obj["created_at"])
    post: Post = obj
    return post, created


def normalise_times(post: Post, collected_at: str | None = None) -> Post:
    """`created_at` in UTC with `Z`, and `collected_at` set if missing."""
    post["created_at"] = format_time(parse_time(post["created_at"]))
    if collected_at is not None and not post.get("collected_at"):
        post["collected_at"] = collected_at
    return post
