"""ScreenStack: a switch is made at once and painted on the next turn of the event loop."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop_pos.ui.screen_stack import ScreenStack


class Paints(QObject):
    """Counts the paint events of the objects it watches, by object name."""

    def __init__(self) -> None:
        super().__init__()
        self.count: Counter[str] = Counter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count[watched.objectName()] += 1
        return False


def stack_of(qtbot: QtBot, *names: str) -> tuple[ScreenStack, dict[str, QWidget], Paints]:
    stack = ScreenStack()
    qtbot.addWidget(stack)
    paints = Paints()
    pages: dict[str, QWidget] = {}
    for name in names:
        page = QLabel(name)
        page.setObjectName(name)
        page.installEventFilter(paints)
        stack.addWidget(page)
        pages[name] = page
    stack.resize(400, 300)
    stack.show()
    qtbot.waitExposed(stack)
    qtbot.waitUntil(lambda: paints.count[names[0]] > 0)
    return stack, pages, paints


def test_the_switch_is_made_at_once_and_painted_on_the_next_turn(qtbot: QtBot) -> None:
    stack, pages, paints = stack_of(qtbot, "order", "result")

    stack.setCurrentWidget(pages["result"])

    assert stack.currentWidget() is pages["result"]  # callers see the new screen on return
    assert pages["result"].isVisible()
    assert stack.paint_pending()
    QCoreApplication.sendPostedEvents()  # the posted events of this turn: no paint yet
    assert paints.count["result"] == 0
    qtbot.waitUntil(lambda: paints.count["result"] > 0)
    assert not stack.paint_pending()
    assert stack.updatesEnabled()


def test_two_switches_in_one_turn_paint_only_the_last_screen(qtbot: QtBot) -> None:
    stack, pages, paints = stack_of(qtbot, "order", "connect", "payment")

    stack.setCurrentWidget(pages["connect"])
    stack.setCurrentWidget(pages["payment"])

    qtbot.waitUntil(lambda: paints.count["payment"] > 0)
    assert paints.count["connect"] == 0


def test_a_hidden_stack_or_the_same_screen_switches_without_holding_the_paint(
    qtbot: QtBot,
) -> None:
    stack, pages, _paints = stack_of(qtbot, "order", "result")

    stack.setCurrentWidget(pages["order"])  # already current
    assert not stack.paint_pending() and stack.updatesEnabled()

    stack.hide()
    stack.setCurrentWidget(pages["result"])
    assert stack.currentWidget() is pages["result"]
    assert not stack.paint_pending() and stack.updatesEnabled()
