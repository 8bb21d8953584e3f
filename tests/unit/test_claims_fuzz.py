"""Hostile text never breaks the claim detector: for any string (broken surrogates, combining
marks, bidi and zero-width controls, mixed scripts) with claim sentences spliced in, it returns
well-formed claims whose evidence is the text at their offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services.classifier.claims import _CLAUSE_BREAK, _PAST_YEAR, MAX_CLAIMS, extract_claims
from services.classifier.claims_text import _BOUNDARY

pytestmark = pytest.mark.unit

CLAIMS = [
    "Russian troops arrived in Homs.",
    "Якобы батальон перебросили в Херсон.",
    "وصل نحو 300 جندي إيراني إلى حمص.",
    "گزارش‌ها حاکی از اعزام نیروهای روسی به سوریه است.",
    "Чи відправить Польща війська в Україну?",
]
NOISE = st.text(
    alphabet=st.characters(
        codec=None,
        categories=("L", "M", "N", "P", "S", "Z", "Cf", "Cs"),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NOISE, st.sampled_from(CLAIMS)), max_size=8))
def test_any_text_gives_well_formed_claims(parts: list[str]) -> None:
    text = " ".join(parts)
    claims = extract_claims(text, geo_place="Somewhere")
    assert len(claims) <= MAX_CLAIMS
    previous_end = 0
    for claim in claims:
        assert 0 <= previous_end <= claim["start"] < claim["end"] <= len(text)
        assert text[claim["start"] : claim["end"]] == claim["evidence"]
        assert claim["stance"] in ("asserted", "hedged", "denied", "hypothetical")
        assert claim["type"] == "troop_deployment"
        count = claim["count"]
        assert count is None or 0 < count["min"] <= count["max"]
        previous_end = claim["end"]


@settings(max_examples=60, deadline=None)
@given(NOISE, NOISE)
def test_a_claim_survives_noise_around_it(before: str, after: str) -> None:
    text = f"{before}\n Russian troops arrived in Homs.\n{after}"
    locations = [c["location"] for c in extract_claims(text)]
    assert "Homs" in locations


# The clause breaks as first written: the alternation the faster expression must agree with.
_CLAUSE_BREAK_REFERENCE = re.compile(r"[,;،؛]\s+|\sو\s")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=",;،؛و ب\n\t\u00a0\u2009a", max_size=16),
    st.integers(0, 16),
    st.integers(0, 16),
)
def test_clause_breaks_are_those_of_the_plain_alternation(text: str, start: int, end: int) -> None:
    got = [m.span() for m in _CLAUSE_BREAK.finditer(text, start, end)]
    assert got == [m.span() for m in _CLAUSE_BREAK_REFERENCE.finditer(text, start, end)]


# Sentence ends and past years as first written, likewise.
_BOUNDARY_REFERENCE = re.compile(r"[.!?؟;؛…]+[\"'»”)\]]*|\n")
_PAST_YEAR_REFERENCE = re.compile(
    r"(?:19|۱۹|١٩|13|۱۳)[0-9۰-۹٠-٩]{2}|(?:20|۲۰|٢٠)[01۰۱٠١][0-9۰-۹٠-٩]"
)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=".!?؟;؛…\n\"'»”)] a", max_size=16),
    st.text(alphabet="0123459۰۱۲۳۹٠١٢٣٩ a", max_size=16),
    st.integers(0, 16),
    st.integers(0, 16),
)
def test_sentence_ends_and_years_are_those_of_the_plain_alternations(
    marks: str, digits: str, start: int, end: int
) -> None:
    for new, old, text in (
        (_BOUNDARY, _BOUNDARY_REFERENCE, marks),
        (_PAST_YEAR, _PAST_YEAR_REFERENCE, digits),
    ):
        got = [m.span() for m in new.finditer(text, start, end)]
        assert got == [m.span() for m in old.finditer(text, start, end)]
