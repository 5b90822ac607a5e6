"""The error paths: the cashier's message box, the crash dialog, the uncaught-exception hooks."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.ui import crash
from desktop_pos.ui.crash_dialog import CrashDialog

SHORT_OF_CASH = PaymentError(
    LocalizedText("Получено меньше суммы к оплате.", "Received is less than due.")
)


@pytest.fixture(autouse=True)
def _restore_crash_module() -> Iterator[None]:
    yield
    crash.close_dialogs()
    crash.set_dialogs_enabled(True)
    crash.uninstall_exception_hooks()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.setWindowTitle("Касса")
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_windows(name: str) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]


def the_crash_dialog(qtbot: QtBot) -> CrashDialog:
    qtbot.waitUntil(lambda: bool(open_windows("crashDialog")), timeout=2000)
    (dialog,) = open_windows("crashDialog")
    assert isinstance(dialog, CrashDialog)
    return dialog


def child(widget: QWidget, kind: type, name: str):
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def raised(exc: BaseException) -> BaseException:
    """``exc`` with a traceback, as a caught exception has."""
    try:
        raise exc
    except BaseException as caught:
        return caught


# -- expected errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [(Language.RU, "Получено меньше суммы к оплате."), (Language.EN, "Received is less than due.")],
)
def test_user_error_is_a_warning_box_in_the_cashiers_language(
    qtbot: QtBot, window: QWidget, language: Language, text: str
) -> None:
    crash.show_user_error(window, SHORT_OF_CASH, language)  # returns at once: no exec()
    qtbot.waitUntil(lambda: bool(open_windows("userErrorBox")), timeout=2000)
    (box,) = open_windows("userErrorBox")
    assert isinstance(box, QMessageBox)
    assert box.windowTitle() == "Ошибка"
    assert box.text() == text
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.parentWidget() is window
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: open_windows("userErrorBox") == [], timeout=2000)


def test_user_error_without_dialogs_is_only_logged(
    window: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    crash.set_dialogs_enabled(False)
    crash.show_user_error(window, SHORT_OF_CASH, Language.RU)
    assert open_windows("userErrorBox") == []
    infos = [r for r in caplog.records if r.name == "desktop_pos.crash"]
    assert [r.levelno for r in infos] == [logging.INFO]
    assert "Received is less than due." in infos[0].getMessage()


# -- bugs ----------------------------------------------------------------------------------


@pytest.mark.expect_log_errors
def test_report_logs_the_traceback_and_opens_the_crash_dialog(
    qtbot: QtBot, window: QWidget, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    log_file = tmp_path / "logs" / "desktop_pos.log"
    crash.install_exception_hooks(log_file)
    crash.report_exception(raised(ValueError("receipt template broken")), parent=window)

    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.name == "desktop_pos.crash"
    assert record.exc_info is not None and record.exc_info[0] is ValueError
    assert "ValueError: receipt template broken" in log_file.read_text(encoding="utf-8")

    dialog = the_crash_dialog(qtbot)
    assert dialog.windowTitle() == "Ошибка"
    assert dialog.parentWidget() is window
    assert child(dialog, QLabel, "crashMessage").text() == (
        "Произошла непредвиденная ошибка. Приложение продолжает работу. "
        f"Подробности записаны в журнал: {log_file}."
    )
    details = child(dialog, QPlainTextEdit, "crashDetails")
    details_button = child(dialog, QPushButton, "crashDetailsButton")
    assert not details.isVisible()
    assert details_button.text() == "Подробнее"

    qtbot.mouseClick(details_button, Qt.MouseButton.LeftButton)
    assert details.isVisible()
    assert "Traceback (most recent call last)" in details.toPlainText()
    assert "ValueError: receipt template broken" in details.toPlainText()
    assert details_button.text() == "Скрыть подробности"

    close = child(dialog, QPushButton, "crashCloseButton")
    assert close.text() == "Закрыть"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: open_windows("crashDialog") == [], timeout=2000)


@pytest.mark.expect_log_errors
def test_repeated_failures_share_one_dialog(qtbot: QtBot, window: QWidget) -> None:
    crash.report_exception(raised(ValueError("first")), parent=window)
    dialog = the_crash_dialog(qtbot)
    count = child(dialog, QLabel, "crashCount")
    assert not count.isVisible()
    crash.report_exception(raised(KeyError("second")), parent=window)
    assert open_windows("crashDialog") == [dialog]
    assert dialog.report_count() == 2
    assert count.isVisible()
    assert count.text() == "Ошибок, пока открыто это окно: 2"
    assert "ValueError: first" in dialog.details_text()
    assert "KeyError: 'second'" in dialog.details_text()
    # Without a log path set, the message still says where to look.
    assert child(dialog, QLabel, "crashMessage").text().endswith("записаны в журнал.")


@pytest.mark.expect_log_errors
def test_the_crash_dialog_outlives_the_dialog_the_error_came_from(
    qtbot: QtBot, window: QWidget
) -> None:
    change_dialog = QDialog(window)
    field = QLineEdit(change_dialog)
    change_dialog.open()
    qtbot.waitExposed(change_dialog)
    crash.report_exception(raised(TypeError("bad amount type")), parent=field)
    dialog = the_crash_dialog(qtbot)
    assert dialog.parentWidget() is window
    change_dialog.reject()
    change_dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(change_dialog), timeout=2000)
    assert open_windows("crashDialog") == [dialog]


@pytest.mark.expect_log_errors
def test_the_crash_dialog_does_not_block_the_event_loop(qtbot: QtBot, window: QWidget) -> None:
    crash.report_exception(raised(RuntimeError("printer driver")), parent=window)
    the_crash_dialog(qtbot)
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=1000)  # timers still fire while it is open


@pytest.mark.expect_log_errors
def test_with_dialogs_switched_off_a_report_is_only_logged(
    window: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    crash.set_dialogs_enabled(False)
    crash.report_exception(raised(ValueError("quiet")), parent=window)
    assert open_windows("crashDialog") == []
    assert [r.levelno for r in caplog.records if r.name == "desktop_pos.crash"] == [logging.ERROR]


# -- uncaught exceptions -----------------------------------------------------------------------


@pytest.mark.expect_log_errors
def test_an_exception_in_a_qt_slot_is_reported_and_the_app_goes_on(
    qtbot: QtBot, window: QWidget, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    crash.install_exception_hooks(tmp_path / "pos.log")
    assert sys.excepthook is not sys.__excepthook__

    def broken_slot() -> None:
        raise ZeroDivisionError("in a slot")

    QTimer.singleShot(0, broken_slot)
    dialog = the_crash_dialog(qtbot)
    assert "ZeroDivisionError: in a slot" in dialog.details_text()
    assert any(
        r.exc_info is not None and r.exc_info[0] is ZeroDivisionError for r in caplog.records
    )
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=1000)


@pytest.mark.expect_log_errors
def test_an_exception_in_a_worker_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, window: QWidget, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    crash.install_exception_hooks(tmp_path / "pos.log")

    def worker() -> None:
        raise OSError("printer port closed")

    thread = threading.Thread(target=worker, name="printer-worker")
    thread.start()
    thread.join()

    dialog = the_crash_dialog(qtbot)
    app = QApplication.instance()
    assert app is not None
    assert dialog.thread() == app.thread()
    assert "Thread: printer-worker" in dialog.details_text()
    assert "OSError: printer port closed" in dialog.details_text()
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "printer-worker" in record.getMessage()
    assert record.threadName == "printer-worker"


def test_uninstall_puts_the_previous_hooks_back(tmp_path: Path) -> None:
    before = (sys.excepthook, threading.excepthook)
    crash.install_exception_hooks(tmp_path / "pos.log")
    assert (sys.excepthook, threading.excepthook) != before
    assert crash.log_path() == tmp_path / "pos.log"
    crash.uninstall_exception_hooks()
    assert (sys.excepthook, threading.excepthook) == before
    assert crash.log_path() is None


def test_a_log_file_already_written_by_the_app_is_not_opened_twice(tmp_path: Path) -> None:
    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        crash.install_exception_hooks(log_file)
        crash_logger = logging.getLogger("desktop_pos.crash")
        assert not [h for h in crash_logger.handlers if isinstance(h, logging.FileHandler)]
    finally:
        root.removeHandler(handler)
        handler.close()
