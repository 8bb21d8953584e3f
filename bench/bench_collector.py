"""Collector adapters benchmark: normalised posts/s per core for each adapter's pure core, from
the captured payloads in ../shared/fixtures/sources (the repository's own fixtures when that
folder is missing), each against a parse-only baseline (the same payloads decoded by the same
JSON/XML/HTML parser, items counted, nothing normalised) measured in the same run. Single
thread, so the rates are per core. Prints one JSON report.

    python bench/bench_collector.py [--seconds 0.5]

Adding adapters: write a function returning a list of `Case` and add it to `CASE_GROUPS`."""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "fixtures" / "sources"
OWN = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Case:
    """One adapter: its payloads, the pure normaliser (payload -> posts) and the parse-only
    baseline (payload -> items), both returning counts."""

    adapter: str
    payloads: list[bytes]
    normalise: Callable[[bytes], int]
    baseline: Callable[[bytes], int]
    source: str


def _rate(fn: Callable[[bytes], int], payloads: list[bytes], seconds: float) -> tuple[float, int]:
    """(items per second, items per pass) running `fn` over the payloads for about `seconds`."""
    per_pass = sum(fn(p) for p in payloads)  # warm-up, and the count per pass
    passes, started = 0, time.perf_counter()
    while True:
        for payload in payloads:
            fn(payload)
        passes += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return per_pass * passes / elapsed, per_pass


def _files(
    folder: str, own: str, pattern: str, skip: Callable[[Path], bool] = lambda p: False
) -> tuple[list[bytes], str]:
    shared = SHARED / folder
    base, label = (
        (shared, f"shared/fixtures/sources/{folder}")
        if shared.is_dir()
        else (OWN / own, f"tests/fixtures/{own}")
    )
    files = sorted(
        p for p in base.glob(pattern) if not p.name.endswith(".meta.json") and not skip(p)
    )
    return [p.read_bytes() for p in files], label


# -- streaming sources: Bluesky Jetstream, Mastodon, X filtered stream -------------------------


def _lines(folder: str, own: str, shared_name: str, own_name: str) -> tuple[list[bytes], str]:
    shared = SHARED / folder / shared_name
    path, label = (
        (shared, f"shared/fixtures/sources/{folder}/{shared_name}")
        if shared.is_file()
        else (OWN / own / own_name, f"tests/fixtures/{own}/{own_name}")
    )
    return [line for line in path.read_bytes().splitlines() if line.strip()], label


def stream_cases() -> list[Case]:
    from services.collector.sources import bluesky, mastodon, x

    def is_post(frame: bytes) -> bool:
        try:
            commit = orjson.loads(frame).get("commit") or {}
        except orjson.JSONDecodeError:
            return False
        return commit.get("collection") == "app.bsky.feed.post" and "record" in commit

    # post creates only, so that one payload is one item in both measurements
    frames, bsky_src = _lines(
        "bluesky_jetstream",
        "bluesky",
        "jetstream_v1_capture_all_collections.jsonl",
        "jetstream_frames.jsonl",
    )
    frames = [f for f in frames if is_post(f)]

    def bsky_base(frame: bytes) -> int:
        return 1 if orjson.loads(frame)["commit"]["record"] else 0

    def bsky_norm(frame: bytes) -> int:
        return 1 if bluesky.parse_frame(frame).post is not None else 0

    def not_statuses(p: Path) -> bool:
        return not (p.name.startswith(("tag_timeline", "public_timeline", "status_", "statuses")))

    pages, masto_src = _files("mastodon", "mastodon", "*.json", not_statuses)

    def masto_base(body: bytes) -> int:
        value = orjson.loads(body)
        return len(value) if isinstance(value, list) else 1

    def masto_norm(body: bytes) -> int:
        if body.lstrip().startswith(b"["):
            parsed, _ = mastodon.parse_timeline(body, "bench.example")
            return sum(p.post is not None for p in parsed)
        one = mastodon.parse_status(body, orjson.loads(body), "bench.example")
        return int(one.post is not None)

    streams, sse_src = _files("mastodon", "mastodon", "*.sse*")

    def sse_base(body: bytes) -> int:
        events = mastodon.SSEParser().feed(body)
        return sum(isinstance(orjson.loads(e.data), dict) for e in events if "update" in e.event)

    def sse_norm(body: bytes) -> int:
        events = mastodon.SSEParser().feed(body)
        parsed = [mastodon.parse_event(e, "bench.example") for e in events]
        return sum(p is not None and p.post is not None for p in parsed)

    lines, x_src = _lines(
        "x_twitter", "x", "filtered_stream_lines_derived.jsonl", "stream_body.txt"
    )

    def x_base(line: bytes) -> int:
        data = orjson.loads(line).get("data")
        return 0 if data is None else len(data) if isinstance(data, list) else 1

    def x_norm(line: bytes) -> int:
        return len(x.parse_message(line).posts)

    return [
        Case("bluesky", frames, bsky_norm, bsky_base, bsky_src),
        Case("mastodon", pages, masto_norm, masto_base, masto_src),
        Case("mastodon_sse", streams, sse_norm, sse_base, sse_src),
        Case("x", lines, x_norm, x_base, x_src),
    ]


