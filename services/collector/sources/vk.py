"""VK: community walls (`wall.get`, `owner_id` negative for a community, paged by `offset`) and
keyword search (`newsfeed.search`, paged by `next_from` from `start_time`), with an access token
named by `token_env` (a service key is enough for public walls and search), sent as a bearer
header so it never appears in a URL.

The pure core (`parse_response`, `parse_item`) turns a response into `post.v1` dicts: id
`vk:<owner_id>_<post_id>`, text with HTML entities decoded, author from `profiles`/`groups` when
`extended=1`, photos (largest size), videos, documents, links, `geo.coordinates` as a geotag and a
bare `geo.place` as a place tag, reposts (`copy_history`) as `refs.repost_of` with the original's
text, media and geo kept. VK answers every error with HTTP 200 and an `error` envelope, classified
by `classify_error`: 6 (too many requests per second) and 9 (flood control) wait and retry; 14
(captcha) and 5 (authorization) fail the source, which the collector restarts with backoff and
reports unhealthy; 15, 7, 18, 30 and 100 (access denied, deleted, private, bad parameter) skip that
target for a while with one dead letter and a log line; 29 (daily quota of a method) pauses that
method. The checkpoint is the last post id per wall and, per query, the newest `date` published
with the ids published lately (each search looks `overlap` back, because search indexes late)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from services.collector.polite import Backoff
from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.polling import (
    BadPayload,
    RetryPolicy,
    SourceUnavailable,
    configure_rate,
    epoch_time,
    finish,
    http_get,
    reject,
    remember,
)
from services.collector.text import clean_text
from services.runtime.config import parse_duration
from services.runtime.logging import get_logger
from services.runtime.messages import parse_time

log = get_logger("fieldwatch.collector.vk")

BASE_URL = "https://api.vk.com"
SITE_URL = "https://vk.com"
API_VERSION = "5.199"
WALL_COUNT = 100
SEARCH_COUNT = 200
SEEN_KEEP = 500
# Photo size letters from smallest to largest (VK's `sizes[].type`).
_SIZE_ORDER = "smxopqryzw"
# What each error code means for the source (see the module docstring).
RETRY_CODES = frozenset({6, 9, 10})
FATAL_CODES = frozenset({5, 14, 17})
TARGET_CODES = frozenset({7, 15, 18, 19, 30, 100, 113, 203})
QUOTA_CODES = frozenset({29})


@dataclass
class Page:
    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    next_from: str | None = None
    count: int | None = None
    items: int = 0


@dataclass(frozen=True)
class VkError:
    code: int
    message: str

    @property
    def action(self) -> str:
        """retry, fatal, skip_target, pause_method or fatal for anything unknown."""
        return classify_error(self.code)


def classify_error(code: int) -> str:
    if code in RETRY_CODES:
        return "retry"
    if code in TARGET_CODES:
        return "skip_target"
    if code in QUOTA_CODES:
        return "pause_method"
    return "fatal"


def _photo_url(photo: dict[str, Any]) -> str | None:
    sizes = photo.get("sizes")
    if isinstance(sizes, list) and sizes:

        def rank(size: dict[str, Any]) -> tuple[int, int]:
            area = int(size.get("width") or 0) * int(size.get("height") or 0)
            letter = str(size.get("type") or "")
            return area, _SIZE_ORDER.find(letter) if letter else -1

        best = max(
            (s for s in sizes if isinstance(s, dict) and s.get("url")), key=rank, default=None
        )
        if best is not None:
            return str(best["url"])
    keys = sorted(
        (k for k in photo if k.startswith("photo_") and k[6:].isdigit()), key=lambda k: int(k[6:])
    )
    return str(photo[keys[-1]]) if keys else None


def _attachments(attachments: Any) -> list[dict[str, Any]]:
    media: list[dict[str, Any]] = []
    if not isinstance(attachments, list):
        return media
    for attachment in attachments:
        if not isinstance(attachment, dict):
            continue
        kind = attachment.get("type")
        body = attachment.get(kind) if isinstance(kind, str) else None
        if not isinstance(body, dict):
            continue
        if kind in ("photo", "posted_photo", "graffiti"):
            media.append(
                {
                    "type": "image",
                    "url": _photo_url(body),
                    "alt": clean_text(str(body.get("text") or "")) or None,
                }
            )
        elif kind == "video":
            media.append(
                {
                    "type": "video",
                    "url": f"{SITE_URL}/video{body.get('owner_id')}_{body.get('id')}",
                    "alt": clean_text(str(body.get("title") or "")) or None,
                }
            )
        elif kind == "doc":
            ext = str(body.get("ext") or "").lower()
            media.append(
                {
                    "type": "gif" if ext == "gif" else "document",
                    "url": body.get("url"),
                    "alt": clean_text(str(body.get("title") or "")) or None,
                }
            )
        elif kind == "link":
            media.append(
                {
                    "type": "link",
                    "url": body.get("url"),
                    "alt": clean_text(str(body.get("title") or "")) or None,
                }
            )
        elif kind == "audio":
            media.append(
                {
                    "type": "audio",
                    "url": body.get("url") or None,
                    "alt": clean_text(f"{body.get('artist', '')} – {body.get('title', '')}")
                    or None,
                }
            )
        elif kind == "poll":
            media.append(
                {"type": "other", "url": None, "alt": clean_text(str(body.get("question") or ""))}
            )
    return [{k: v for k, v in m.items() if v is not None} for m in media][:64]


def _geo(item: dict[str, Any]) -> dict[str, Any] | None:
    geo = item.get("geo")
    if not isinstance(geo, dict):
        return None
    place: dict[str, Any] = geo["place"] if isinstance(geo.get("place"), dict) else {}
    title = clean_text(str(place.get("title") or "")) or None
    coordinates = geo.get("coordinates")
    lat = lon = None
    if isinstance(coordinates, str):
        parts = coordinates.split()
        if len(parts) == 2:
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except ValueError:
                lat = lon = None
    elif isinstance(coordinates, dict):
        lat, lon = coordinates.get("latitude"), coordinates.get("longitude")
    if (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and (lat or lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    ):
        return {"lat": float(lat), "lon": float(lon), "place": title, "kind": "geotag"}
    if title:
        return {"place": title, "kind": "place_tag"}
    return None


def _names(profiles: Any, groups: Any) -> dict[int, dict[str, Any]]:
    """Author records by VK id: users positive, communities negative."""
    out: dict[int, dict[str, Any]] = {}
    for profile in profiles if isinstance(profiles, list) else []:
        if isinstance(profile, dict) and isinstance(profile.get("id"), int):
            handle = profile.get("screen_name") or f"id{profile['id']}"
            name = clean_text(f"{profile.get('first_name', '')} {profile.get('last_name', '')}")
            out[profile["id"]] = {"handle": handle, "name": name or None}
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict) and isinstance(group.get("id"), int):
            handle = group.get("screen_name") or f"club{group['id']}"
            out[-group["id"]] = {"handle": handle, "name": clean_text(str(group.get("name") or ""))}
    return out


def _author(from_id: Any, names: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    if not isinstance(from_id, int) or isinstance(from_id, bool):
        return None
    known = names.get(from_id, {})
    handle = known.get("handle") or (f"id{from_id}" if from_id > 0 else f"club{-from_id}")
    return {
        "id": str(from_id),
        "handle": handle,
        "name": known.get("name"),
        "url": f"{SITE_URL}/{handle}",
    }


def parse_item(item: Any, names: dict[int, dict[str, Any]] | None = None) -> dict[str, Any] | str:
    """One wall post (from `wall.get` or `newsfeed.search`) as a post, or why it cannot be one."""
    if not isinstance(item, dict):
        return "item is not an object"
    owner, native = item.get("owner_id"), item.get("id")
    if not isinstance(owner, int) or not isinstance(native, int) or isinstance(native, bool):
        return "no owner_id/id"
    created = epoch_time(item.get("date"))
    if created is None:
        return "no valid date"
    names = names or {}
    text = clean_text(str(item.get("text") or ""))
    media = _attachments(item.get("attachments"))
    geo = _geo(item)
    repost_of = None
    history = item.get("copy_history")
    if isinstance(history, list) and history and isinstance(history[0], dict):
        original = history[0]
        if isinstance(original.get("owner_id"), int) and isinstance(original.get("id"), int):
            repost_of = f"vk:{original['owner_id']}_{original['id']}"
        # A repost's own text is often empty: the original's words are what analysts need.
        original_text = clean_text(str(original.get("text") or ""))
        if original_text:
            text = f"{text}\n\n{original_text}" if text else original_text
        media.extend(_attachments(original.get("attachments")))
        geo = geo or _geo(original)
    metrics = {}
    for key, name in (
        ("views", "views"),
        ("likes", "likes"),
        ("reposts", "reposts"),
        ("comments", "replies"),
    ):
        value = item.get(key)
        count = value.get("count") if isinstance(value, dict) else None
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            metrics[name] = count
    post: dict[str, Any] = {
        "id": f"vk:{owner}_{native}",
        "source": "vk",
        "text": text,
        "created_at": created,
        "url": f"{SITE_URL}/wall{owner}_{native}",
        "channel": names.get(owner, {}).get("handle")
        or (f"club{-owner}" if owner < 0 else f"id{owner}"),
        "author": _author(item.get("from_id", owner), names),
        "geo": geo,
        "media": media[:64],
        "refs": {"repost_of": repost_of},
        "metrics": metrics,
    }
    return finish(post)


def parse_response(body: bytes) -> Page | VkError:
    """A `wall.get` or `newsfeed.search` response (pure): the page, or VK's error. A body that is
    neither raises `ValueError`."""
    try:
        doc = orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from exc
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        error = doc["error"]
        code = error.get("error_code")
        return VkError(
            code if isinstance(code, int) else -1, str(error.get("error_msg") or "")[:300]
        )
    response = doc.get("response") if isinstance(doc, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("items"), list):
        raise ValueError("neither a response with items nor an error")
    names = _names(response.get("profiles"), response.get("groups"))
    page = Page(
        next_from=response.get("next_from") or None,
        count=response.get("count") if isinstance(response.get("count"), int) else None,
        items=len(response["items"]),
    )
    for item in response["items"]:
        result = parse_item(item, names)
        if isinstance(result, str):
            page.rejects.append(reject(orjson.dumps(item), "schema_invalid", result))
        else:
            page.posts.append(result)
    return page


_SECRET_PARAMS = frozenset({"access_token", "client_secret", "sig", "captcha_key"})


def scrub_error(body: bytes) -> bytes:
    """An error envelope fit for the dead-letter topic: VK echoes the request parameters, which
    may include the access token."""
    try:
        doc = orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError:
        return b""
    error = doc.get("error") if isinstance(doc, dict) else None
    if isinstance(error, dict) and isinstance(error.get("request_params"), list):
        error["request_params"] = [
            p
            for p in error["request_params"]
            if not (isinstance(p, dict) and str(p.get("key", "")).lower() in _SECRET_PARAMS)
        ]
    return orjson.dumps(doc)


def native_id(post: dict[str, Any]) -> int:
    return int(str(post["id"]).rsplit("_", 1)[1])


# -- shell ----------------------------------------------------------------------------------


class TargetDenied(Exception):
    def __init__(self, error: VkError, raw: bytes) -> None:
        super().__init__(f"VK error {error.code}: {error.message}")
        self.error = error
        self.raw = raw


class MethodPaused(Exception):
    pass


@dataclass
class QueryState:
    start_time: int | None = None  # `date` of the newest post published
    seen: list[str] = field(default_factory=list)  # ids published lately (covers the overlap)

    def as_json(self) -> dict[str, Any]:
        return {"start_time": self.start_time, "seen": self.seen}


class VkSource:
    type = "vk"

    def __init__(self, spec: SourceSpec, ctx: SourceContext) -> None:
        self.name = spec.name
        self.ctx = ctx
        self.interval = spec.poll_interval
        self.owners: tuple[int, ...] = tuple(int(o) for o in spec.options.get("owners") or ())
        self.queries: tuple[str, ...] = tuple(str(q) for q in spec.options.get("queries") or ())
        self.token_env = str(spec.options["token_env"])
        self.base_url = str(spec.options.get("base_url", BASE_URL)).rstrip("/")
        self.version = str(spec.options.get("api_version", API_VERSION))
        self.max_pages = int(spec.options.get("max_pages", 5))
        self.lookback = parse_duration(str(spec.options.get("lookback", "1h")))
        self.overlap = parse_duration(str(spec.options.get("overlap", "5m")))
        self.denied_for = parse_duration(str(spec.options.get("denied_retry", "1h")))
        self.quota_pause = parse_duration(str(spec.options.get("quota_pause", "6h")))
        self.policy = RetryPolicy.from_options(spec.options)
        self.denied: dict[str, float] = {}  # target -> monotonic time to try again
        self.paused: dict[str, float] = {}  # method -> monotonic time to try again
        configure_rate(ctx, self.base_url, {"requests_per_second": 3, **spec.options})

    async def call(self, client: httpx.AsyncClient, method: str, params: dict[str, Any]) -> Page:
        if self.paused.get(method, 0.0) > time.monotonic():
            raise MethodPaused(method)
        token = self.ctx.credential(self.token_env)
        if not token:
            raise SourceUnavailable(f"environment variable {self.token_env} is not set")
        backoff = Backoff(base=self.policy.base, cap=self.policy.cap)
        for _ in range(max(1, self.policy.attempts)):
            response = await http_get(
                client,
                self.ctx,
                f"{self.base_url}/method/{method}",
                params={**params, "v": self.version},
                headers={"authorization": f"Bearer {token}"},
                policy=self.policy,
            )
            if response.status_code != 200:
                raise SourceUnavailable(f"{method}: HTTP {response.status_code}")
            try:
                result = parse_response(response.content)
            except ValueError as exc:
                raise BadPayload(response.content, f"{method}: {exc}") from exc
            if isinstance(result, Page):
                return result
            action = result.action
            if action == "retry":
                delay = max(1.0 * self.policy.base, backoff.next_delay())
                self.ctx.observer.waited(delay)
                log.info(
                    "vk_rate_limited", source=self.name, code=result.code, wait=round(delay, 2)
                )
                await asyncio.sleep(delay)
                continue
            if action == "skip_target":
                raise TargetDenied(result, scrub_error(response.content))
            if action == "pause_method":
                self.paused[method] = time.monotonic() + self.quota_pause
                log.warning("vk_quota_reached", source=self.name, method=method, code=result.code)
                raise MethodPaused(method)
            # 5 (authorization), 14 (captcha), 17 (validation) and unknown codes: the token or
            # the account needs a human; fail so the collector backs off and reports unhealthy.
            raise SourceUnavailable(f"{method}: VK error {result.code}: {result.message}")
        raise SourceUnavailable(f"{method}: still rate limited after {self.policy.attempts} tries")

    async def poll_wall(
        self, client: httpx.AsyncClient, owner: int, last: int | None
    ) -> tuple[list[dict[str, Any]], list[Reject], int]:
        by_id: dict[str, dict[str, Any]] = {}
        rejects: list[Reject] = []
        items = 0
        pages = self.max_pages if last is not None else 1
        for number in range(max(1, pages)):
            page = await self.call(
                client,
                "wall.get",
                {
                    "owner_id": owner,
                    "offset": number * WALL_COUNT,
                    "count": WALL_COUNT,
                    "extended": 1,
                },
            )
            items += page.items
            rejects.extend(page.rejects)
            for post in page.posts:
                if last is None or native_id(post) > last:
                    by_id.setdefault(post["id"], post)
            # A pinned post comes first whatever its age: only the others say we caught up.
            caught_up = last is not None and any(native_id(p) <= last for p in page.posts[1:])
            if caught_up or page.items < WALL_COUNT:
                break
        return sorted(by_id.values(), key=native_id), rejects, items

    async def poll_query(
        self, client: httpx.AsyncClient, query: str, state: QueryState
    ) -> tuple[list[dict[str, Any]], list[Reject], int]:
        # Search indexes posts late: every poll looks `overlap` back and drops what it published.
        start = (
            state.start_time - int(self.overlap)
            if state.start_time is not None
            else int(time.time() - self.lookback)
        )
        params: dict[str, Any] = {
            "q": query,
            "count": SEARCH_COUNT,
            "start_time": start,
            "extended": 1,
        }
        by_id: dict[str, dict[str, Any]] = {}
        rejects: list[Reject] = []
        items = 0
        seen = set(state.seen)
        for _ in range(max(1, self.max_pages)):
            page = await self.call(client, "newsfeed.search", params)
            items += page.items
            rejects.extend(page.rejects)
            for post in page.posts:
                if post["id"] not in seen:
                    by_id.setdefault(post["id"], post)
            if not page.next_from or not page.items:
                break
            params = {**params, "start_from": page.next_from}
        posts = sorted(by_id.values(), key=lambda p: (p["created_at"], p["id"]))
        return posts, rejects, items

    async def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        saved = checkpoint or {}
        walls: dict[str, int] = {str(k): int(v) for k, v in (saved.get("owners") or {}).items()}
        queries: dict[str, QueryState] = {
            str(q): QueryState(start_time=raw.get("start_time"), seen=list(raw.get("seen") or []))
            for q, raw in (saved.get("queries") or {}).items()
            if isinstance(raw, dict)
        }

        def snapshot() -> Checkpoint:
            return {"owners": dict(walls), "queries": {q: s.as_json() for q, s in queries.items()}}

        targets = [("wall", str(o)) for o in self.owners] + [("search", q) for q in self.queries]
        async with self.ctx.http_client() as client:
            while True:
                for kind, target in targets:
                    if self.denied.get(target, 0.0) > time.monotonic():
                        continue
                    try:
                        if kind == "wall":
                            posts, rejects, items = await self.poll_wall(
                                client, int(target), walls.get(target)
                            )
                            if posts:
                                walls[target] = max(native_id(p) for p in posts)
                        else:
                            state = queries.setdefault(target, QueryState())
                            posts, rejects, items = await self.poll_query(client, target, state)
                            if posts:
                                newest = max(int(_epoch(p)) for p in posts)
                                state.start_time = max(state.start_time or 0, newest)
                                state.seen = remember(
                                    state.seen, [p["id"] for p in posts], SEEN_KEEP
                                )
                    except TargetDenied as exc:
                        self.denied[target] = time.monotonic() + self.denied_for
                        log.warning(
                            "vk_target_denied",
                            source=self.name,
                            target=target,
                            code=exc.error.code,
                            error=exc.error.message,
                            retry_in=self.denied_for,
                        )
                        yield Fetched(
                            rejects=[reject(exc.raw, "access_denied", f"{kind} {target}: {exc}")]
                        )
                        continue
                    except MethodPaused:
                        continue
                    except BadPayload as exc:
                        yield Fetched(rejects=[reject(exc.raw, "undecodable", exc.detail)])
                        continue
                    yield Fetched(
                        posts=posts,
                        checkpoint=snapshot() if posts else None,
                        rejects=rejects,
                        items=items,
                    )
                await asyncio.sleep(self.interval)


def _epoch(post: dict[str, Any]) -> float:
    return parse_time(post["created_at"]).timestamp()


def create(spec: SourceSpec, ctx: SourceContext) -> VkSource:
    return VkSource(spec, ctx)
