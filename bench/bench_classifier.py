"""Classifier benchmark: speed and quality, printed as one JSON report.

Speed, each next to a JSON decode+encode passthrough measured in the same run:
- pure `classify` on 280-character posts (English, Russian, Ukrainian, Arabic, Persian) with a
  generated 10,000-alias watchlist, one core: on a mix dense with deployment vocabulary (about
  half the posts pass the claim prescan) and on a busy-feed mix of chatter (`chatter_mix`);
- build time and process RSS with 100,000 aliases in no particular order (in a fresh child
  process, whose claim automata, which no watchlist changes, are built first and timed apart): the engine's, the alias automaton's alone (with its states and megabytes), the
  engine's from a sorted list, and the service's (which keeps the collector off the engine's
  objects);
- the classifier service through the local broker (posts/s), against the same service with a
  passthrough engine.
Quality: precision/recall/F1 for entities on tests/data/entities_eval.jsonl (`entities`) and on
the held-out set tests/data/entities_heldout.jsonl labelled against examples/watchlist.yaml
(`entities_heldout`, also split into hard and not-hard rows), on the development set
tests/data/entities_dev.jsonl that the matching rules are tuned on (`entities_dev`, same
watchlist and splits), on the blind-written ones tests/data/entities_dev2.jsonl,
entities_dev3.jsonl to entities_dev25.jsonl (`entities_dev2` to `entities_dev25`) and on the
blind held-out sets entities_heldout2.jsonl to entities_heldout16.jsonl (never tuned on), and
for claims on tests/data/claims_eval.jsonl (null when that file is absent), on the blind
held-out sets tests/data/claims_heldout2.jsonl to claims_heldout10.jsonl (`claims_heldout2`
to `claims_heldout10`) and on the blind development sets claims_dev2.jsonl to claims_dev22.jsonl."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.classifier import _native  # noqa: E402
from services.classifier.claims import prepare as prepare_claims  # noqa: E402
from services.classifier.derived import matcher_entries  # noqa: E402
from services.classifier.engine import CLASSIFIER_VERSION, Engine  # noqa: E402
from services.classifier.matching import compile_table  # noqa: E402
from services.classifier.service import frozen_engine  # noqa: E402
from services.classifier.watchlist import Entity, Watchlist, load_watchlist  # noqa: E402
from tests.helpers.claim_sets import evaluate as blind_claim_quality  # noqa: E402
from tests.helpers.claim_sets import place_key, prf  # noqa: E402

DATA = ROOT / "tests" / "data"
SYLLABLES = {
    "latin": [
        "ka",
        "ri",
        "mo",
        "sa",
        "le",
        "ni",
        "do",
        "va",
        "tor",
        "gan",
        "bel",
        "mir",
        "zak",
        "hus",
        "ram",
        "ol",
        "ev",
        "an",
        "ur",
        "te",
    ],
    "cyrillic": [
        "ка",
        "ри",
        "мо",
        "са",
        "ле",
        "ни",
        "до",
        "ва",
        "тор",
        "ган",
        "бел",
        "мир",
        "зак",
        "хус",
        "рам",
        "ол",
        "ев",
        "ан",
        "ур",
        "те",
    ],
    "arabic": [
        "قا",
        "ري",
        "مو",
        "سا",
        "لي",
        "ني",
        "دو",
        "وا",
        "تور",
        "غا",
        "بل",
        "مير",
        "زا",
        "حس",
        "رم",
        "ول",
        "يف",
        "ان",
        "ور",
        "ته",
    ],
}
# Mostly everyday words, with some of the vocabulary of deployment reports mixed in.
_WORDS = {
    "en": "the a of and to in is for on that with this was we at by new today city market "
    "prices weather match team people school road power water council meeting video photo "
    "thanks love good morning week news report local sources convoy troops seen near border",
    "ru": "в и на с по это как что мы они сегодня город рынок цены погода матч команда люди "
    "школа дорога свет вода совет встреча видео фото спасибо утро неделя новости источники "
    "колонна военные замечены возле границы",
    "uk": "в і на з по це як що ми вони сьогодні місто ринок ціни погода матч команда люди "
    "школа дорога світло вода рада зустріч відео фото дякую ранок тиждень новини джерела "
    "колона військові помічені біля кордону",
    "ar": "في من على الى عن مع هذا اليوم المدينة السوق الأسعار الطقس المباراة الفريق الناس "
    "المدرسة الطريق الكهرباء الماء المجلس اجتماع فيديو صورة شكرا صباح الأسبوع أخبار مصادر "
    "قافلة قوات شوهدت قرب الحدود",
    "fa": "در از به با که این امروز شهر بازار قیمت‌ها هوا مسابقه تیم مردم مدرسه جاده برق آب "
    "شورا جلسه ویدیو عکس ممنون صبح هفته اخبار منابع کاروان نیروها دیده شدند نزدیک مرز",
}
WORDS = {lang: words.split() for lang, words in _WORDS.items()}
# The vocabulary of deployment reports at the end of each list above.
_REPORT_WORDS = {
    "en": "news report local sources convoy troops seen near border",
    "ru": "новости источники колонна военные замечены возле границы",
    "uk": "новини джерела колона військові помічені біля кордону",
    "ar": "أخبار مصادر قافلة قوات شوهدت قرب الحدود",
    "fa": "اخبار منابع کاروان نیروها دیده شدند نزدیک مرز",
}
CHATTER = {
    lang: [w for w in words if w not in _REPORT_WORDS[lang].split()]
    for lang, words in WORDS.items()
}
# One deployment claim per language, for the few posts of the chatter mix that carry one.
CLAIM_SENTENCES = {
    "en": "Reportedly around 300 Iranian troops arrived in Homs overnight.",
    "ru": "По данным источников, около 300 российских военных прибыли в Хомс.",
    "uk": "За даними джерел, близько 300 російських військових прибули до Хомса.",
    "ar": "وصلت تعزيزات عسكرية من قوات الحرس الثوري إلى حمص صباح اليوم.",
    "fa": "گزارش‌ها حاکی است نیروهای سپاه وارد حمص شدند.",
}


def make_aliases(n: int, seed: int = 7) -> list[str]:
    """`n` distinct pseudo-names of one to three words, in Latin, Cyrillic or Arabic script."""
    rng = random.Random(seed)
    out: set[str] = set()
    scripts = list(SYLLABLES)
    while len(out) < n:
        syl = SYLLABLES[rng.choice(scripts)]
        words = [
            "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.choice((1, 2, 2, 3)))
        ]
        out.add(" ".join(w.capitalize() for w in words))
    return sorted(out)


def make_watchlist(n_aliases: int, *, shuffled: bool = False) -> Watchlist:
    """Four aliases an entity. `shuffled`: in no particular order, as an operator's list
    comes (by default sorted, so that each entity's aliases are neighbours in the trie)."""
    aliases = make_aliases(n_aliases)
    if shuffled:
        random.Random(13).shuffle(aliases)
    kinds = ("person", "organization", "unit", "location", "other")
    entities = tuple(
        Entity(
            id=f"e{i}",
            name=aliases[i * 4],
            kind=kinds[i % 5],
            aliases=tuple(aliases[i * 4 : i * 4 + 4]),
        )
        for i in range(n_aliases // 4)
    )
    return Watchlist(entities=entities, version=f"bench-{n_aliases}")


def make_posts(aliases: list[str], n: int, seed: int = 11, *, chatter: bool = False) -> list[bytes]:
    """`n` 280-character posts; about a third mention one or two aliases. The default mix draws
    on a vocabulary dense with deployment words (about half the posts pass the claim prescan);
    `chatter` is a busy feed instead: everyday words only, and one post in fifty opens with a
    deployment claim."""
    rng = random.Random(seed)
    langs = list(WORDS)
    vocabulary = CHATTER if chatter else WORDS
    out = []
    for i in range(n):
        lang = langs[i % len(langs)]
        words: list[str] = []
        if chatter and rng.random() < 0.02:
            words.append(CLAIM_SENTENCES[lang])
        while sum(len(w) + 1 for w in words) < 300:
            words.append(rng.choice(vocabulary[lang]))
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 2)):
                words.insert(rng.randrange(len(words)), rng.choice(aliases))
        text = " ".join(words)[:280]
        post = {
            "id": f"bench:{i}",
            "source": "bench",
            "text": text,
            "created_at": "2026-11-20T08:00:00Z",
            "lang": lang,
        }
        out.append(orjson.dumps(post))
    return out


