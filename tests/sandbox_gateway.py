"""The sandbox gateway as a real subprocess (``python -m desktop_pos.sandbox.gateway``), for
tests that talk to it over loopback HTTP.

Use the fixtures by importing them in the conftest.py of the test directory that needs them::

    from tests.sandbox_gateway import sandbox_gateway, sandbox_gateway_factory  # noqa: F401
    from tests.sandbox_gateway import shared_sandbox_gateway  # noqa: F401

``sandbox_gateway`` is a started process with short delays (fiscal 0.3 s, in process 0.3 s; an
SBP payment waits for ``buyer_pays``, or settles by itself after 30 s). ``sandbox_gateway_factory``
makes processes with other flags (``extra_args``). Both stop their processes after the test.
``shared_sandbox_gateway`` is one process for a whole test module.
The sandbox's stderr (its log) is kept next to its database as ``<db>.log``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from desktop_pos.sandbox.gateway_process import (
    FAST_DELAYS,
    SANDBOX_LOGIN,
    SANDBOX_MERCHANT_ID,
    SANDBOX_PASSWORD,
    SandboxGatewayError,
    SandboxGatewayProcess,
)

__all__ = [
    "FAST_DELAYS",
    "SANDBOX_LOGIN",
    "SANDBOX_MERCHANT_ID",
    "SANDBOX_PASSWORD",
    "SandboxGatewayError",
    "SandboxGatewayProcess",
    "sandbox_gateway",
    "sandbox_gateway_factory",
    "shared_sandbox_gateway",
]


SandboxFactory = Callable[..., SandboxGatewayProcess]


@pytest.fixture
def sandbox_gateway_factory(tmp_path: Path) -> Iterator[SandboxFactory]:
    """``factory(extra_args=(), name="gateway", start=True)`` → a sandbox process (fast delays
    first, then ``extra_args``); every one is stopped after the test."""
    made: list[SandboxGatewayProcess] = []

    def factory(
        extra_args: Sequence[str] = (), *, name: str = "gateway", start: bool = True
    ) -> SandboxGatewayProcess:
        process = SandboxGatewayProcess(
            tmp_path / f"{name}.sqlite3", extra_args=(*FAST_DELAYS, *extra_args)
        )
        made.append(process)
        if start:
            process.start()
        return process

    yield factory
    for process in made:
        try:
            process.stop()
        finally:
            process.kill()
            process.close_control_client()


@pytest.fixture
def sandbox_gateway(sandbox_gateway_factory: SandboxFactory) -> SandboxGatewayProcess:
    """A started sandbox gateway with short delays and its own database in ``tmp_path``."""
    return sandbox_gateway_factory()


@pytest.fixture(scope="module")
def shared_sandbox_gateway(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SandboxGatewayProcess]:
    """One sandbox gateway for a whole test module (saves a start per test). Tests that share
    it use order numbers of their own and must not stop it or leave faults set."""
    process = SandboxGatewayProcess(
        tmp_path_factory.mktemp("sandbox_gateway") / "gateway.sqlite3", extra_args=FAST_DELAYS
    )
    with process:
        yield process
