"""`observe_many` gives a histogram the samples one `observe` per amount would."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Histogram
from services.runtime.metrics import observe_many

pytestmark = pytest.mark.unit

BUCKETS = (0.05, 0.1, 0.5, 1.0, 5.0)


def samples(registry: CollectorRegistry) -> dict[tuple[str, str], float]:
    out = {}
    for metric in registry.collect():
        for s in metric.samples:
            if not s.name.endswith("_created"):
                out[(s.name, s.labels.get("le", ""))] = s.value
    return out


def pair() -> tuple[CollectorRegistry, Histogram, CollectorRegistry, Histogram]:
    one, many = CollectorRegistry(), CollectorRegistry()
    h1 = Histogram("h", "h", buckets=BUCKETS, registry=one)
    h2 = Histogram("h", "h", buckets=BUCKETS, registry=many)
    return one, h1, many, h2


AMOUNTS = st.lists(
    st.one_of(
        st.sampled_from([*BUCKETS, 0.0, -1.0, math.inf, 1e9]),
        st.floats(min_value=-10, max_value=10, allow_nan=False),
    ),
    max_size=60,
)


@settings(max_examples=300, derandomize=True)
@given(AMOUNTS)
def test_same_samples_as_one_observe_per_amount(amounts: list[float]) -> None:
    one, h1, many, h2 = pair()
    for a in amounts:
        h1.observe(a)
    observe_many(h2, amounts)
    expected, got = samples(one), samples(many)
    assert expected.keys() == got.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_nan_is_summed_but_counted_in_no_bucket_as_observe_does() -> None:
    one, h1, many, h2 = pair()
    h1.observe(math.nan)
    observe_many(h2, [math.nan])
    assert samples(one)[("h_count", "")] == samples(many)[("h_count", "")] == 0
    assert math.isnan(samples(many)[("h_sum", "")])


def test_nan_among_other_amounts_leaves_their_buckets_as_observe_does() -> None:
    one, h1, many, h2 = pair()
    amounts = [math.nan, 0.07, -1.0, math.nan, 2.0, 0.07]
    for a in amounts:
        h1.observe(a)
    observe_many(h2, amounts)
    expected, got = samples(one), samples(many)
    assert math.isnan(expected.pop(("h_sum", "")))
    assert math.isnan(got.pop(("h_sum", "")))
    assert got == expected
    assert got[("h_count", "")] == 4