def best_rate(fn: Any, items: list[bytes], repeats: int = 3) -> float:
    """Items per CPU second of this process, best of `repeats`: on a shared machine CPU time
    says what one core does, where wall time says how busy the neighbours are."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        fn(items)
        best = min(best, time.process_time() - started)
    return len(items) / best


def passthrough(raws: list[bytes]) -> None:
    for raw in raws:
        orjson.dumps(orjson.loads(raw))


def pure_speed() -> dict[str, Any]:
    # One core: pinned for this part only (the broker, started later, must not inherit it).
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        return _pure_speed()
    finally:
        os.sched_setaffinity(0, cpus)


def _pure_speed() -> dict[str, Any]:
    watchlist = make_watchlist(10_000)
    aliases = [a for e in watchlist.entities for a in e.aliases]
    started = time.process_time()
    engine = Engine(watchlist)
    build = time.process_time() - started
    raws = make_posts(aliases, 20_000)
    posts = [orjson.loads(r) for r in raws]

    def classify_only(_: list[bytes]) -> None:
        classify = engine.classify
        for post in posts:
            classify(post)

    def decode_classify_encode(items: list[bytes]) -> None:
        classify = engine.classify
        for raw in items:
            orjson.dumps(classify(orjson.loads(raw)))

    entities_only = Engine(watchlist, claims=lambda text, places, geo: [])

    def classify_entities_only(_: list[bytes]) -> None:
        classify = entities_only.classify
        for post in posts:
            classify(post)

    chatter_raws = make_posts(aliases, 20_000, chatter=True)
    chatter_posts = [orjson.loads(r) for r in chatter_raws]

    def classify_chatter(_: list[bytes]) -> None:
        classify = engine.classify
        for post in chatter_posts:
            classify(post)

    gc.freeze()  # as the service does after loading a watchlist
    base = best_rate(passthrough, raws)
    pure = best_rate(classify_only, raws)
    pure_entities = best_rate(classify_entities_only, raws)
    full = best_rate(decode_classify_encode, raws)
    chatter = best_rate(classify_chatter, chatter_raws)
    matched = sum(1 for p in posts if engine.classify(p)["entities"])
    claimed = sum(1 for p in posts if engine.classify(p)["claims"])
    chatter_claimed = sum(1 for p in chatter_posts if engine.classify(p)["claims"])
    return {
        "aliases": len(aliases),
        "automaton_keys": engine.matcher.keys,
        "build_cpu_seconds": round(build, 3),
        "posts": len(posts),
        "posts_with_matches": matched,
        "post_chars": 280,
        "baseline_passthrough_posts_per_s": round(base),
        "classify_posts_per_s": round(pure),
        "decode_classify_encode_posts_per_s": round(full),
        "classify_entities_only_posts_per_s": round(pure_entities),
        "classify_vs_baseline": round(pure / base, 3),
        "classify_entities_only_vs_baseline": round(pure_entities / base, 3),
        "decode_classify_encode_vs_baseline": round(full / base, 3),
        "posts_with_claims": claimed,
        "chatter_mix": {
            "posts": len(chatter_posts),
            "posts_with_claims": chatter_claimed,
            "classify_posts_per_s": round(chatter),
        },
        "target_classify_posts_per_s": 50_000,
    }


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not `getrusage`'s `ru_maxrss`: Linux carries
    that over from the parent across fork and exec, so a child would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def build_child(n_aliases: int, order: str, how: str) -> None:
    """In a fresh process: CPU time and RSS of building a watchlist of `n_aliases` (`order`:
    sorted or shuffled) into an engine (`how`: `engine`, the pure core's build, or `service`,
    as the service builds it, frozen out of the collector's reach before collection is back on,
    so without the one collection that walks everything built); with `engine`, also the
    automaton alone, rebuilt from the same keys afterwards."""
    watchlist = make_watchlist(n_aliases, shuffled=order == "shuffled")
    # The claim detector's automata (its words and the gazetteer's places) do not depend on the
    # watchlist: a process builds them once, and a reload does not, so they are timed apart.
    prepared = time.process_time()
    prepare_claims()
    prepared = time.process_time() - prepared
    before = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    engine = Engine(watchlist) if how == "engine" else frozen_engine(watchlist)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = peak_rss_mb()
    engine.classify({"id": "x:1", "source": "x", "text": "warm", "created_at": ""})
    report = {
        "build_seconds": seconds,
        "cpu_seconds": cpu,
        "rss_before_mb": before,
        "rss_mb": after,
        "claims_prepare_cpu_seconds": prepared,
    }
    if how == "engine":
        keys, _ = compile_table(matcher_entries(watchlist))
        started = time.process_time()
        automaton = _native.Automaton(keys)
        report["automaton_cpu_seconds"] = time.process_time() - started
        report["automaton_states"] = automaton.states
        report["automaton_mb"] = automaton.nbytes / 2**20
    print(json.dumps(report))


def _build(order: str, how: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--build-child", "100000", order, how],
        capture_output=True,
        check=True,
        text=True,
    )
    child: dict[str, Any] = json.loads(out.stdout)
    return child


def build_speed() -> dict[str, Any]:
    """The build of 100,000 aliases, each way in a fresh process, in the order an operator's
    list comes (shuffled) and sorted."""
    shuffled = _build("shuffled", "engine")
    ordered = _build("sorted", "engine")
    service = _build("shuffled", "service")
    # Baseline: JSON decode+encode of the same watchlist as data, in this process.
    watchlist = make_watchlist(100_000)
    data = [{"id": e.id, "aliases": list(e.aliases)} for e in watchlist.entities]
    started = time.process_time()
    orjson.loads(orjson.dumps(data))
    base = time.process_time() - started
    return {
        "aliases": 100_000,
        "order": "shuffled",
        "build_wall_seconds": round(shuffled["build_seconds"], 3),
        "build_cpu_seconds": round(shuffled["cpu_seconds"], 3),
        "automaton_cpu_seconds": round(shuffled["automaton_cpu_seconds"], 3),
        "automaton_states": shuffled["automaton_states"],
        "automaton_mb": round(shuffled["automaton_mb"], 1),
        "sorted_build_cpu_seconds": round(ordered["cpu_seconds"], 3),
        "service_build_cpu_seconds": round(service["cpu_seconds"], 3),
        "baseline_json_roundtrip_cpu_seconds": round(base, 4),
        "build_vs_baseline": round(shuffled["cpu_seconds"] / base, 1),
        "rss_mb": round(shuffled["rss_mb"], 1),
        "rss_before_build_mb": round(shuffled["rss_before_mb"], 1),
        "service_rss_mb": round(service["rss_mb"], 1),
        "claims_prepare_cpu_seconds": round(shuffled["claims_prepare_cpu_seconds"], 3),
        "target_build_seconds": 2.0,
        "target_rss_mb": 300,
    }


class PassthroughEngine:
    """The service's baseline: decode+encode with no classification."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.version = watchlist.version

    def classify(self, post: dict[str, Any]) -> dict[str, Any]:
        return {
            **post,
            "score": 0.0,
            "entities": [],
            "claims": [],
            "reasons": [],
            "watchlist_version": self.version,
            "classifier_version": CLASSIFIER_VERSION,
        }


