"""Qt's own warnings go to the application log instead of stderr.

Two warnings of the offscreen platform (used by the self-test) only say that it cannot resize
or raise windows; they are dropped. Everything else keeps its level.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("desktop_pos.qt")

OFFSCREEN_LIMITS = re.compile(r"This plugin does not support (propagateSizeHints|raise)\(\)")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if OFFSCREEN_LIMITS.search(message):
        return
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def route_qt_messages_to_log() -> None:
    qInstallMessageHandler(_handle)
