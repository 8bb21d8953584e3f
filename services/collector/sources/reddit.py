"""Reddit: new submissions of subreddits from the listing JSON `/r/<sub>/new.json` (the public
host with a descriptive User-Agent, or `oauth.reddit.com` with a bearer token named by `token_env`,
or an app-only token the source obtains and renews itself from the client id and secret named by
`client_id_env`/`client_secret_env`).

The pure core (`parse_listing`) turns a Listing into `post.v1` dicts (`reddit:<fullname>`, title and
self text, permalink, link/image/video media, crossposts as `refs.repost_of`) and rejects children
that are not submissions or lack an id or time. The shell polls each subreddit: after a poll that
found something it asks only for what is newer (`before=<newest fullname>`); otherwise, and
always after a restart, it reads `/new` and walks older pages with `after=` until it meets a
fullname it has already published (a deleted `before` anchor makes Reddit answer empty pages
forever, so `before` is never trusted twice in a row). The checkpoint keeps, per subreddit, the
newest `created_utc` and the last few hundred fullnames published (dedup on fullname). The
`x-ratelimit-remaining/reset/used` headers are obeyed: when the window is spent the source waits
for the reset; a 429 waits for `Retry-After` (or the reset)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.polling import (
    MAX_SERVER_WAIT,
    BadPayload,
    RetryPolicy,
    SourceUnavailable,
    configure_rate,
    epoch_time,
    finish,
    header_float,
    host_of,
    http_get,
    reject,
    remember,
)
from services.collector.text import clean_text, html_to_text
from services.runtime.logging import get_logger
from services.runtime.messages import parse_time

log = get_logger("fieldwatch.collector.reddit")

BASE_URL = "https://www.reddit.com"
TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
SITE_URL = "https://www.reddit.com"
PAGE_LIMIT = 100
SEEN_KEEP = 300
_IMAGE_HINTS = frozenset({"image"})
_VIDEO_HINTS = frozenset({"hosted:video", "rich:video"})


@dataclass
class Listing:
    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    fullnames: list[str] = field(default_factory=list)  # every child's fullname, newest first
    after: str | None = None
    before: str | None = None


def _media(data: dict[str, Any]) -> list[dict[str, Any]]:
    if data.get("is_self"):
        return []
    hint = data.get("post_hint")
    url = data.get("url_overridden_by_dest") or data.get("url")
    media: list[dict[str, Any]] = []
    gallery = data.get("media_metadata")
    if data.get("is_gallery") and isinstance(gallery, dict):
        for item in gallery.values():
            if isinstance(item, dict):
                source = item.get("s") or {}
                media.append({"type": "image", "url": source.get("u") or source.get("gif")})
        return media[:64]
    if hint in _IMAGE_HINTS:
        media.append({"type": "image", "url": url})
    elif hint in _VIDEO_HINTS:
        video = ((data.get("secure_media") or data.get("media") or {}) or {}).get("reddit_video")
        fallback = video.get("fallback_url") if isinstance(video, dict) else None
        media.append({"type": "video", "url": fallback or url})
    elif isinstance(url, str) and url:
        media.append({"type": "link", "url": url})
    return media


def parse_submission(data: dict[str, Any], site_url: str = SITE_URL) -> dict[str, Any] | str:
    """One `t3` child's `data` as a post, or why it cannot be one."""
    fullname = data.get("name")
    if not isinstance(fullname, str) or not fullname.startswith("t3_"):
        return f"no submission fullname ({fullname!r})"
    created = epoch_time(data.get("created_utc"))
    if created is None:
        return "no valid created_utc"
    title = clean_text(str(data.get("title") or ""))
    if data.get("selftext_html") and not data.get("selftext"):
        body = html_to_text(str(data["selftext_html"]))
    else:
        body = clean_text(str(data.get("selftext") or ""))
    text = f"{title}\n\n{body}" if body else title
    author = data.get("author")
    deleted = not isinstance(author, str) or author in ("[deleted]", "[removed]")
    permalink = data.get("permalink")
    subreddit = data.get("subreddit")
    parent = data.get("crosspost_parent")
    metrics = {
        k: v
        for k, v in (("score", data.get("score")), ("replies", data.get("num_comments")))
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }
    post: dict[str, Any] = {
        "id": f"reddit:{fullname}",
        "source": "reddit",
        "text": text,
        "created_at": created,
        "url": f"{site_url}{permalink}" if isinstance(permalink, str) else None,
        "channel": str(subreddit) if subreddit else None,
        "author": None
        if deleted
        else {
            "id": data.get("author_fullname")
            if isinstance(data.get("author_fullname"), str)
            else None,
            "handle": author,
            "name": None,
            "url": f"{site_url}/user/{author}",
        },
        "media": _media(data),
        "refs": {"repost_of": f"reddit:{parent}" if isinstance(parent, str) else None},
        "metrics": metrics,
    }
    return finish(post)


