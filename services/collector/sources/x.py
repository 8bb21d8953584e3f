"""X (Twitter) API v2 filtered stream. The pure core reads the stream's wire (`LineSplitter`:
`\\r\\n`-terminated JSON messages, bare keep-alive lines, messages split across reads) and turns
one message into posts: `x:<tweet id>`, text with t.co links expanded (the full `note_tweet`
text when there is one, the full text of a retweeted tweet), author and place from
`includes`, `geo` as a geotag when the tweet has coordinates, as a place tag (with the place's
full name) when it only has a place, as the profile location otherwise; replies, quotes and
retweets as `refs`. In-band `operational-disconnect` errors end the connection. `rules_diff`
says which stream rules to add and delete so the account's rules equal the sources file.

The shell syncs the rules, connects with the author and place expansions, treats
`stall_timeout` seconds without a byte (keep-alives arrive every 20 s) as a dead connection,
and reconnects on X's documented schedules (`Reconnect`): network errors linearly from
250 ms up to 16 s, HTTP errors exponentially from 5 s up to 320 s, 429 exponentially from
one minute. The checkpoint records the newest tweet handed over; the stream itself has no
cursor (`backfill_minutes` recovers a short gap on tiers that have it)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import orjson

from services.collector.polite import retry_after
from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.postutil import (
    MAX_URL,
    cap_text,
    finish,
    lang_tag,
    parse_when,
    reject,
    rfc3339,
    short,
)
from services.collector.sources.pump import Piece, Put, pump
from services.collector.text import clean_text
from services.runtime.logging import get_logger

log = get_logger("fieldwatch.collector.x")

DEFAULT_BASE = "https://api.x.com"
STREAM_PATH = "/2/tweets/search/stream"
RULES_PATH = "/2/tweets/search/stream/rules"
STREAM_PARAMS = {
    "expansions": "author_id,geo.place_id,attachments.media_keys,referenced_tweets.id",
    "tweet.fields": "created_at,lang,geo,entities,referenced_tweets,attachments,author_id,"
    "public_metrics,conversation_id,note_tweet",
    "user.fields": "username,name,location,verified",
    "place.fields": "full_name,name,country,country_code,geo,place_type",
    "media.fields": "url,preview_image_url,alt_text,type,variants",
}
MAX_LINE = 8 * 1024 * 1024
_MEDIA_TYPES = {"photo": "image", "video": "video", "animated_gif": "gif"}
# Places small enough that the centre of their bounding box says where the tweet was.
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,50}$")
_LOCAL_PLACES = frozenset({"city", "neighborhood", "poi"})


# -- pure core ---------------------------------------------------------------------------------
@dataclass
class LineSplitter:
    """Cuts the stream body into lines; keep-alives are empty lines. A line longer than
    `max_line` is returned as oversized (then dropped) instead of filling memory."""

    max_line: int = MAX_LINE
    _buffer: bytes = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        self._buffer += chunk
        lines = self._buffer.split(b"\n")
        self._buffer = lines.pop()
        if len(self._buffer) > self.max_line:
            lines.append(self._buffer)
            self._buffer = b""
        return [line.removesuffix(b"\r") for line in lines]

    def rest(self) -> bytes:
        """What is left when the connection ends: a message cut off mid-line, if any."""
        rest, self._buffer = self._buffer, b""
        return rest


@dataclass(frozen=True)
class Message:
    """One stream message: posts and rejects, and whether X asked us to reconnect."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    disconnect: str | None = None
    keepalive: bool = False


def _index(items: Any, key: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get(key), str | int):
                out[str(item[key])] = item
    return out


def expand_urls(text: str, entities: Any) -> str:
    """t.co links replaced by the links they stand for (`expanded_url`). By URL rather than by
    offset: X counts offsets in code points of the unescaped text, which drifts on `&amp;`."""
    if not isinstance(entities, dict) or not isinstance(entities.get("urls"), list):
        return text
    for entity in entities["urls"]:
        if not isinstance(entity, dict):
            continue
        short_url, expanded = entity.get("url"), entity.get("expanded_url")
        if isinstance(short_url, str) and short_url and isinstance(expanded, str) and expanded:
            text = text.replace(short_url, expanded[:MAX_URL])
    return text