async def service_rate(
    broker: Any, raws: list[bytes], watchlist_file: Path, baseline: bool, label: str = ""
) -> tuple[float, float]:
    """Posts/s through the service: per wall second, and per CPU second of this process (the
    service's one core, steadier than wall time on a busy machine; the broker runs apart)."""
    from prometheus_client import CollectorRegistry
    from services.classifier.service import build
    from services.runtime.kafka import ensure_topics
    from services.runtime.settings import load_settings
    from tests.helpers.kafka import produce

    prefix = f"bench{os.getpid()}{'b' if baseline else 'c'}{label}"
    env = {
        "FIELDWATCH_KAFKA_BOOTSTRAP": broker.bootstrap,
        "FIELDWATCH_KAFKA_IDEMPOTENCE": "false",
        "FIELDWATCH_TOPIC_PREFIX": prefix,
        "FIELDWATCH_HTTP_HOST": "127.0.0.1",
        "FIELDWATCH_HTTP_PORT": "0",
        "FIELDWATCH_WATCHLIST": str(watchlist_file),
        "FIELDWATCH_LOG_LEVEL": "warning",
        "FIELDWATCH_LOG_FORMAT": "json",
    }
    settings = load_settings("classifier", env)
    await ensure_topics(settings.kafka)
    await produce(broker.bootstrap, f"{prefix}.posts", raws)
    registry = CollectorRegistry()
    service = build(settings, registry=registry)
    if baseline:
        service.engine = PassthroughEngine(service.engine.watchlist)  # type: ignore[assignment]
    await service.start()
    task = asyncio.create_task(service.run())
    n = len(raws)
    first_t = first_n = first_cpu = None
    scored = service.metrics.scored  # read directly: collecting the registry costs the service
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            done = scored.collect()[0].samples[0].value
            now, cpu = time.perf_counter(), time.process_time()
            if done and first_t is None:
                first_t, first_n, first_cpu = now, done, cpu
            if done >= n:
                break
            await asyncio.sleep(0.005)
        else:
            raise RuntimeError("service did not finish in time")
    finally:
        service.request_stop()
        await asyncio.wait_for(task, timeout=30)
        await service.close()
    assert first_t is not None
    assert first_n is not None
    assert first_cpu is not None
    return (n - first_n) / max(now - first_t, 1e-9), (n - first_n) / max(cpu - first_cpu, 1e-9)


