"""Running a coroutine to completion from a synchronous test.

The UI tests keep a qasync loop running for the whole pytest session (tests/conftest.py), so
``asyncio.run`` on the main thread fails once they have run; a loop of its own in a worker
thread works whatever ran before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-loop") as pool:
        return pool.submit(asyncio.run, coro).result()