# -- polling sources: Telegram, Reddit, RSS/Atom, VK -------------------------------------------


def polling_cases() -> list[Case]:
    from lxml import etree, html
    from services.collector.sources import reddit, rss, telegram, vk

    now = "2026-11-21T00:00:00.000Z"
    messages = etree.XPath("//div[@data-post]")
    xml_parser = rss._parser()

    def tg_base(body: bytes) -> int:
        return len(messages(html.fromstring(body)))

    def tg_norm(body: bytes) -> int:
        return len(telegram.parse_page(body).posts)

    def rd_base(body: bytes) -> int:
        return len(orjson.loads(body)["data"]["children"])

    def rd_norm(body: bytes) -> int:
        return len(reddit.parse_listing(body).posts)

    def rss_base(body: bytes) -> int:
        root = etree.fromstring(body, xml_parser)
        return len(root.findall("channel/item")) + len(
            root.findall("{http://www.w3.org/2005/Atom}entry")
        )

    def rss_norm(body: bytes) -> int:
        return len(rss.parse_feed(body, "bench", now).posts)

    def vk_base(body: bytes) -> int:
        return len(orjson.loads(body.removeprefix(b"\xef\xbb\xbf"))["response"]["items"])

    def vk_norm(body: bytes) -> int:
        page = vk.parse_response(body)
        return len(page.posts) if isinstance(page, vk.Page) else 0

    tg, tg_src = _files("telegram_web", "telegram", "*.html")
    rd, rd_src = _files("reddit", "reddit", "listing_*.json")
    if not rd:
        rd, rd_src = _files("reddit", "reddit", "*.json")
    feeds, rss_src = _files(
        "rss_atom", "rss", "*", lambda p: p.suffix == ".md" or p.name == "bomb.xml"
    )
    walls, vk_src = _files("vk", "vk", "*.json", lambda p: "error" in p.name)
    return [
        Case("telegram", tg, tg_norm, tg_base, tg_src),
        Case("reddit", rd, rd_norm, rd_base, rd_src),
        Case("rss", feeds, rss_norm, rss_base, rss_src),
        Case("vk", walls, vk_norm, vk_base, vk_src),
    ]


CASE_GROUPS: list[Callable[[], list[Case]]] = [stream_cases, polling_cases]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    args = parser.parse_args()
    adapters: dict[str, Any] = {}
    for group in CASE_GROUPS:
        for case in group():
            baseline, items = _rate(case.baseline, case.payloads, args.seconds)
            normalised, posts = _rate(case.normalise, case.payloads, args.seconds)
            adapters[case.adapter] = {
                "posts_per_second": round(normalised),
                "baseline_items_per_second": round(baseline),
                "ratio_to_baseline": round(normalised / baseline, 3) if baseline else None,
                "payloads": len(case.payloads),
                "posts_per_pass": posts,
                "baseline_items_per_pass": items,
                "payload_bytes": sum(len(p) for p in case.payloads),
                "fixtures": case.source,
            }
    report = {
        "benchmark": "collector_adapters",
        "unit": "normalised posts per second, one core",
        "baseline": "parse only (same parser, items counted, nothing normalised), same run",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "adapters": adapters,
    }
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
