"""The one way widgets start background work: ``run_task``.

A slot must never wait for I/O, so it hands the service coroutine to ``run_task``, which runs it
on the qasync event loop and comes back on the GUI thread:

* ``busy`` (a button, a whole screen) is disabled with a busy cursor while the task runs and
  given back afterwards (also when several tasks share it, and focus returns where it was);
* the result goes to ``on_success``;
* a ``UserFacingError`` goes to ``on_error``, or to ``crash.show_user_error`` when there is none;
* any other exception is a bug and goes to ``crash.report_exception`` (log + crash dialog), as
  does an exception raised by a callback itself;
* the task is referenced until it ends, so it cannot be garbage-collected half way.

Example (in a slot)::

    run_task(self._checkout.pay_cash(order, received),
             on_success=self._show_result, on_error=self._show_payment_error,
             busy=self._pay_button)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import crash

if TYPE_CHECKING:  # asyncio is imported after the first frame (ui/async_loop.py)
    import asyncio

log = logging.getLogger(__name__)

T = TypeVar("T")

_running: set[asyncio.Task[Any]] = set()
_loop_provider: Callable[[], object] | None = None


def set_loop_provider(provider: Callable[[], object] | None) -> None:
    """``provider()`` attaches the GUI thread's loop if it is not running yet (the app's
    ``AsyncLoopAttacher.ensure_loop``), so a task started in the first instant still runs."""
    global _loop_provider
    _loop_provider = provider


_BUSY_COUNT = "_desktopPosBusyTasks"
_WAS_ENABLED = "_desktopPosWasEnabled"


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    """Tasks started by ``run_task`` that have not finished (e.g. to wait for them at exit)."""
    return frozenset(_running)


def is_busy(widget: QWidget) -> bool:
    """``widget`` is held disabled by at least one running task."""
    return int(widget.property(_BUSY_COUNT) or 0) > 0


class _BusyHold:
    """Disables a widget while tasks run; restores enabled state and focus when the last ends."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self._focus: QWidget | None = None
        count = int(widget.property(_BUSY_COUNT) or 0)
        if count == 0:
            focus = QApplication.focusWidget()
            if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
                self._focus = focus
            widget.setProperty(_WAS_ENABLED, widget.isEnabled())
            widget.setEnabled(False)
            widget.setCursor(Qt.CursorShape.BusyCursor)
        widget.setProperty(_BUSY_COUNT, count + 1)

    def release(self) -> None:
        widget = self._widget
        if not shiboken6.isValid(widget):  # closed while the task ran
            return
        count = max(0, int(widget.property(_BUSY_COUNT) or 0) - 1)
        widget.setProperty(_BUSY_COUNT, count)
        if count:
            return
        widget.setEnabled(bool(widget.property(_WAS_ENABLED)))
        widget.unsetCursor()
        focus = self._focus
        if (
            focus is not None
            and shiboken6.isValid(focus)
            and focus.isVisible()
            and focus.isEnabled()
            and QApplication.focusWidget() is None
        ):
            focus.setFocus(Qt.FocusReason.OtherFocusReason)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _task_name(awaitable: Awaitable[Any]) -> str:
    qualname = getattr(awaitable, "__qualname__", None)
    return f"run_task:{qualname or type(awaitable).__name__}"


def run_task(
    coro: Awaitable[T],
    *,
    on_success: Callable[[T], None],
    on_error: Callable[[BaseException], None] | None = None,
    busy: QWidget | None = None,
    language: Language | None = None,
) -> asyncio.Task[T]:
    """Run ``coro`` on the running (qasync) loop and report back on the GUI thread.

    ``language`` is used for a ``UserFacingError`` shown without ``on_error``; by default the
    language set with ``crash.set_language``.
    """
    import asyncio

    if _loop_provider is not None:
        _loop_provider()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        if asyncio.iscoroutine(coro):
            coro.close()  # never started: no "was never awaited" warning
        raise RuntimeError("run_task needs the qasync event loop to be running") from None

    hold = _BusyHold(busy) if busy is not None else None
    name = _task_name(coro)
    # A coroutine becomes the task itself (cancelling it before it starts is then clean);
    # any other awaitable (a future, an object with __await__) is awaited by a wrapper.
    runner: Coroutine[Any, Any, T] = coro if asyncio.iscoroutine(coro) else _await(coro)
    task = loop.create_task(runner, name=name)
    _running.add(task)
    log.debug("%s started", name)

    def finished(done: asyncio.Task[T]) -> None:
        _running.discard(done)
        if hold is not None:
            hold.release()
        parent = busy if busy is not None and shiboken6.isValid(busy) else None
        if done.cancelled():
            log.info("%s cancelled", name)
            return
        exc = done.exception()  # also marks the exception as retrieved
        try:
            if exc is None:
                log.debug("%s finished", name)
                on_success(done.result())
            elif isinstance(exc, UserFacingError):
                log.info("%s failed for the user: %s", name, exc.text.en)
                if on_error is not None:
                    on_error(exc)
                else:
                    crash.show_user_error(parent, exc, language or crash.current_language())
            else:
                crash.report_exception(exc, parent=parent)
        except Exception as callback_error:  # a bug in the callback itself
            crash.report_exception(callback_error, parent=parent)

    task.add_done_callback(finished)
    return task
