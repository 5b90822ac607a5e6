"""The main window's screens: a switch is laid out at once and painted on the next loop turn.

A screen switch is two pieces of work on the GUI thread: the switch itself (the old screen
hidden, the new one shown and laid out, whatever the caller does around it, such as loading a
fresh order) and painting the new screen. Left to Qt, both fall in the same turn of the event
loop: the caller's code runs from a timer or an input event and the paint from the posted
events right after it, so nothing else (a key press, a reader frame, a timer) is handled
between them. ``ScreenStack.setCurrentWidget`` holds the stack's updates for one turn instead:
the paint comes in the next turn, after whatever else is waiting, so each piece stays short.
What is on screen does not change meanwhile: the old screen stays in the backing store until
the new one is painted over it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QWidget


class ScreenStack(QStackedWidget):
    """``QStackedWidget`` whose switches (from Python) are painted on the next loop turn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paint = QTimer(self)
        self._paint.setSingleShot(True)
        self._paint.setInterval(0)
        self._paint.timeout.connect(self._resume_updates)

    def setCurrentWidget(self, widget: QWidget) -> None:
        """Switch to ``widget`` now (``currentWidget()`` is it on return); paint it next turn."""
        if widget is self.currentWidget() or not self.isVisible():
            super().setCurrentWidget(widget)
            return
        self.setUpdatesEnabled(False)
        super().setCurrentWidget(widget)
        self._paint.start()

    def paint_pending(self) -> bool:
        """A switch waits for its paint."""
        return self._paint.isActive()

    def _resume_updates(self) -> None:
        self.setUpdatesEnabled(True)  # Qt schedules the repaint of the whole stack
