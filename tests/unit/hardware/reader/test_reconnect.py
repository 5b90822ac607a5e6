"""Reconnect backoff: exponential, capped, with jitter that stays within its bounds."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_pos.hardware.reader.reconnect import RECONNECT_AFTER_LOSS, BackoffPolicy


def test_exponential_then_capped_without_jitter() -> None:
    policy = BackoffPolicy(initial_s=0.25, factor=2.0, max_s=2.0, jitter=0.0)
    assert [policy.delay(n) for n in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]


def test_huge_attempt_numbers_stay_at_the_cap() -> None:
    policy = BackoffPolicy(initial_s=1.0, factor=3.0, max_s=30.0, jitter=0.0)
    assert policy.base_delay(10_000) == 30.0


def test_max_attempts_ends_the_sequence() -> None:
    policy = BackoffPolicy(initial_s=0.1, max_s=1.0, jitter=0.0, max_attempts=3)
    assert list(policy.delays()) == [0.1, 0.2, 0.4]
    assert list(BackoffPolicy(max_attempts=0).delays()) == []


def test_unbounded_sequence_goes_on() -> None:
    delays = list(itertools.islice(RECONNECT_AFTER_LOSS.delays(random.Random(1)), 50))
    assert len(delays) == 50
    assert max(delays) <= RECONNECT_AFTER_LOSS.max_s


def test_jitter_spreads_the_delays() -> None:
    policy = BackoffPolicy(initial_s=1.0, factor=1.0, max_s=10.0, jitter=0.5)
    rng = random.Random(7)
    delays = {round(policy.delay(0, rng), 6) for _ in range(20)}
    assert len(delays) > 10
    assert all(0.5 <= d <= 1.5 for d in delays)


def test_same_seed_same_delays() -> None:
    policy = RECONNECT_AFTER_LOSS
    first = list(itertools.islice(policy.delays(random.Random(3)), 8))
    second = list(itertools.islice(policy.delays(random.Random(3)), 8))
    assert first == second


@given(
    initial=st.floats(0, 5),
    factor=st.floats(1, 4),
    cap=st.floats(0, 60),
    jitter=st.floats(0, 1),
    attempt=st.integers(0, 200),
    seed=st.integers(0, 2**32),
)
def test_delay_within_bounds(
    initial: float, factor: float, cap: float, jitter: float, attempt: int, seed: int
) -> None:
    policy = BackoffPolicy(initial_s=initial, factor=factor, max_s=cap, jitter=jitter)
    base = policy.base_delay(attempt)
    assert 0 <= base <= cap
    delay = policy.delay(attempt, random.Random(seed))
    assert 0 <= delay <= cap
    assert base * (1 - jitter) - 1e-9 <= delay <= base * (1 + jitter) + 1e-9


@pytest.mark.parametrize(
    "kwargs",
    [{"initial_s": -1}, {"max_s": -1}, {"factor": 0.5}, {"jitter": 1.5}, {"max_attempts": -1}],
)
def test_bad_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BackoffPolicy(**kwargs)  # type: ignore[arg-type]


def test_negative_attempt_is_refused() -> None:
    with pytest.raises(ValueError):
        RECONNECT_AFTER_LOSS.delay(-1)
