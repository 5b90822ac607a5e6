"""How long to wait between attempts to reach a card reader again.

Exponential backoff, capped, with jitter (the shape bleak-retry-connector uses): the first retry
comes quickly, since a reader that rebooted or walked out of range for a moment is usually back
within a second; later ones slow down so that an absent reader does not keep the radio busy.
Jitter spreads the attempts so that two tills near one another do not retry in step.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """``delay(n) = min(max_s, initial_s × factor**n) × (1 ± jitter)``, n = 0, 1, 2, …"""

    initial_s: float = 0.25
    factor: float = 2.0
    max_s: float = 30.0
    jitter: float = 0.2
    """The share of the delay added or removed at random (0 … 1)."""
    max_attempts: int | None = None
    """How many attempts ``delays()`` yields before giving up; None: no end."""

    def __post_init__(self) -> None:
        if self.initial_s < 0 or self.max_s < 0:
            raise ValueError("backoff delays cannot be negative")
        if self.factor < 1:
            raise ValueError("the backoff factor must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("the jitter is a share between 0 and 1")
        if self.max_attempts is not None and self.max_attempts < 0:
            raise ValueError("max_attempts cannot be negative")

    def base_delay(self, attempt: int) -> float:
        """The delay before retry number ``attempt`` (0-based) without jitter."""
        if attempt < 0:
            raise ValueError("attempt numbers start at 0")
        # Grow step by step so that a large attempt number cannot overflow a float.
        delay = self.initial_s
        for _ in range(attempt):
            if delay >= self.max_s:
                break
            delay *= self.factor
        return min(delay, self.max_s)

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """The delay before retry number ``attempt`` with jitter; never above ``max_s``."""
        base = self.base_delay(attempt)
        if self.jitter == 0 or base == 0:
            return base
        spread = (rng or _RANDOM).uniform(-self.jitter, self.jitter)
        return max(0.0, min(self.max_s, base * (1 + spread)))

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """The delays of successive retries; stops after ``max_attempts`` when that is set."""
        attempt = 0
        while self.max_attempts is None or attempt < self.max_attempts:
            yield self.delay(attempt, rng)
            attempt += 1


_RANDOM = random.Random()

RECONNECT_AFTER_LOSS = BackoffPolicy(initial_s=0.25, factor=2.0, max_s=30.0, jitter=0.2)
"""The manager's policy after a lost link: 0.25 s, 0.5 s, 1 s … then every 30 s."""
