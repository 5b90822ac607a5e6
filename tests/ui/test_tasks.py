"""run_task: background calls from widgets on the qasync loop, with busy state and error routing.

The payment cases run the real CheckoutService over a real Store on a temporary SQLite file
(fixtures in tests/ui/conftest.py); the others use small coroutines gated by asyncio events.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_pos.models.errors import PaymentError, UserFacingError
from desktop_pos.models.order import Order
from desktop_pos.models.payment import PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.ui import crash
from desktop_pos.ui.tasks import is_busy, run_task, running_tasks


@pytest.fixture(autouse=True)
def _close_error_windows() -> Iterator[None]:
    yield
    crash.close_dialogs()
    crash.set_language(Language.RU)


@pytest.fixture
def pay_button(qtbot: QtBot) -> QPushButton:
    button = QPushButton("Наличные")
    qtbot.addWidget(button)
    button.show()
    qtbot.waitExposed(button)
    return button


def open_windows(name: str) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


async def gated(gate: asyncio.Event, value: object) -> object:
    await gate.wait()
    return value


def test_result_reaches_on_success_and_the_busy_widget_comes_back(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pay_button: QPushButton
) -> None:
    gate = asyncio.Event()
    results: list[object] = []
    task = run_task(gated(gate, 42), on_success=results.append, busy=pay_button)

    assert not pay_button.isEnabled()
    assert is_busy(pay_button)
    assert task in running_tasks()
    qtbot.wait(20)  # the loop turns, the task waits at the gate
    assert not task.done()
    assert results == []

    gate.set()
    qtbot.waitUntil(lambda: results == [42], timeout=2000)
    assert pay_button.isEnabled()
    assert not is_busy(pay_button)
    assert task not in running_tasks()


def test_a_real_cash_sale_through_the_checkout_service(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pay_button: QPushButton,
    checkout: CheckoutService,
    sample: Order,
) -> None:
    results: list[PaymentResult] = []
    errors: list[BaseException] = []
    run_task(
        checkout.pay_cash(sample, Decimal("20.00")),
        on_success=results.append,
        on_error=errors.append,
        busy=pay_button,
    )
    assert not pay_button.isEnabled()
    qtbot.waitUntil(lambda: bool(results or errors), timeout=10_000)
    assert errors == []
    (result,) = results
    assert result.order_number == sample.number
    assert result.method is PaymentMethod.CASH
    assert result.state.is_paid
    assert result.received == Decimal("20.00")
    assert result.change == Decimal("5.76")  # 20.00 − 14.24
    assert pay_button.isEnabled()


def test_a_user_facing_error_goes_to_on_error(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pay_button: QPushButton,
    checkout: CheckoutService,
    sample: Order,
) -> None:
    errors: list[BaseException] = []
    run_task(
        checkout.pay_cash(sample, Decimal("10.00")),  # less than the 14.24 due
        on_success=lambda _result: pytest.fail("a short payment must not succeed"),
        on_error=errors.append,
        busy=pay_button,
    )
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    (error,) = errors
    assert isinstance(error, PaymentError)
    assert error.text.ru == "Получено 10.00 руб., это меньше суммы к оплате 14.24 руб."
    assert pay_button.isEnabled()
    assert open_windows("userErrorBox") == []


def test_without_on_error_the_cashier_sees_the_message_in_the_ui_language(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pay_button: QPushButton,
    checkout: CheckoutService,
    sample: Order,
) -> None:
    crash.set_language(Language.EN)
    run_task(
        checkout.pay_cash(sample, Decimal("10.00")),
        on_success=lambda _result: pytest.fail("a short payment must not succeed"),
        busy=pay_button,
    )
    qtbot.waitUntil(lambda: bool(open_windows("userErrorBox")), timeout=5000)
    (box,) = open_windows("userErrorBox")
    assert isinstance(box, QMessageBox)
    assert box.text() == "Received 10.00 RUB is less than the 14.24 RUB due."
    assert box.windowTitle() == "Ошибка"
    assert pay_button.isEnabled()


def test_the_language_can_be_given_per_call(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    async def refuse() -> None:
        raise UserFacingError(LocalizedText("Принтер выключен.", "The printer is off."))

    run_task(refuse(), on_success=lambda _r: None, language=Language.EN)
    qtbot.waitUntil(lambda: bool(open_windows("userErrorBox")), timeout=2000)
    (box,) = open_windows("userErrorBox")
    assert isinstance(box, QMessageBox)
    assert box.text() == "The printer is off."


@pytest.mark.expect_log_errors
def test_a_bug_goes_to_the_crash_path_not_to_on_error(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    pay_button: QPushButton,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken() -> int:
        await asyncio.sleep(0)
        return 1 // 0

    errors: list[BaseException] = []
    run_task(broken(), on_success=lambda _r: None, on_error=errors.append, busy=pay_button)
    qtbot.waitUntil(lambda: bool(open_windows("crashDialog")), timeout=2000)
    assert errors == []
    assert pay_button.isEnabled()
    records = [r for r in caplog.records if r.name == "desktop_pos.crash"]
    assert records and records[-1].levelno == logging.ERROR
    assert records[-1].exc_info is not None
    assert records[-1].exc_info[0] is ZeroDivisionError


@pytest.mark.expect_log_errors
def test_a_bug_in_the_callback_is_reported_too(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    def show(_value: object) -> None:
        raise KeyError("missing label")

    gate = asyncio.Event()
    gate.set()
    run_task(gated(gate, "ok"), on_success=show)
    qtbot.waitUntil(lambda: bool(open_windows("crashDialog")), timeout=2000)
    assert any(
        r.exc_info is not None and r.exc_info[0] is KeyError
        for r in caplog.records
        if r.name == "desktop_pos.crash"
    )


def test_a_cancelled_task_calls_nothing_and_gives_the_widget_back(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pay_button: QPushButton
) -> None:
    calls: list[object] = []
    task = run_task(
        gated(asyncio.Event(), "never"),
        on_success=calls.append,
        on_error=calls.append,
        busy=pay_button,
    )
    assert not pay_button.isEnabled()
    task.cancel()
    qtbot.waitUntil(pay_button.isEnabled, timeout=2000)
    assert task.cancelled()
    assert calls == []
    assert open_windows("crashDialog") == []


def test_a_widget_shared_by_two_tasks_comes_back_after_the_last(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pay_button: QPushButton
) -> None:
    first, second = asyncio.Event(), asyncio.Event()
    results: list[object] = []
    run_task(gated(first, 1), on_success=results.append, busy=pay_button)
    run_task(gated(second, 2), on_success=results.append, busy=pay_button)
    first.set()
    qtbot.waitUntil(lambda: results == [1], timeout=2000)
    assert not pay_button.isEnabled()
    second.set()
    qtbot.waitUntil(lambda: results == [1, 2], timeout=2000)
    assert pay_button.isEnabled()


def test_a_widget_disabled_before_stays_disabled(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, pay_button: QPushButton
) -> None:
    pay_button.setEnabled(False)
    gate = asyncio.Event()
    gate.set()
    results: list[object] = []
    run_task(gated(gate, "done"), on_success=results.append, busy=pay_button)
    qtbot.waitUntil(lambda: results == ["done"], timeout=2000)
    assert not pay_button.isEnabled()
    assert not is_busy(pay_button)


def test_keyboard_focus_returns_to_the_field_it_was_in(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    edit = QLineEdit()
    QVBoxLayout(panel).addWidget(edit)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)

    gate = asyncio.Event()
    results: list[object] = []
    run_task(gated(gate, "saved"), on_success=results.append, busy=panel)
    assert not edit.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: results == ["saved"], timeout=2000)
    assert edit.isEnabled()
    qtbot.waitUntil(edit.hasFocus)


def test_the_task_is_kept_alive_without_a_reference_from_the_caller(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    gate = asyncio.Event()
    results: list[object] = []
    run_task(gated(gate, "kept"), on_success=results.append)  # the task object is dropped
    gc.collect()
    assert len(running_tasks()) == 1
    gate.set()
    qtbot.waitUntil(lambda: results == ["kept"], timeout=2000)
    assert running_tasks() == frozenset()


def test_without_a_running_loop_it_refuses_plainly() -> None:
    outcome: list[BaseException] = []

    def call_off_the_loop() -> None:
        try:
            run_task(asyncio.sleep(0), on_success=lambda _r: None)
        except RuntimeError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call_off_the_loop)  # a thread has no running loop
    thread.start()
    thread.join()
    (error,) = outcome
    assert "qasync event loop" in str(error)


def test_a_busy_widget_closed_while_the_task_runs_is_left_alone(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    dialog = QDialog()
    gate = asyncio.Event()
    results: list[object] = []
    run_task(gated(gate, "late"), on_success=results.append, busy=dialog)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not any(w is dialog for w in QApplication.allWidgets()), timeout=2000)
    gate.set()
    qtbot.waitUntil(lambda: results == ["late"], timeout=2000)
    assert results == ["late"]
    assert open_windows("crashDialog") == []