def parse_listing(body: bytes, site_url: str = SITE_URL) -> Listing:
    """A Listing response (pure). A body that is not a Listing raises `ValueError`."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("kind") != "Listing":
        raise ValueError("not a Listing")
    data = doc.get("data") or {}
    children = data.get("children")
    if not isinstance(children, list):
        raise ValueError("Listing without children")
    listing = Listing(after=data.get("after"), before=data.get("before"))
    for child in children:
        child_data = child.get("data") if isinstance(child, dict) else None
        if not isinstance(child_data, dict) or child.get("kind") != "t3":
            listing.rejects.append(
                reject(orjson.dumps(child), "unsupported", "listing child is not a submission")
            )
            continue
        name = child_data.get("name")
        if isinstance(name, str):
            listing.fullnames.append(name)
        result = parse_submission(child_data, site_url)
        if isinstance(result, str):
            listing.rejects.append(reject(orjson.dumps(child), "schema_invalid", result))
        else:
            listing.posts.append(result)
    return listing


@dataclass
class SubState:
    newest: float | None = None  # created_utc of the newest post published
    seen: list[str] = field(default_factory=list)  # recent fullnames, oldest first
    use_before: bool = False  # in memory only: the previous poll found something

    def as_json(self) -> dict[str, Any]:
        return {"newest": self.newest, "seen": self.seen}


def select_new(
    listings: list[Listing], state: SubState
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Posts not yet published, oldest first (pure)."""
    seen = set(state.seen)
    fresh: dict[str, dict[str, Any]] = {}
    rejects: list[Reject] = []
    for listing in listings:
        rejects.extend(listing.rejects)
        for post in listing.posts:
            if post["id"] in fresh or post["id"].removeprefix("reddit:") in seen:
                continue
            fresh[post["id"]] = post
    posts = sorted(fresh.values(), key=lambda p: (p["created_at"], p["id"]))
    if state.newest is not None:
        # Older than what we already published and not remembered: published long ago.
        floor = epoch_time(state.newest) or ""
        posts = [p for p in posts if p["created_at"] >= floor]
    return posts, rejects


# -- shell ----------------------------------------------------------------------------------


