"""UI fixtures: the real store on a temporary SQLite file, checkout, and the main window.

Nothing here is a fake: the windows under test pay through the real ``CheckoutService`` into a
real ``Store`` (migrated by Alembic) on the store thread, with the session's qasync loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import Order
from desktop_pos.models.texts import Language
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.store import Store
from desktop_pos.services.store_worker import StoreWorker

UI_TESTS = Path(__file__).resolve().parent
OFFSCREEN_LIMITS = r"This plugin does not support (propagateSizeHints|raise)\(\)"
"""Qt's offscreen platform warns whenever a shown window's size constraints change or a window
(a tooltip) is raised; these are limits of the test platform, not faults of the widgets."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_TESTS in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_LIMITS))


def local_now() -> datetime:
    return datetime.now().astimezone()


@pytest.fixture
def type_text(qapp: object) -> Callable[[object, str], None]:
    """Type any text (Cyrillic too) into a widget as key presses.

    ``qtbot.keyClicks`` maps characters to Qt keys through an ASCII table and aborts on Cyrillic,
    so this sends key events that carry the text itself, as a keyboard layout would.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    def type_into(widget: object, text: str) -> None:
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)  # type: ignore[arg-type]

    return type_into


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'pos.db'}")
    yield store
    store.close()


@pytest.fixture
def store_worker(store: Store) -> Iterator[StoreWorker]:
    worker = StoreWorker(store)
    yield worker
    worker.shutdown()


@pytest.fixture
def events() -> EventBus:
    return EventBus()


@pytest.fixture
def checkout(store_worker: StoreWorker, events: EventBus) -> CheckoutService:
    return CheckoutService(store_worker, events, local_now)


@pytest.fixture
def sample() -> Order:
    """The order of the Assist mPOS guide: 4 items, Всего 14.24 руб."""
    return sample_order(local_now())


@pytest.fixture
def russian_ui(qapp: object) -> Iterator[None]:
    """Put the translators back to Russian after a test that switched the language."""
    yield
    from PySide6.QtWidgets import QApplication

    from desktop_pos.ui import crash
    from desktop_pos.ui.i18n import apply_language

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_language(app, Language.RU)
    crash.set_language(Language.RU)


@pytest.fixture
def make_window(qtbot: QtBot, qloop: object, checkout: CheckoutService) -> Callable[..., object]:
    """``make_window(demo=False, language=Language.RU)``: a shown MainWindow at 1280×800."""
    from desktop_pos.ui.main_window import MainWindow

    def make(*, demo: bool = False, language: Language = Language.RU) -> MainWindow:
        window = MainWindow(
            checkout,
            lambda: sample_order(local_now()),
            language=language,
            demo=demo,
            version="0.1.0-test",
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make