def service_speed() -> dict[str, Any]:
    from services.runtime.broker import LocalBroker
    from services.runtime.logging import configure_logging

    configure_logging("warning", "json", service="bench")
    n_aliases = 10_000
    watchlist = make_watchlist(n_aliases)
    aliases = [a for e in watchlist.entities for a in e.aliases]
    raws = make_posts(aliases, 30_000, seed=5)
    chatter_raws = make_posts(aliases, 30_000, seed=6, chatter=True)
    tmp = ROOT / "var" / "bench"
    tmp.mkdir(parents=True, exist_ok=True)
    wl_file = tmp / "watchlist-10k.json"
    doc = {
        "version": 1,
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind, "aliases": list(e.aliases)}
            for e in watchlist.entities
        ],
    }
    wl_file.write_bytes(orjson.dumps(doc))
    with LocalBroker(log_path=tmp / "broker.log") as broker:
        base, base_cpu = asyncio.run(service_rate(broker, raws, wl_file, baseline=True))
        rate, rate_cpu = asyncio.run(service_rate(broker, raws, wl_file, baseline=False))
        chatter, chatter_cpu = asyncio.run(
            service_rate(broker, chatter_raws, wl_file, baseline=False, label="chatter")
        )
    return {
        "posts": len(raws),
        "aliases": n_aliases,
        "baseline_passthrough_service_posts_per_s": round(base),
        "service_posts_per_s": round(rate),
        "service_vs_baseline": round(rate / base, 3),
        "chatter_mix_service_posts_per_s": round(chatter),
        "chatter_mix_service_vs_baseline": round(chatter / base, 3),
        "per_cpu_second": {
            "baseline_passthrough_service_posts_per_s": round(base_cpu),
            "service_posts_per_s": round(rate_cpu),
            "chatter_mix_service_posts_per_s": round(chatter_cpu),
            "service_vs_baseline": round(rate_cpu / base_cpu, 3),
            "chatter_mix_service_vs_baseline": round(chatter_cpu / base_cpu, 3),
        },
        "target_service_posts_per_s": 20_000,
    }