class RedditSource:
    type = "reddit"

    def __init__(self, spec: SourceSpec, ctx: SourceContext) -> None:
        self.name = spec.name
        self.ctx = ctx
        self.interval = spec.poll_interval
        self.subreddits: tuple[str, ...] = tuple(
            str(s).removeprefix("r/") for s in spec.options["subreddits"]
        )
        self.token_env = spec.options.get("token_env")
        self.client_id_env = spec.options.get("client_id_env")
        self.client_secret_env = spec.options.get("client_secret_env")
        self.token_url = str(spec.options.get("token_url", TOKEN_URL))
        self._token: tuple[str, float] | None = None  # app token and when to renew it
        oauth = self.token_env or self.client_id_env
        default_base = "https://oauth.reddit.com" if oauth else BASE_URL
        self.base_url = str(spec.options.get("base_url", default_base)).rstrip("/")
        self.backfill_pages = int(spec.options.get("backfill_pages", 0))
        self.max_pages = int(spec.options.get("max_pages", 5))
        self.limit = min(PAGE_LIMIT, int(spec.options.get("limit", PAGE_LIMIT)))
        self.policy = RetryPolicy.from_options(spec.options)
        configure_rate(ctx, self.base_url, spec.options)

    async def _headers(self, client: httpx.AsyncClient) -> dict[str, str]:
        if self.client_id_env:
            return {"authorization": f"bearer {await self._app_token(client)}"}
        token = self.ctx.credential(self.token_env)
        if self.token_env and not token:
            raise SourceUnavailable(f"environment variable {self.token_env} is not set")
        return {"authorization": f"bearer {token}"} if token else {}

    async def _app_token(self, client: httpx.AsyncClient) -> str:
        """An app-only token (client credentials grant), renewed a minute before it expires."""
        if self._token is not None and self._token[1] > time.monotonic():
            return self._token[0]
        client_id = self.ctx.credential(self.client_id_env)
        secret = self.ctx.credential(self.client_secret_env) or ""
        if not client_id:
            raise SourceUnavailable(f"environment variable {self.client_id_env} is not set")
        waited = await self.ctx.limiter.acquire(host_of(self.token_url))
        if waited > 0:
            self.ctx.observer.waited(waited)
        started = time.perf_counter()
        try:
            response = await client.post(
                self.token_url,
                data={"grant_type": "client_credentials"},
                auth=(client_id, secret),
            )
        except httpx.HTTPError as exc:
            self.ctx.observer.request(time.perf_counter() - started, "network")
            raise SourceUnavailable(f"token request failed: {type(exc).__name__}") from exc
        self.ctx.observer.request(
            time.perf_counter() - started, "ok" if response.status_code == 200 else "http_4xx"
        )
        try:
            body = orjson.loads(response.content)
            token, expires = str(body["access_token"]), float(body.get("expires_in", 3600))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            # The body may echo credentials: only the status goes into the error.
            raise SourceUnavailable(
                f"no app token from Reddit (HTTP {response.status_code})"
            ) from None
        self._token = (token, time.monotonic() + max(0.0, expires - 60.0))
        return token

    async def _listing(
        self, client: httpx.AsyncClient, sub: str, params: dict[str, str]
    ) -> Listing | None:
        path = (
            f"/r/{sub}/new" if self.base_url.startswith("https://oauth.") else f"/r/{sub}/new.json"
        )
        response = await http_get(
            client,
            self.ctx,
            f"{self.base_url}{path}",
            params={"limit": str(self.limit), "raw_json": "1", **params},
            headers=await self._headers(client),
            policy=self.policy,
        )
        await self._respect_quota(response)
        if response.status_code == 401 and self.client_id_env:
            self._token = None  # revoked or expired early: a new one next time
            raise SourceUnavailable("HTTP 401 from the listing: app token refused")
        if response.status_code in (403, 404):
            log.warning(
                "reddit_subreddit_unavailable",
                source=self.name,
                subreddit=sub,
                status=response.status_code,
            )
            return None
        if response.status_code != 200:
            raise SourceUnavailable(f"HTTP {response.status_code} from the listing")
        try:
            return parse_listing(response.content)
        except ValueError as exc:
            raise BadPayload(response.content, f"r/{sub}: {exc}") from exc

    async def _respect_quota(self, response: httpx.Response) -> None:
        remaining = header_float(response.headers, "x-ratelimit-remaining")
        reset = header_float(response.headers, "x-ratelimit-reset")
        if remaining is not None and remaining < 1 and reset is not None:
            wait = min(reset, MAX_SERVER_WAIT)
            log.info(
                "reddit_quota_exhausted",
                source=self.name,
                used=response.headers.get("x-ratelimit-used"),
                wait=wait,
            )
            self.ctx.observer.waited(wait)
            await asyncio.sleep(wait)

    async def poll_sub(
        self, client: httpx.AsyncClient, sub: str, state: SubState
    ) -> tuple[list[dict[str, Any]], list[Reject], int] | None:
        listings: list[Listing] = []
        fresh_start = state.newest is None
        if state.use_before and state.seen:
            params = {"before": state.seen[-1]}
            for _ in range(self.max_pages):
                listing = await self._listing(client, sub, params)
                if listing is None:
                    return None
                listings.append(listing)
                if len(listing.fullnames) < self.limit:
                    break
                params = {"before": listing.fullnames[0]}
        else:
            limit = 1 + self.backfill_pages if fresh_start else self.max_pages
            params = {}
            seen = set(state.seen)
            for _ in range(max(1, limit)):
                listing = await self._listing(client, sub, params)
                if listing is None:
                    return None
                listings.append(listing)
                if not listing.after or seen.intersection(listing.fullnames):
                    break
                params = {"after": listing.after}
        posts, rejects = select_new(listings, state)
        return posts, rejects, sum(len(x.fullnames) for x in listings)

    async def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        states: dict[str, SubState] = {}
        for sub, raw in ((checkpoint or {}).get("subreddits") or {}).items():
            if isinstance(raw, dict):
                states[str(sub)] = SubState(
                    newest=raw.get("newest"), seen=[str(s) for s in raw.get("seen") or []]
                )
        async with self.ctx.http_client() as client:
            while True:
                for sub in self.subreddits:
                    key = sub.lower()
                    state = states.setdefault(key, SubState())
                    try:
                        result = await self.poll_sub(client, sub, state)
                    except BadPayload as exc:
                        # A truncated or garbled listing: dead-letter it, poll again next time.
                        yield Fetched(rejects=[reject(exc.raw, "undecodable", exc.detail)])
                        continue
                    if result is None:
                        continue
                    posts, rejects, items = result
                    state.use_before = bool(posts)
                    if posts:
                        state.seen = remember(
                            state.seen, [p["id"].removeprefix("reddit:") for p in posts], SEEN_KEEP
                        )
                        newest = max(parse_time(p["created_at"]).timestamp() for p in posts)
                        state.newest = max(state.newest or 0.0, newest)
                    yield Fetched(
                        posts=posts,
                        checkpoint={"subreddits": {k: s.as_json() for k, s in states.items()}}
                        if posts
                        else None,
                        rejects=rejects,
                        items=items,
                    )
                await asyncio.sleep(self.interval)


def create(spec: SourceSpec, ctx: SourceContext) -> RedditSource:
    return RedditSource(spec, ctx)
