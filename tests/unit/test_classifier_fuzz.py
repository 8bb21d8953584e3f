"""Hostile text never breaks the classifier: posts built from the demo watchlist's aliases (all
five scripts) and claim words, spliced with the characters that trip text handling (lone
surrogates, combining marks, zero-width and bidi controls, tatweel, variation selectors,
astral letters, case folds that change length: ẞ, İ, ﬃ, Cherokee), in the text, media alt
texts and geotag, classify without raising; every entity and claim points at its own text in
the original; the score is in [0, 1]; `explain` renders it; and the C hot path agrees with its
Python reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services.classifier import claims as claim_words
from services.classifier.cli import explain
from services.classifier.engine import Engine
from services.classifier.text import normalize, normalize_py
from services.classifier.watchlist import load_watchlist

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
WATCHLIST = load_watchlist(ROOT / "examples" / "watchlist.yaml")
ENGINE = Engine(WATCHLIST)

NAMES = sorted(
    {
        name
        for e in WATCHLIST.entities
        for name in (e.name, *e.aliases, *e.ambiguous_aliases, *e.context, *e.exclude)
    }
)
CLAIM_WORDS = sorted(
    {
        w.rstrip("*")
        for w in (*claim_words._ACTORS, *claim_words._MOTIONS, *claim_words._WEAK_ACTORS)
    }
)
NASTY = [
    *"\u200b\u200c\u200d\u00ad\u2060\ufeff",  # zero-width, soft hyphen, word joiner, BOM
    *"\u202e\u202d\u2066\u2069\u200e\u200f",  # bidi controls
    *"\u0640\u034f\ufe0f\ufe0e\u0301\u0308\u064b\u0651",  # tatweel, joiner, selectors, marks
    *"\ud800\udfff\udc80",  # lone surrogates (valid JSON escapes)
    *"\u13f5\u13fd\u1e9e\u00df\u0130\u0131\ufb03\u0149\u01c5\u03a3\u03c2\u1f88\ufdfa\u3300",
    *"\U0001d412\U0001f600\U000e0041\U0001d7ce\u216b\u00bd\u0663\u06f3\uff76\uff9e",
    *"\u3164\uffa0\u115f\u2028\n\t\u00a0\u3000 #@_'’-«»\".,\uffff\ufffd\x00\x1b",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f1fa\U0001f1e6",
    "\r\n",
    "ال",
    "و",
]
SEPARATORS = [" ", "", "\u200c", " \u200c ", "\u0640", "#", "@", "_", "\n", ". ", ", "]


@st.composite
def words(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(NAMES) | st.sampled_from(CLAIM_WORDS))
    how = draw(st.integers(0, 3))
    if how == 0:
        # a nasty character at any position of the word
        at = draw(st.integers(0, len(word)))
        word = word[:at] + draw(st.sampled_from(NASTY)) + word[at:]
    elif how == 1:
        word = word.upper()
    elif how == 2:
        word = word.lower()
    return word


PIECE = words() | st.sampled_from(NASTY) | st.text(max_size=3)
TEXTS = st.lists(st.tuples(PIECE, st.sampled_from(SEPARATORS)), max_size=16).map(
    lambda parts: "".join(p + sep for p, sep in parts)
)
MEDIA = st.lists(
    st.fixed_dictionaries({"type": st.just("image"), "alt": st.none() | TEXTS}), max_size=2
)
GEO = st.fixed_dictionaries(
    {"kind": st.sampled_from(["geotag", "place_tag", "profile"]), "place": st.none() | TEXTS}
)


def check_scored(post: dict[str, Any], scored: dict[str, Any]) -> None:
    text: str = post["text"]
    assert 0.0 <= scored["score"] <= 1.0
    previous_start = 0
    for entity in scored["entities"]:
        if "field" in entity:
            source = post["media"][entity["media"]]["alt"]
        else:
            source = text
            # In text order; a parent named inside its unit's name (the IRGC in IRGC-QF) starts
            # where the unit does, so matches may nest.
            assert previous_start <= entity["start"]
            previous_start = entity["start"]
        assert 0 <= entity["start"] < entity["end"] <= len(source)
        assert source[entity["start"] : entity["end"]] == entity["text"]
    previous_end = 0
    for claim in scored["claims"]:
        assert previous_end <= claim["start"] < claim["end"] <= len(text)
        assert text[claim["start"] : claim["end"]] == claim["evidence"]
        previous_end = claim["end"]


def offsets(text: str, native: bool) -> tuple[str, list[int]]:
    nt = normalize(text) if native else normalize_py(text)
    return nt.norm, [nt.orig(i) for i in range(len(nt.norm) + 1)]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.none() | MEDIA, st.none() | GEO)
def test_hostile_posts_classify_with_offsets_into_their_own_text(
    text: str, media: list[dict[str, Any]] | None, geo: dict[str, Any] | None
) -> None:
    post: dict[str, Any] = {"id": "x:1", "source": "x", "text": text, "created_at": ""}
    if media is not None:
        post["media"] = media
    if geo is not None:
        post["geo"] = geo
    check_scored(post, ENGINE.classify(post))
    explain(ENGINE, text).encode()  # printable: no lone surrogate left unescaped
    assert offsets(text, True) == offsets(text, False)
    assert ENGINE.matcher.find(text) == ENGINE.matcher.find_py(text)
