"""Where errors end up: the cashier's message for expected ones, the crash path for bugs.

* ``show_user_error``: a ``UserFacingError`` (bad input, a declined payment, a device that is
  off) is shown as a warning box with its text in the cashier's language.
* ``report_exception``: anything else is a bug. It is logged at ERROR with its traceback and a
  non-blocking crash dialog says so; the application keeps running.
* ``install_exception_hooks``: uncaught exceptions in Qt slots (``sys.excepthook``) and in worker
  threads (``threading.excepthook``) take the same path; a queued signal carries a worker
  thread's report to the GUI thread, where the dialog is shown.

Dialogs can be switched off with ``set_dialogs_enabled(False)`` (tests, headless self-test);
logging always happens. At most one crash dialog is open at a time: further reports are added to
it, so a failure that repeats does not bury the counter under windows.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language

if TYPE_CHECKING:  # the dialogs load when first needed (start-up time)
    from PySide6.QtWidgets import QMessageBox

    from desktop_pos.ui.crash_dialog import CrashDialog

log = logging.getLogger("desktop_pos.crash")

LOG_FILE_MAX_BYTES = 2_000_000
LOG_FILE_BACKUPS = 3


class _CrashState:
    """The module's settings and the dialogs it keeps alive (one instance: ``_state``)."""

    def __init__(self) -> None:
        self.dialogs_enabled = True
        self.language = Language.RU
        self.log_path: Path | None = None
        self.crash_dialog: CrashDialog | None = None
        self.message_boxes: list[QMessageBox] = []
        self.hop: _GuiThreadHop | None = None
        self.previous_hooks: tuple[Any, Any] | None = None
        self.file_handler: logging.Handler | None = None


_state = _CrashState()


# -- settings -----------------------------------------------------------------------------------
def set_dialogs_enabled(enabled: bool) -> None:
    """Show dialogs (the default) or only log; tests and the headless self-test switch them off."""
    _state.dialogs_enabled = enabled


def dialogs_enabled() -> bool:
    return _state.dialogs_enabled


def set_language(language: Language) -> None:
    """The language for user errors reported without one (e.g. by ``tasks.run_task``)."""
    _state.language = Language(language)


def current_language() -> Language:
    return _state.language


def log_path() -> Path | None:
    """The log file named in the crash dialog (set by ``install_exception_hooks``)."""
    return _state.log_path


def _gui_ready() -> bool:
    """A QApplication exists and this is its (the GUI) thread."""
    app = QCoreApplication.instance()
    return isinstance(app, QApplication) and QThread.currentThread() == app.thread()


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def _outermost_window(widget: QWidget | None) -> QWidget | None:
    """The main window above ``widget``: a crash dialog must outlive a dialog that is closing."""
    window = widget.window() if widget is not None else None
    while window is not None:
        above = window.parentWidget()
        if above is None:
            break
        window = above.window()
    return window


