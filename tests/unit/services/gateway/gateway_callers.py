"""Run the same gateway calls through the sync and the async client.

The async client runs on a fresh event loop in another thread (``asyncio.run``): the UI tests
keep a qasync loop running in this process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway.client import (
    AsyncGatewayClient,
    GatewayClient,
    GatewaySettings,
    OperationState,
)

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class AsyncCaller:
    """``caller.order_state(...)`` runs ``AsyncGatewayClient.order_state`` on its own loop."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            async def run() -> Any:
                async with AsyncGatewayClient(self.settings) as client:
                    return await getattr(client, name)(*args, **kwargs)

            return run_coroutine(run())

        return call

    def close(self) -> None:
        pass


def make_caller(kind: str, settings: GatewaySettings) -> Any:
    if kind == "sync":
        return GatewayClient(settings)
    return AsyncCaller(settings)


def wait_for_state(
    gateway: Any, order_number: str, wanted: OrderState, timeout: float = 5.0
) -> OperationState:
    """Poll orderstate (bounded by ``timeout``) until the newest attempt is ``wanted``."""
    deadline = time.monotonic() + timeout
    while True:
        rows = gateway.order_state(order_number)
        if rows and rows[-1].state is wanted:
            return rows[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"order {order_number} is not {wanted} after {timeout} s: {rows}")
        time.sleep(0.05)