# The entity sets labelled against examples/watchlist.yaml, in the order the report lists them.
DEMO_ENTITY_SETS = (
    "dev",
    "dev2",
    "heldout",
    *(f"dev{n}" for n in range(3, 26)),
    *(f"heldout{n}" for n in range(2, 17)),
)


def entity_quality(
    eval_file: str = "entities_eval.jsonl", watchlist: Path = DATA / "entities_watchlist.yaml"
) -> dict[str, Any]:
    """Precision/recall/F1 over (post, entity id) pairs, overall and per language; for a set
    whose rows may carry `"hard": true` (spellings nobody listed), also split hard / not hard."""
    engine = Engine(load_watchlist(watchlist))
    totals = [0, 0, 0]
    by_lang: dict[str, list[int]] = {}
    by_hard: dict[str, list[int]] = {}
    rows = [orjson.loads(x) for x in (DATA / eval_file).read_bytes().splitlines() if x.strip()]
    for n, row in enumerate(rows):
        post_id = row.get("id", f"eval:{n}")
        post = {"id": post_id, "source": "eval", "text": row["text"], "created_at": ""}
        got = {e["id"] for e in engine.classify(post)["entities"]}
        want = set(row["entities"])
        counts = (len(got & want), len(got - want), len(want - got))
        lang = by_lang.setdefault(row["lang"], [0, 0, 0])
        hard = by_hard.setdefault("hard" if row.get("hard") else "not_hard", [0, 0, 0])
        for i, c in enumerate(counts):
            totals[i] += c
            lang[i] += c
            hard[i] += c
    report = {
        "posts": len(rows),
        **prf(*totals),
        "by_language": {k: prf(*v)["f1"] for k, v in sorted(by_lang.items())},
    }
    if "hard" in by_hard:
        report["by_hardness"] = {k: prf(*v) for k, v in sorted(by_hard.items())}
    return report


