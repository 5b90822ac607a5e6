"""Project-wide test set-up.

* Qt runs offscreen (set before any QApplication exists); Qt warnings fail tests (pytest-qt's
  ``qt_log_level_fail`` in pyproject).
* One qasync event loop for the whole session, bound to the QApplication and never stopped
  (stopping it would call ``QApplication.exit()``); asyncio tasks advance while a test waits in
  ``qtbot.waitUntil`` / ``qtbot.waitSignal``.
* A log record at ERROR or above fails the test unless the test is marked ``expect_log_errors``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "expect_log_errors: the test provokes ERROR log records on purpose"
    )


@pytest.fixture(scope="session")
def qloop(qapp: object) -> asyncio.AbstractEventLoop:
    """The session's qasync loop, set as the current asyncio loop."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    return loop


@pytest.fixture(autouse=True)
def _fail_on_error_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    if request.node.get_closest_marker("expect_log_errors"):
        return
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR
    ]
    if errors:
        pytest.fail("unexpected ERROR log records:\n" + "\n".join(errors), pytrace=False)
