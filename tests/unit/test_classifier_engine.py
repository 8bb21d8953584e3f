"""The engine end to end on one post, and the score: schema, offsets, reasons, monotonicity."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from services.classifier.claims import PlaceSpan
from services.classifier.engine import MAX_LISTED_MATCHES, Engine
from services.classifier.score import ClaimHit, EntityHit, score
from services.classifier.watchlist import load_watchlist
from services.runtime.config import validator

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
WATCHLIST = load_watchlist(ROOT / "examples" / "watchlist.yaml")


def post(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "x:1",
        "source": "x",
        "text": text,
        "created_at": "2026-11-20T08:00:00Z",
        **extra,
    }


class FakeClaims:
    """Stands in for the claim extractor: returns fixed claims and records its inputs."""

    def __init__(self, claims: list[dict[str, Any]]) -> None:
        self.claims = claims
        self.calls: list[tuple[str, tuple[PlaceSpan, ...], str | None]] = []

    def __call__(
        self, text: str, places: Sequence[PlaceSpan], geo_place: str | None
    ) -> list[dict[str, Any]]:
        self.calls.append((text, tuple(places), geo_place))
        return self.claims


def claim(
    stance: str, location: str | None = "Homs", start: int = 0, end: int = 10
) -> dict[str, Any]:
    return {
        "type": "troop_deployment",
        "actor": "Wagner",
        "count": {"min": 200, "max": 200},
        "location": location,
        "stance": stance,
        "evidence": "x",
        "start": start,
        "end": end,
    }


def test_scored_post_validates_and_keeps_the_post() -> None:
    p = post(
        "Soleimani’s men and ЧВК Вагнер in Сирии",
        media=[{"type": "image", "url": "https://x/1.jpg", "alt": "convoy near Homs"}],
        geo={"lat": 34.7, "lon": 36.7, "place": "Homs", "kind": "geotag"},
    )
    out = orjson.loads(orjson.dumps(Engine(WATCHLIST).classify(p)))
    assert list(validator("scored-post.v1").iter_errors(out)) == []
    assert {k: out[k] for k in p} == p
    assert [(e["id"], e["text"]) for e in out["entities"]] == [
        ("qassem-soleimani", "Soleimani"),
        ("wagner-group", "ЧВК Вагнер"),
        ("syria", "Сирии"),
        ("homs", "Homs"),
    ]
    assert out["entities"][-1]["field"] == "media_alt"
    for e in out["entities"][:3]:
        assert p["text"][e["start"] : e["end"]] == e["text"]
    assert out["watchlist_version"] == WATCHLIST.version
    assert any("geotagged in watched location Homs" in r for r in out["reasons"])
    assert 0 < out["score"] < 1


def test_no_match_scores_zero_with_no_reasons() -> None:
    out = Engine(WATCHLIST).classify(post("Nothing to see", media=[{"type": "image"}]))
    assert (out["score"], out["entities"], out["reasons"]) == (0.0, [], [])


def test_places_and_geo_reach_the_claim_extractor() -> None:
    fake = FakeClaims([])
    text = "Convoy arrived in Homs"
    Engine(WATCHLIST, claims=fake).classify(
        post(text, geo={"place": "Latakia", "kind": "place_tag"})
    )
    assert fake.calls == [(text, (PlaceSpan("Homs", 18, 22),), "Latakia")]


def test_a_post_without_watched_names_is_read_for_claims_once() -> None:
    fake = FakeClaims([claim("asserted", location="Kherson")])
    text = "Two battalions arrived in Kherson"
    out = Engine(WATCHLIST, claims=fake).classify(post(text))
    assert fake.calls == [(text, (), None)]
    assert out["entities"] == []
    assert out["claims"] == fake.claims
    assert out["score"] > 0
    assert any("asserted" in r for r in out["reasons"])


@pytest.mark.parametrize(
    ("stance", "counted"),
    [("asserted", True), ("hedged", True), ("denied", False), ("hypothetical", False)],
)
def test_claims_score_by_stance(stance: str, counted: bool) -> None:
    base = Engine(WATCHLIST, claims=FakeClaims([])).classify(post("Convoy arrived in Homs"))
    out = Engine(WATCHLIST, claims=FakeClaims([claim(stance)])).classify(
        post("Convoy arrived in Homs")
    )
    assert out["claims"][0]["stance"] == stance
    assert (out["score"] > base["score"]) is counted
    assert any(stance in r for r in out["reasons"])


def test_asserted_outscores_hedged_outscores_denied() -> None:
    scores = [
        Engine(WATCHLIST, claims=FakeClaims([claim(s)])).classify(post("Troops in Homs"))["score"]
        for s in ("asserted", "hedged", "denied")
    ]
    assert scores[0] > scores[1] > scores[2]


def test_claim_in_a_watched_location_scores_higher() -> None:
    watched = score([], [ClaimHit("asserted", "Homs", True)])[0]
    elsewhere = score([], [ClaimHit("asserted", "Paris", False)])[0]
    assert watched > elsewhere > 0


ENTITY = EntityHit("A", "person", 1.0)
HEAVY = EntityHit("B", "unit", 3.0)
CLAIM = ClaimHit("asserted", "Homs", True)


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        (({"entities": []}), ({"entities": [ENTITY]})),
        (({"entities": [ENTITY]}), ({"entities": [ENTITY, HEAVY]})),
        (({"entities": [ENTITY]}), ({"entities": [ENTITY], "claims": [CLAIM]})),
        (({"entities": [ENTITY]}), ({"entities": [ENTITY], "media": 1})),
        (({"entities": [ENTITY]}), ({"entities": [ENTITY], "geotag": True})),
        (({"entities": [ENTITY]}), ({"entities": [ENTITY], "geo_watched": "Homs"})),
        (
            ({"claims": [ClaimHit("hedged", None, False)]}),
            ({"claims": [ClaimHit("hedged", None, True)]}),
        ),
    ],
)
def test_score_is_monotonic(smaller: dict[str, Any], larger: dict[str, Any]) -> None:
    def run(kw: dict[str, Any]) -> float:
        return score(kw.get("entities", []), kw.get("claims", []), geotag=kw.get("geotag", False),
                     geo_watched=kw.get("geo_watched"), media=kw.get("media", 0))[0]  # fmt: skip

    assert run(larger) > run(smaller)


def test_score_stays_within_one_and_explains_every_piece() -> None:
    value, reasons = score([HEAVY] * 20, [CLAIM] * 5, geo_watched="Homs", media=3)
    assert 0.99 < value <= 1.0
    assert len(reasons) == 20 + 10 + 1 + 1


def test_entities_are_explained_strongest_first_and_the_many_in_one_line() -> None:
    light = EntityHit("C", "place", 0.5)
    value, reasons = score([light, ENTITY, HEAVY])
    assert reasons == [HEAVY.reason, ENTITY.reason, light.reason]
    many = [EntityHit(f"E{i}", "person", 1.0) for i in range(25)]
    value, reasons = score([light, *many])
    assert reasons[:20] == [e.reason for e in many[:20]]
    assert reasons[20:] == ["+0.99 6 more entities"]  # five of 0.6 and one of 0.3
    assert value == round(1 - 0.4**25 * 0.7, 4)


def test_media_and_geotag_alone_score_nothing() -> None:
    assert score([], [], geotag=True, media=2) == (0.0, [])


def test_a_post_of_endless_names_lists_a_bounded_number_of_matches() -> None:
    # 100,000 characters of watched names: listing every match made a 2.2 MB record, more than
    # a broker takes by default, and the post could never be scored.
    text = ("IRGC " * 19_990 + "Homs Aleppo Kursk")[:100_000]
    engine = Engine(WATCHLIST)
    out = orjson.loads(orjson.dumps(engine.classify(post(text))))
    assert list(validator("scored-post.v1").iter_errors(out)) == []
    assert len(out["entities"]) == MAX_LISTED_MATCHES
    assert out["entities_omitted"] == 19_990 + 3 - MAX_LISTED_MATCHES
    # every entity found keeps its first match, and the order is the text's
    ids = [e["id"] for e in out["entities"]]
    assert ids[-3:] == ["homs", "aleppo", "kursk"]
    assert [e["start"] for e in out["entities"]] == sorted(e["start"] for e in out["entities"])
    assert all(text[e["start"] : e["end"]] == e["text"] for e in out["entities"])
    # the score and the reasons count them all
    assert out["score"] == engine.classify(post("IRGC Homs Aleppo Kursk"))["score"]
    assert len(orjson.dumps(out)) < 300_000


def test_a_post_with_few_matches_lists_them_all_and_no_omitted_count() -> None:
    out = Engine(WATCHLIST).classify(post("IRGC " * MAX_LISTED_MATCHES))
    assert len(out["entities"]) == MAX_LISTED_MATCHES
    assert "entities_omitted" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ukrainian ґ and г spell the same foreign name.
        ("Ісмаїл Ґаані нібито був у Бейруті.", ["esmail-qaani"]),
        # A place that opens the post as its dateline is where the news is from, whatever the
        # rest is about (Damascus steel, hummus).
        ("Дамаск: в старом городе открылась выставка дамасской стали.", ["damascus"]),
        ("حمص: افتتاح مطعم فلافل وحمص جديد في شارع الدبلان", ["homs"]),
        # (a word or two may stand between the place and its colon)
        ("Homs update: power back for 4 hours. Mum's hummus is still the best.", ["homs"]),
        ("Hummus, Homs style: chickpeas and tahini", []),
        # ...but not elsewhere in the post.
        ("Выставка дамасской стали: клинки, которыми славился Дамаск.", []),
        # ة ends a word of its own: حلبة is a race track, not Aleppo.
        ("سباق الفورمولا 1 على حلبة جدة الليلة", []),
        ("وصلت تعزيزات إلى حلب", ["aleppo"]),
        # Russian and Ukrainian write an organisation's name in quotation marks, not a city's
        ("Офіцери «Кудс» сидять у Хомсі та Алеппо", ["aleppo", "homs", "quds-force"]),
        ("Деньги «Кудса» идут через обменники", ["quds-force"]),
        ("Кудс — так по-арабски называют Иерусалим.", []),
        # another word for soldiers in a group's name
        ("Северокорейские бойцы вернулись на позиции", ["korean-peoples-army"]),
        ("Північнокорейські солдати навчилися збивати дрони", ["korean-peoples-army"]),
        # (an army, its military, units and special forces are its soldiers too)
        ("The North Korean military is sending more men", ["korean-peoples-army"]),
        ("Армия КНДР готовит новую ротацию", ["korean-peoples-army"]),
        ("جيش كوريا الشمالية يرسل دفعة جديدة", ["korean-peoples-army"]),
        ("ارتش کره شمالی نیروی تازه فرستاد", ["korean-peoples-army"]),
        ("Russian airborne units regroup", ["russian-airborne-forces"]),
        # a street named after a place, its name an adjective in any case
        ("ДТП на вулиці Курській у Києві", []),
        ("На улицах Курска пробки", ["kursk"]),
        # and a metro station's, the adjective on its own after на
        ("Выхожу на Курской, встречайте у выхода к вокзалу", []),
        ("Бои в Курской области продолжаются", ["kursk"]),
    ],
)
def test_letter_variants_datelines_and_ta_marbuta(text: str, expected: list[str]) -> None:
    got = sorted({e["id"] for e in Engine(WATCHLIST).classify(post(text))["entities"]})
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A post that sets the two senses against each other keeps the watched one.
        (
            "Фатимиды строили Каир, а «Фатемиюн» строили блиндажи под Пальмирой.",
            ["liwa-fatemiyoun"],
        ),
        (
            "الفاطميون بنوا القاهرة، أما «فاطميون» اليوم فهم مقاتلون أفغان جندتهم إيران",
            ["liwa-fatemiyoun"],
        ),
        # Without a contrast, the exclude term says what the post is about.
        ("The Fatimids built Cairo; Fatemiyoun is what they called themselves.", []),
    ],
)
def test_a_contrast_tells_the_senses_apart(text: str, expected: list[str]) -> None:
    got = sorted({e["id"] for e in Engine(WATCHLIST).classify(post(text))["entities"]})
    assert got == expected