def claim_quality() -> dict[str, Any] | None:
    """Claims matched on stance and location (through the gazetteer, as the floor tests do: a
    region named after its seat counts as the seat); also detection ignoring both."""
    path = DATA / "claims_eval.jsonl"
    if not path.exists():
        return None
    engine = Engine(load_watchlist(DATA / "entities_watchlist.yaml"))
    rows = [orjson.loads(x) for x in path.read_bytes().splitlines() if x.strip()]
    report: dict[str, Any] = {"posts": len(rows)}
    for split in ("all", "heldout"):
        strict = [0, 0, 0]
        detect = [0, 0, 0]
        for row in rows:
            if split != "all" and row.get("split") != split:
                continue
            post = {"id": "eval:1", "source": "eval", "text": row["text"], "created_at": ""}
            got = engine.classify(post)["claims"]
            want = list(row.get("claims") or [])
            detect[0] += min(len(got), len(want))
            detect[1] += max(0, len(got) - len(want))
            detect[2] += max(0, len(want) - len(got))
            unmatched = list(want)
            for claim in got:
                for gold in unmatched:
                    same_place = gold.get("location") is None or place_key(
                        claim.get("location")
                    ) == place_key(gold["location"])
                    if claim.get("stance") == gold.get("stance") and same_place:
                        unmatched.remove(gold)
                        strict[0] += 1
                        break
                else:
                    strict[1] += 1
            strict[2] += len(unmatched)
        report[split] = {"stance_and_location": prf(*strict), "detection": prf(*detect)}
    return report


def blind_claims(name: str) -> dict[str, Any] | None:
    """Claims on a blind-written set (`tests/helpers/claim_sets.py`; places compared through the
    gazetteer, since its labels name them as the post does)."""
    if not (DATA / name).exists():
        return None
    return blind_claim_quality(name)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--build-child":
        build_child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    started = time.perf_counter()
    report = {
        "benchmark": "classifier",
        "classifier_version": CLASSIFIER_VERSION,
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg()[0],
        "pure_classify": pure_speed(),
        "build_100k": build_speed(),
        "service": service_speed(),
        "quality": {
            "entities": entity_quality(),
            # The sets labelled against the demo watchlist, development and held-out.
            **{
                f"entities_{name}": entity_quality(
                    f"entities_{name}.jsonl", ROOT / "examples" / "watchlist.yaml"
                )
                for name in DEMO_ENTITY_SETS
            },
            "claims": claim_quality(),
            **{
                f"claims_{name}": blind_claims(f"claims_{name}.jsonl")
                for name in (
                    *(f"heldout{n}" for n in range(2, 11)),
                    *(f"dev{n}" for n in range(2, 23)),
                )
            },
        },
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