def _tweet_text(tweet: Mapping[str, Any]) -> str:
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        return expand_urls(note["text"], note.get("entities"))
    text = tweet.get("text")
    if not isinstance(text, str):
        raise ValueError("tweet.text must be a string")
    return expand_urls(text, tweet.get("entities"))


def _refs(tweet: Mapping[str, Any]) -> dict[str, str | None]:
    refs: dict[str, str | None] = {}
    names = {"replied_to": "reply_to", "quoted": "quote_of", "retweeted": "repost_of"}
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") in names and isinstance(ref.get("id"), str):
            refs[names[ref["type"]]] = f"x:{ref['id']}"
    return refs


def _geo(tweet: Mapping[str, Any], places: dict[str, dict[str, Any]], user: Any) -> Any:
    geo = tweet.get("geo")
    place: dict[str, Any] | None = None
    if isinstance(geo, dict):
        place = places.get(str(geo.get("place_id"))) if geo.get("place_id") else None
        place_name = short(place.get("full_name") or place.get("name")) if place else None
        point = geo.get("coordinates")
        if isinstance(point, dict) and point.get("type") == "Point":
            coords = point.get("coordinates")
            # GeoJSON order: longitude, latitude.
            if (
                isinstance(coords, list)
                and len(coords) == 2
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
                and -180 <= coords[0] <= 180
                and -90 <= coords[1] <= 90
            ):
                return {"kind": "geotag", "lat": coords[1], "lon": coords[0], "place": place_name}
        if place is not None:
            out: dict[str, Any] = {"kind": "place_tag", "place": place_name}
            bbox = (
                (place.get("geo") or {}).get("bbox") if isinstance(place.get("geo"), dict) else None
            )
            if (
                place.get("place_type") in _LOCAL_PLACES
                and isinstance(bbox, list)
                and len(bbox) == 4
                and all(isinstance(c, int | float) and not isinstance(c, bool) for c in bbox)
            ):
                lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
                if -180 <= lon <= 180 and -90 <= lat <= 90:
                    out["lat"], out["lon"] = round(lat, 6), round(lon, 6)
            return out
    if isinstance(user, dict) and isinstance(user.get("location"), str):
        location = clean_text(user["location"])
        if location:
            return {"kind": "profile", "place": short(location)}
    return None


