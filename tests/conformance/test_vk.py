"""Conformance: every captured VK API response in ../shared/fixtures/sources/vk parses to the
posts we expect (owner_id_id ids, times, wall URLs, text with entities decoded, authors, media,
geo, reposts), and every error envelope is classified."""

from __future__ import annotations

from typing import Any

import pytest
from services.collector.sources.vk import Page, VkError, parse_response
from services.runtime.messages import post_errors
from tests.conftest import SHARED

pytestmark = pytest.mark.conformance

FOLDER = SHARED / "fixtures" / "sources" / "vk"
if not FOLDER.is_dir():
    pytest.skip("../shared/fixtures/sources is not present", allow_module_level=True)

SEARCH_FIRST = {
    "id": "vk:388444282_11454",
    "created_at": "2019-08-02T21:05:00.000Z",
    "text": "❗Принимаю заказы до 23.00 завтрашнего дня&",
    "media": ["image"] * 5,
    "author": ("388444282", "Элина Стайл"),
}
PAGES: dict[str, dict[str, Any]] = {
    "vknet_NewsFeed_Search_NextFrom_NotNull.json": {
        "next_from": "3/-184898883_177",
        "ids": ["vk:388444282_11454", "vk:-31130529_49163", "vk:-184898883_177"],
        "times": [
            "2019-08-02T21:05:00.000Z",
            "2019-08-02T21:00:00.000Z",
            "2019-08-02T19:55:40.000Z",
        ],
        "first": SEARCH_FIRST,
    },
    "vknet_NewsFeed_Search_PostSourceData_Parsing.json": {
        "next_from": "3/-184898883_177",
        "ids": ["vk:388444282_11454", "vk:-31130529_49163"],
        "times": ["2019-08-02T21:05:00.000Z", "2019-08-02T21:00:00.000Z"],
        "first": SEARCH_FIRST,
    },
    "vknet_NewsFeed_Search_Coordinates_Exception.json": {  # starts with a UTF-8 BOM
        "next_from": "20/-190929809_22",
        "ids": ["vk:-168119259_5225"],
        "times": ["2020-02-02T15:38:28.000Z"],
        "first": {
            "text": "✈️ Вильнюс (Литва) → Прага (Чехия)",
            "media": ["image"],
            "geo": {
                "lat": 50.075544478827,
                "lon": 14.437798116462,
                "place": "Náměstí Míru Peace Square, Прага",
                "kind": "geotag",
            },
        },
    },
    "vknet_Wall_GetById_Donut.json": {
        "ids": ["vk:-322_123"],
        "times": ["2020-11-18T11:21:59.000Z"],
        "first": {
            "text": "В этом посте нет доната",
            "media": [],
            "author": ("-322", "Группа ВК"),
            "views": 9,
        },
    },
    "vknet_Wall_Get_Document_NormalCase.json": {
        "ids": ["vk:26033241_1261"],
        "times": ["2013-11-09T06:27:47.000Z"],
        "first": {"text": "", "media": ["gif"]},
    },
    "vknet_Wall_Get_ExtendedVersion_GenerateOutParametersCorrectly.json": {
        "ids": ["vk:10_41"],
        "times": ["2014-03-05T06:51:06.000Z"],
        "first": {
            "text": "",
            "media": ["image"],
            "author": ("10", "Иван Иванов"),
            "repost_of": "vk:-29246653_93530",
        },
    },
    "vknet_Wall_Get_Geo_NormalCase.json": {
        "ids": ["vk:1563369_1164"],
        "times": ["2014-04-19T13:58:26.000Z"],
        "first": {
            "text": "Мы оформляем храм...\n#пасха #весна #праздник #цветы #храм",
            "media": ["other"],  # the original's poll
            "repost_of": "vk:-42895313_128",
            "geo": {
                "lat": 47.282735079717,
                "lon": 39.697793677442,
                "place": "Neklinovskiy pereulok, Rostov-na-Donu",
                "kind": "geotag",
            },
        },
    },
    "vknet_Wall_Get_With_PhotoListAttachment.json": {
        "ids": ["vk:46476924_3188"],
        "times": ["2013-02-04T15:44:00.000Z"],
        "first": {
            "text": "Закрыл стол! 130000 тыс, чуть больше месяца.",
            "media": [],
            "repost_of": "vk:91781360_2569",
        },
    },
}
ERRORS = {
    "vknet_error_5.json": (5, "fatal"),
    "vknet_error_7.json": (7, "skip_target"),
    "vknet_error_14.json": (14, "fatal"),
    "vknet_error_15.json": (15, "skip_target"),
    "vknet_error_17.json": (17, "fatal"),
    "vknet_error_100.json": (100, "skip_target"),
}


def test_every_capture_has_expectations() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.json")) == sorted({**PAGES, **ERRORS})


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page(name: str) -> None:
    want = PAGES[name]
    page = parse_response((FOLDER / name).read_bytes())
    assert isinstance(page, Page)
    assert page.rejects == []
    assert page.next_from == want.get("next_from")
    assert [p["id"] for p in page.posts] == want["ids"]
    assert [p["created_at"] for p in page.posts] == want["times"]
    for post in page.posts:
        assert post_errors(post) == []
        owner, native = post["id"].removeprefix("vk:").split("_")
        assert post["url"] == f"https://vk.com/wall{owner}_{native}"
        assert "&#" not in post["text"]
    first, expected = page.posts[0], want["first"]
    if "id" in expected:
        assert first["id"] == expected["id"]
    assert first["text"] == expected["text"]
    assert [m["type"] for m in first.get("media", [])] == expected["media"]
    assert first.get("geo") == expected.get("geo")
    assert first.get("refs", {}).get("repost_of") == expected.get("repost_of")
    if "author" in expected:
        assert (first["author"]["id"], first["author"]["name"]) == expected["author"]
    if "views" in expected:
        assert first["metrics"]["views"] == expected["views"]


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_error(name: str) -> None:
    error = parse_response((FOLDER / name).read_bytes())
    assert isinstance(error, VkError)
    assert (error.code, error.action) == ERRORS[name]
    assert error.message