def _format(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


# -- expected errors ----------------------------------------------------------------------------
def show_user_error(parent: QWidget | None, error: UserFacingError, language: Language) -> None:
    """Tell the cashier what went wrong, in ``language``, without blocking the event loop."""
    text = error.text.get(language)
    log.info("user-facing error shown: %s", error.text.en)
    if not _state.dialogs_enabled or not _gui_ready():
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("UserErrorBox", "Ошибка"),
        text,
        QMessageBox.StandardButton.Ok,
        parent if _alive(parent) else QApplication.activeWindow(),
    )
    box.setObjectName("userErrorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _state.message_boxes.append(box)
    box.finished.connect(lambda _result, b=box: _forget_box(b))
    box.open()


def _forget_box(box: QMessageBox) -> None:
    if box in _state.message_boxes:
        _state.message_boxes.remove(box)


# -- bugs ---------------------------------------------------------------------------------------
def report_exception(exc: BaseException, *, parent: QWidget | None = None) -> None:
    """Log ``exc`` with its traceback at ERROR and show the crash dialog; the app goes on.

    Safe from any thread: off the GUI thread the dialog is shown through a queued signal (once
    ``install_exception_hooks`` has run), otherwise the report is only logged.
    """
    log.error(
        "unexpected error: %s: %s",
        type(exc).__name__,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    _show_crash(_format(exc), parent)


def _show_crash(details: str, parent: QWidget | None = None) -> None:
    if not _state.dialogs_enabled:
        return
    if not _gui_ready():
        if _alive(_state.hop):
            assert _state.hop is not None
            _state.hop.report.emit(details)
        return
    dialog = _state.crash_dialog
    if _alive(dialog) and dialog is not None and dialog.isVisible():
        dialog.add_report(details)
        return
    from desktop_pos.ui.crash_dialog import CrashDialog

    start = parent if _alive(parent) else QApplication.activeWindow()
    dialog = CrashDialog(details, _state.log_path, _outermost_window(start))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.finished.connect(_forget_crash_dialog)
    _state.crash_dialog = dialog
    dialog.open()  # not exec(): the event loop and the payment tasks keep running


def _forget_crash_dialog() -> None:
    _state.crash_dialog = None


def close_dialogs() -> None:
    """Close every crash dialog and error box this module opened (shutdown, tests)."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    for box in list(_state.message_boxes):
        if _alive(box):
            box.done(QMessageBox.StandardButton.Ok.value)
    _state.message_boxes.clear()
    if _alive(_state.crash_dialog) and _state.crash_dialog is not None:
        _state.crash_dialog.done(QDialog.DialogCode.Rejected.value)
    _state.crash_dialog = None


class _GuiThreadHop(QObject):
    """Lives on the GUI thread; a report emitted from any thread is shown there (queued)."""

    report = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _show(self, details: str) -> None:
        _show_crash(details)


def _sys_excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    report_exception(exc)


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if issubclass(args.exc_type, SystemExit):  # as the default hook: a thread may exit quietly
        return
    thread_name = args.thread.name if args.thread is not None else "?"
    exc = args.exc_value
    if exc is None:
        log.error("unexpected error in thread %s: %s", thread_name, args.exc_type.__name__)
        _show_crash(f"{args.exc_type.__name__} (thread {thread_name})")
        return
    log.error(
        "unexpected error in thread %s: %s: %s",
        thread_name,
        args.exc_type.__name__,
        exc,
        exc_info=(args.exc_type, exc, args.exc_traceback),
    )
    details = "".join(traceback.format_exception(args.exc_type, exc, args.exc_traceback))
    _show_crash(f"Thread: {thread_name}\n{details}")


def _ensure_log_file(path: Path) -> None:
    """Make sure crash reports reach ``path`` (unless a handler already writes there)."""
    target = path.resolve()
    if _state.file_handler is not None:  # installed before with another path
        log.removeHandler(_state.file_handler)
        _state.file_handler.close()
        _state.file_handler = None
    for logger in (logging.getLogger(), log):
        for handler in logger.handlers:
            filename = getattr(handler, "baseFilename", None)
            if filename is not None and Path(filename).resolve() == target:
                return
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        target,
        maxBytes=LOG_FILE_MAX_BYTES,
        backupCount=LOG_FILE_BACKUPS,
        encoding="utf-8",
        delay=True,
    )
    handler.setLevel(logging.ERROR)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s")
    )
    log.addHandler(handler)
    _state.file_handler = handler


def install_exception_hooks(log_path: Path) -> None:
    """Route uncaught exceptions (Qt slots, threads) to the log at ``log_path`` and the dialog.

    Call once on the GUI thread after the QApplication exists.
    """
    _state.log_path = Path(log_path)
    _ensure_log_file(_state.log_path)
    if not _alive(_state.hop):
        _state.hop = _GuiThreadHop()
    if _state.previous_hooks is None:
        _state.previous_hooks = (sys.excepthook, threading.excepthook)
    sys.excepthook = _sys_excepthook
    threading.excepthook = _threading_excepthook
    log.info("exception hooks installed; crash reports go to %s", _state.log_path)


def uninstall_exception_hooks() -> None:
    """Put back the hooks that were there before ``install_exception_hooks``; close the log file."""
    if _state.previous_hooks is not None:
        sys.excepthook, threading.excepthook = _state.previous_hooks
        _state.previous_hooks = None
    if _state.file_handler is not None:
        log.removeHandler(_state.file_handler)
        _state.file_handler.close()
        _state.file_handler = None
    _state.log_path = None