def _media(tweet: Mapping[str, Any], media: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    attachments = tweet.get("attachments")
    keys = attachments.get("media_keys") if isinstance(attachments, dict) else None
    for key in keys if isinstance(keys, list) else []:
        item = media.get(str(key))
        if item is None:
            continue
        url = item.get("url") or item.get("preview_image_url")
        variants = item.get("variants")
        if item.get("type") in ("video", "animated_gif") and isinstance(variants, list):
            mp4 = [
                v
                for v in variants
                if isinstance(v, dict) and v.get("content_type") == "video/mp4" and v.get("url")
            ]
            if mp4:
                best = max(mp4, key=lambda v: v.get("bit_rate") or 0)
                url = best["url"]
        alt = item.get("alt_text")
        out.append(
            {
                "type": _MEDIA_TYPES.get(str(item.get("type")), "other"),
                "url": short(url, MAX_URL),
                "alt": short(clean_text(alt)) if isinstance(alt, str) else None,
            }
        )
    return out[:64]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def normalise_tweet(
    tweet: Mapping[str, Any], includes: Mapping[str, Any], rules: Any = None
) -> dict[str, Any]:
    """A tweet (with the message's `includes`) as a post.v1 draft (checked by `finish`)."""
    tweet_id = tweet.get("id")
    if not isinstance(tweet_id, str) or not tweet_id.isdigit():
        raise ValueError("tweet.id must be a string of digits")
    created = parse_when(tweet.get("created_at"))
    if created is None:
        raise ValueError("tweet.created_at missing (request tweet.fields=created_at)")
    users = _index(includes.get("users"), "id")
    places = _index(includes.get("places"), "id")
    media = _index(includes.get("media"), "media_key")
    tweets = _index(includes.get("tweets"), "id")
    user = users.get(str(tweet.get("author_id")))
    username = user.get("username") if user else None
    text = _tweet_text(tweet)
    refs = _refs(tweet)
    repost_of = refs.get("repost_of")
    original = tweets.get(repost_of[2:]) if repost_of else None
    if original is not None and text.startswith("RT @"):
        # The retweet's own text is cut at 140 characters; the original has all of it.
        head = text.split(":", 1)[0]
        text = f"{head}: {_tweet_text(original)}"
    found = tweet.get("public_metrics")
    metrics: Mapping[str, Any] = found if isinstance(found, dict) else {}
    channel = None
    if isinstance(rules, list) and rules and isinstance(rules[0], dict):
        tag = rules[0].get("tag")
        channel = short(tag, 256) if isinstance(tag, str) else None
    return {
        "id": f"x:{tweet_id}",
        "source": "x",
        "text": cap_text(clean_text(text)),
        "created_at": rfc3339(created),
        "url": (
            f"https://x.com/{username}/status/{tweet_id}"
            if isinstance(username, str) and _USERNAME_RE.match(username)
            else f"https://x.com/i/web/status/{tweet_id}"
        ),
        "lang": lang_tag(tweet.get("lang")),
        "author": {
            "id": short(str(tweet.get("author_id")) if tweet.get("author_id") else None),
            "handle": short(username, 64),
            "name": short(clean_text(user["name"]), 512)
            if user and isinstance(user.get("name"), str)
            else None,
            "url": f"https://x.com/{username}"
            if isinstance(username, str) and _USERNAME_RE.match(username)
            else None,
        },
        "channel": channel,
        "geo": _geo(tweet, places, user),
        "media": _media(tweet, media),
        "refs": refs,
        "metrics": {
            "replies": _count(metrics.get("reply_count")),
            "reposts": _count(metrics.get("retweet_count")),
            "likes": _count(metrics.get("like_count")),
            "quotes": _count(metrics.get("quote_count")),
            "views": _count(metrics.get("impression_count")),
        },
    }


def parse_message(line: bytes) -> Message:
    """One line of the stream body."""
    if not line.strip():
        return Message(keepalive=True)
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Message(rejects=[reject(line, "undecodable", f"invalid JSON: {exc}")])
    if not isinstance(value, dict):
        return Message(rejects=[reject(line, "schema_invalid", "message is not an object")])
    data = value.get("data")
    errors = value.get("errors")
    disconnect = None
    if isinstance(errors, list):
        for error in errors:
            if isinstance(error, dict) and (
                error.get("title") == "operational-disconnect"
                or str(error.get("type", "")).endswith("/operational-disconnect")
            ):
                disconnect = str(error.get("disconnect_type") or "operational-disconnect")[:64]
    if data is None:
        if disconnect is not None or errors is not None:
            return Message(disconnect=disconnect)
        return Message(rejects=[reject(line, "schema_invalid", "message without data or errors")])
    found = value.get("includes")
    includes: Mapping[str, Any] = found if isinstance(found, dict) else {}
    tweets = data if isinstance(data, list) else [data]
    posts: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for tweet in tweets:
        if not isinstance(tweet, dict):
            rejects.append(reject(line, "schema_invalid", "data is not a tweet object"))
            continue
        where = f"tweet {str(tweet.get('id'))[:32]}"
        try:
            draft = normalise_tweet(tweet, includes, value.get("matching_rules"))
        except (ValueError, TypeError) as exc:
            rejects.append(reject(line, "schema_invalid", f"{where}: {exc}"))
            continue
        result = finish(draft, line, where)
        if isinstance(result, Reject):
            rejects.append(result)
        else:
            posts.append(result)
    return Message(posts=posts, rejects=rejects, disconnect=disconnect)


@dataclass(frozen=True)
class Rule:
    value: str
    tag: str | None = None


def rules_diff(wanted: list[Rule], existing: list[dict[str, Any]]) -> tuple[list[Rule], list[str]]:
    """(rules to add, ids to delete) so that the stream's rules equal `wanted`, matching
    rules by value and tag. Duplicates on the server are deleted too."""
    want = set(wanted)
    kept: set[Rule] = set()
    delete: list[str] = []
    for rule in existing:
        if not isinstance(rule, dict) or not isinstance(rule.get("value"), str):
            continue
        tag = rule.get("tag") if isinstance(rule.get("tag"), str) else None
        key = Rule(rule["value"], tag)
        if key in want and key not in kept:
            kept.add(key)
        elif rule.get("id") is not None:
            delete.append(str(rule["id"]))
    add = [r for r in dict.fromkeys(wanted) if r not in kept]
    return add, delete


@dataclass
class Reconnect:
    """X's documented reconnect schedules. `scale` shrinks them (tests); each kind of failure
    has its own attempt counter, and `reset` runs once a connection streams again."""

    scale: float = 1.0
    network: int = 0
    http: int = 0
    limited: int = 0

    def delay(self, kind: str, server_hint: float | None = None) -> float:
        if kind == "network":
            self.network += 1
            seconds = min(0.25 * self.network, 16.0)
        elif kind == "http_429":
            seconds = min(60.0 * 2**self.limited, 960.0)
            self.limited += 1
            if server_hint is not None:
                seconds = max(seconds, min(server_hint, 960.0))
        else:
            seconds = min(5.0 * 2**self.http, 320.0)
            self.http += 1
        return seconds * self.scale

    def reset(self) -> None:
        self.network = self.http = self.limited = 0


# -- shell -------------------------------------------------------------------------------------
class Fatal(Exception):
    """Retrying cannot fix it (bad token, rejected rules): stops the source."""


class XSource:
    type = "x"

    def __init__(
        self,
        spec: SourceSpec,
        ctx: SourceContext,
        *,
        reconnect: Reconnect | None = None,
        linger: float = 0.25,
    ) -> None:
        o = spec.options
        self.name = spec.name
        self.ctx = ctx
        self.base = str(o.get("base_url", DEFAULT_BASE)).rstrip("/")
        self.token_env = str(o.get("token_env", "X_BEARER_TOKEN"))
        token = ctx.credential(self.token_env)
        if not token:
            raise ValueError(
                f"source {spec.name}: environment variable {self.token_env} is not set"
            )
        self._token = token
        self.rules = [
            Rule(str(r["value"]), str(r["tag"]) if r.get("tag") else None)
            for r in o.get("rules") or []
        ]
        self.sync_rules = bool(o.get("sync_rules", True))
        self.backfill = int(o.get("backfill_minutes", 0))
        self.stall_timeout = float(o.get("stall_timeout_seconds", 30))
        self.reconnect = reconnect or Reconnect()
        self.linger = linger
        self.connections = 0
        self._newest: str | None = None

    def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        last = (checkpoint or {}).get("last_id")
        self._newest = last if isinstance(last, str) and last.isdigit() else None
        return pump([self._run], checkpoint, linger=self.linger)

    def _headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._token}"}

    async def _polite(self, url: str) -> None:
        waited = await self.ctx.limiter.acquire(urlsplit(url).netloc)
        if waited:
            self.ctx.observer.waited(waited)

    async def _call(
        self, client: httpx.AsyncClient, method: str, url: str, body: Any = None
    ) -> Any:
        """A rules request, retried on the HTTP/429 schedules; 401/403 are fatal."""
        while True:
            await self._polite(url)
            started = time.perf_counter()
            hint: float | None = None
            try:
                response = await client.request(method, url, json=body)
            except httpx.TimeoutException:
                kind = "timeout"
            except httpx.TransportError:
                kind = "network"
            else:
                code = response.status_code
                kind = (
                    "ok" if code < 400 else ("http_429" if code == 429 else f"http_{code // 100}xx")
                )
                self.ctx.observer.request(time.perf_counter() - started, kind)
                if code < 400:
                    return orjson.loads(response.content)
                if code in (400, 401, 403):
                    raise Fatal(f"{url} answered {code}: {response.text[:300]}")
                hint = self._limit_hint(response)
            if kind in ("timeout", "network"):
                self.ctx.observer.request(time.perf_counter() - started, kind)
            delay = self.reconnect.delay("network" if kind == "timeout" else kind, hint)
            if kind == "http_429":
                self.ctx.observer.waited(delay)
            await asyncio.sleep(delay)

    def _limit_hint(self, response: httpx.Response) -> float | None:
        hint = retry_after(response.headers.get("retry-after"))
        if hint is None and response.headers.get("x-rate-limit-remaining") == "0":
            reset = response.headers.get("x-rate-limit-reset", "")
            if reset.isdigit():
                hint = max(0.0, int(reset) - time.time())
        return hint

    async def _sync_rules(self, client: httpx.AsyncClient) -> None:
        url = f"{self.base}{RULES_PATH}"
        current = await self._call(client, "GET", url)
        existing = current.get("data") if isinstance(current, dict) else None
        add, delete = rules_diff(self.rules, existing if isinstance(existing, list) else [])
        if delete:
            await self._call(client, "POST", url, {"delete": {"ids": delete}})
        if add:
            body = {"add": [{"value": r.value, **({"tag": r.tag} if r.tag else {})} for r in add]}
            answer = await self._call(client, "POST", url, body)
            errors = answer.get("errors") if isinstance(answer, dict) else None
            if errors:
                raise Fatal(f"X rejected stream rules: {orjson.dumps(errors)[:300].decode()}")
        log.info("x_rules_synced", source=self.name, added=len(add), deleted=len(delete))

    async def _run(self, put: Put) -> None:
        timeout = httpx.Timeout(10.0, read=self.stall_timeout)
        async with self.ctx.http_client(headers=self._headers(), timeout=timeout) as client:
            if self.sync_rules:
                await self._sync_rules(client)
            params = dict(STREAM_PARAMS)
            url = f"{self.base}{STREAM_PATH}?{urlencode(params)}"
            while True:
                kind, hint = await self._connect(client, put, url)
                delay = self.reconnect.delay(kind, hint)
                if kind == "http_429":
                    self.ctx.observer.waited(delay)
                log.warning(
                    "x_stream_disconnected", source=self.name, result=kind, retry_in=round(delay, 2)
                )
                await asyncio.sleep(delay)
                if self.backfill:
                    params["backfill_minutes"] = str(self.backfill)
                    url = f"{self.base}{STREAM_PATH}?{urlencode(params)}"

    async def _connect(
        self, client: httpx.AsyncClient, put: Put, url: str
    ) -> tuple[str, float | None]:
        """One connection; returns the kind of failure that ended it and the server's hint."""
        await self._polite(url)
        started = time.perf_counter()
        splitter = LineSplitter()
        try:
            async with client.stream("GET", url) as response:
                code = response.status_code
                if code != 200:
                    await response.aread()
                    kind = "http_429" if code == 429 else f"http_{code // 100}xx"
                    self.ctx.observer.request(time.perf_counter() - started, kind)
                    if code in (401, 403):
                        raise Fatal(f"stream answered {code}: {response.text[:300]}")
                    return kind, self._limit_hint(response)
                self.ctx.observer.request(time.perf_counter() - started, "ok")
                self.connections += 1
                log.info("x_stream_connected", source=self.name)
                async for chunk in response.aiter_bytes():
                    lines = splitter.feed(chunk)
                    if lines:
                        self.reconnect.reset()  # the connection works: schedules start over
                    for line in lines:
                        message = parse_message(line)
                        if message.keepalive:
                            continue
                        piece = Piece(items=1, posts=message.posts, rejects=message.rejects)
                        if message.posts:
                            newest = max(message.posts, key=lambda p: int(p["id"][2:]))
                            if self._newest is None or int(newest["id"][2:]) > int(self._newest):
                                self._newest = newest["id"][2:]
                                piece.cursor = {
                                    "last_id": self._newest,
                                    "last_at": newest["created_at"],
                                }
                        await put(piece)
                        if message.disconnect is not None:
                            log.warning(
                                "x_operational_disconnect",
                                source=self.name,
                                disconnect_type=message.disconnect,
                            )
                            return "network", None
        except httpx.TimeoutException:
            # Silence beyond the stall timeout: the connection is dead even if TCP says not.
            self.ctx.observer.request(time.perf_counter() - started, "timeout")
        except httpx.TransportError:
            self.ctx.observer.request(time.perf_counter() - started, "network")
        rest = splitter.rest()
        if rest.strip():
            await put(
                Piece(
                    items=1,
                    rejects=[reject(rest, "undecodable", "message cut off by the disconnect")],
                )
            )
        return "network", None


def create(spec: SourceSpec, ctx: SourceContext) -> XSource:
    return XSource(spec, ctx)
