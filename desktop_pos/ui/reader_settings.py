"""«Настройки → Картридер…»: the known readers, the default one, the contactless no-CVM limit.

Integration (the window's settings menu)::

    dialog = open_reader_settings(window, manager, reader_settings, on_saved=apply_and_write)
    # on_saved(ReaderSettings) runs on «Сохранить»; dialog.saved_settings() has them too.

The dialog opens with ``open()`` (window-modal), not ``exec()``: the qasync loop, and with it the
reader link and any payment, keep running while it is shown (as the printer settings do). The
caller writes the ``[reader]`` table (``ReaderSettings.to_table()``) into the settings file.

* «Известные картридеры»: every reader this till has connected (``KnownReaders.all()``), the
  default one marked; «По умолчанию» makes the selected one the default, «Забыть» (Delete) removes
  it (a connected reader is disconnected first by the manager);
* «Найти картридеры» searches (cancellable: the same button stops it, closing the dialog stops it
  too) and lists the readers around; «Подключить» connects the chosen one, which the manager then
  remembers;
* «Лимит без PIN и подписи, руб.»: contactless payments at or under it need no CVM (3000.00 by
  default); a wrong amount is named under the field and nothing is saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.reader.settings import ReaderSettings, ReaderSettingsError
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import format_amount
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    import asyncio

    from desktop_pos.hardware.reader.ble_link import FoundReader
    from desktop_pos.hardware.reader.known_readers import KnownReader
    from desktop_pos.services.card_reader import ReaderManager

log = logging.getLogger(__name__)

DATE_FORMAT = "%d.%m.%Y %H:%M"


class ReaderSettingsDialog(QDialog):
    """Edits the reader settings and the known readers; see the module docstring."""

    def __init__(
        self,
        manager: ReaderManager,
        settings: ReaderSettings,
        parent: QWidget | None = None,
        *,
        on_saved: Callable[[ReaderSettings], None] | None = None,
        language: Language = Language.RU,
        discover_timeout_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerSettingsDialog")
        self._manager = manager
        self._initial = settings
        self._on_saved = on_saved
        self._language = Language(language)
        self._discover_timeout_s = discover_timeout_s or settings.scan_timeout_s
        self._saved: ReaderSettings | None = None
        self._found: list[FoundReader] = []
        self._task: asyncio.Task[Any] | None = None
        self._searching = False
        self._status_text = ""
        self._status_tone = ""

        self._known_caption = QLabel()
        self._known_caption.setObjectName("knownReadersCaption")
        theme.set_role(self._known_caption, theme.ROLE_SECTION)
        self._problem = QLabel()
        self._problem.setObjectName("knownReadersProblem")
        self._problem.setWordWrap(True)
        theme.set_role(self._problem, theme.ROLE_ERROR)
        self._known = QListWidget()
        self._known.setObjectName("knownReadersList")
        self._known.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._default_button = self._button("setDefaultReaderButton", theme.ROLE_SECONDARY)
        self._forget_button = self._button("forgetReaderButton", theme.ROLE_SECONDARY)
        self._default_button.clicked.connect(self.set_default_selected)
        self._forget_button.clicked.connect(self.forget_selected)

        self._found_caption = QLabel()
        self._found_caption.setObjectName("foundReadersCaption")
        theme.set_role(self._found_caption, theme.ROLE_SECTION)
        self._found_list = QListWidget()
        self._found_list.setObjectName("settingsFoundReadersList")
        self._found_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self._found_list.itemActivated.connect(lambda _item: self.connect_selected())
        self._search_button = self._button("searchReadersButton", theme.ROLE_SECONDARY)
        self._connect_button = self._button("connectFoundReaderButton", theme.ROLE_SECONDARY)
        self._search_button.clicked.connect(self.toggle_search)
        self._connect_button.clicked.connect(self.connect_selected)
        self._status = QLabel()
        self._status.setObjectName("readerSettingsStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)

        self._limit_label = QLabel()
        self._limit_edit = QLineEdit()
        self._limit_edit.setObjectName("noCvmLimitField")
        self._limit_edit.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        self._limit_edit.setMaximumWidth(220)
        self._limit_label.setBuddy(self._limit_edit)
        self._limit_hint = QLabel()
        self._limit_hint.setObjectName("noCvmLimitHint")
        self._limit_hint.setWordWrap(True)
        self._limit_error = QLabel()
        self._limit_error.setObjectName("noCvmLimitError")
        self._limit_error.setWordWrap(True)
        theme.set_role(self._limit_error, theme.ROLE_ERROR)
        self._limit_error.hide()
        self._limit_edit.textEdited.connect(lambda _text: self._clear_limit_error())

        self._cancel_button = self._button("cancelReaderSettingsButton", theme.ROLE_SECONDARY)
        self._save_button = self._button("saveReaderSettingsButton", theme.ROLE_PRIMARY)
        self._save_button.setDefault(True)
        self._cancel_button.clicked.connect(self.reject)
        self._save_button.clicked.connect(self.save)

        known_buttons = QVBoxLayout()
        known_buttons.addWidget(self._default_button)
        known_buttons.addWidget(self._forget_button)
        known_buttons.addStretch(1)
        found_buttons = QVBoxLayout()
        found_buttons.addWidget(self._search_button)
        found_buttons.addWidget(self._connect_button)
        found_buttons.addStretch(1)
        lists = QGridLayout()
        lists.setHorizontalSpacing(theme.SPACING)
        lists.addWidget(self._known_caption, 0, 0, 1, 2)
        lists.addWidget(self._problem, 1, 0, 1, 2)
        lists.addWidget(self._known, 2, 0)
        lists.addLayout(known_buttons, 2, 1)
        lists.addWidget(self._found_caption, 3, 0, 1, 2)
        lists.addWidget(self._found_list, 4, 0)
        lists.addLayout(found_buttons, 4, 1)
        lists.addWidget(self._status, 5, 0, 1, 2)
        lists.setColumnStretch(0, 1)
        lists.setRowStretch(2, 2)
        lists.setRowStretch(4, 1)

        limit_row = QHBoxLayout()
        limit_row.addWidget(self._limit_label)
        limit_row.addWidget(self._limit_edit)
        limit_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(lists, 1)
        layout.addLayout(limit_row)
        layout.addWidget(self._limit_hint)
        layout.addWidget(self._limit_error)
        layout.addLayout(buttons)
        for first, second in (
            (self._known, self._default_button),
            (self._default_button, self._forget_button),
            (self._forget_button, self._search_button),
            (self._search_button, self._found_list),
            (self._found_list, self._connect_button),
            (self._connect_button, self._limit_edit),
            (self._limit_edit, self._cancel_button),
            (self._cancel_button, self._save_button),
        ):
            QWidget.setTabOrder(first, second)

        self._limit_edit.setText(format_amount(settings.no_cvm_limit))
        self.refresh_known()
        self.retranslate_ui()
        self.resize(960, 660)  # fits 1280×800

    def _button(self, name: str, role: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        theme.set_role(button, role)
        return button

    # -- public API -------------------------------------------------------------------------------
    def saved_settings(self) -> ReaderSettings | None:
        return self._saved

    def known_serials(self) -> list[str]:
        return [reader.serial for reader in self._known_readers()]

    def known_texts(self) -> list[str]:
        return [self._known.item(row).text() for row in range(self._known.count())]

    def found_names(self) -> list[str]:
        return [reader.name for reader in self._found]

    def is_searching(self) -> bool:
        return self._searching

    def status_text(self) -> str:
        return self._status.text()

    def limit_error(self) -> str:
        return self._limit_error.text() if not self._limit_error.isHidden() else ""

    def select_known(self, serial: str) -> None:
        serials = self.known_serials()
        if serial in serials:
            self._known.setCurrentRow(serials.index(serial))

    def refresh_known(self) -> None:
        """Fill «Известные картридеры» from ``KnownReaders`` (keeping the selection)."""
        selected = self._selected_known()
        keep = selected.serial if selected is not None else ""
        self._known.clear()
        for reader in self._known_readers():
            item = QListWidgetItem(self._known_text(reader))
            item.setSizeHint(QSize(0, theme.BUTTON_MIN_HEIGHT))
            self._known.addItem(item)
        if self._known.count():
            serials = self.known_serials()
            self._known.setCurrentRow(serials.index(keep) if keep in serials else 0)
        problem = getattr(self._manager.known, "problem", None)
        self._problem.setText(problem.get(self._language) if problem is not None else "")
        self._problem.setVisible(problem is not None)
        self._update_buttons()

    # -- known readers ----------------------------------------------------------------------------
    def _known_readers(self) -> list[KnownReader]:
        return list(self._manager.known.all())

    def _selected_known(self) -> KnownReader | None:
        readers = self._known_readers()
        row = self._known.currentRow()
        return readers[row] if 0 <= row < len(readers) else None

    def set_default_selected(self) -> None:
        """«По умолчанию»: the selected reader is the one reached without asking."""
        reader = self._selected_known()
        if reader is None:
            return
        self._manager.set_default(reader.serial)
        log.info("reader %s set as default", reader.serial)
        self._set_status(
            self.tr("Картридер {serial} используется по умолчанию.").format(serial=reader.serial),
            theme.TONE_SUCCESS,
        )
        self.refresh_known()

    def forget_selected(self) -> None:
        """«Забыть»: the reader is no longer reconnected automatically."""
        reader = self._selected_known()
        if reader is None:
            return
        self._manager.forget(reader.serial)
        log.info("reader %s forgotten", reader.serial)
        self._set_status(
            self.tr("Картридер {serial} удалён из списка.").format(serial=reader.serial), ""
        )
        self.refresh_known()
        self._known.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- search -----------------------------------------------------------------------------------
    def toggle_search(self) -> None:
        if self._searching:
            self.stop_search()
        else:
            self.search()

    def search(self) -> None:
        """«Найти картридеры»: the readers around (the button then stops the search)."""
        self._cancel_task()
        self._found = []
        self._fill_found()
        self._searching = True
        self._set_status(self.tr("Поиск картридеров поблизости..."), theme.TONE_PENDING)
        self.retranslate_ui()

        def done(found: list[FoundReader]) -> None:
            if not shiboken6.isValid(self):
                return
            self._task = None
            self._searching = False
            self._found = list(found)
            self._fill_found()
            if found:
                self._set_status(
                    self.tr("Найдено картридеров: {count}.").format(count=len(found)), ""
                )
                self._found_list.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self._set_status(self.tr("Картридеры поблизости не найдены."), theme.TONE_FAILURE)
            self.retranslate_ui()

        self._task = run_task(
            self._manager.discover(self._discover_timeout_s),
            on_success=done,
            on_error=self._failed,
        )

    def stop_search(self) -> None:
        self._cancel_task()
        if self._searching:
            self._searching = False
            self._set_status(self.tr("Поиск остановлен."), "")
            self.retranslate_ui()

    def connect_selected(self) -> None:
        """«Подключить» the reader chosen among those found."""
        row = self._found_list.currentRow()
        if not 0 <= row < len(self._found) or self._task is not None:
            return
        found = self._found[row]
        self._set_status(
            self.tr("Подключение картридера {serial}...").format(serial=found.name),
            theme.TONE_PENDING,
        )

        def done(_link: object) -> None:
            if not shiboken6.isValid(self):
                return
            self._task = None
            self._set_status(
                self.tr("Картридер {serial} подключён.").format(serial=found.name),
                theme.TONE_SUCCESS,
            )
            self.refresh_known()
            self.select_known(found.name)

        self._task = run_task(self._manager.connect(found), on_success=done, on_error=self._failed)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._task = None
        self._searching = False
        text = error.text.get(self._language) if isinstance(error, UserFacingError) else str(error)
        self._set_status(text, theme.TONE_FAILURE)
        self.retranslate_ui()

    def _cancel_task(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    def _fill_found(self) -> None:
        self._found_list.clear()
        for reader in self._found:
            known = reader.name in self._manager.known
            text = reader.name + (self.tr("  (известный)") if known else "")
            item = QListWidgetItem(text)
            item.setSizeHint(QSize(0, theme.BUTTON_MIN_HEIGHT))
            self._found_list.addItem(item)
        if self._found:
            self._found_list.setCurrentRow(0)
        self._update_buttons()

    # -- saving -----------------------------------------------------------------------------------
    def parsed(self) -> ReaderSettings | None:
        """The settings with the typed limit; None (and the message shown) when it is wrong."""
        text = self._limit_edit.text().strip()
        try:
            limit = ReaderSettings.from_table({"no_cvm_limit": text}).no_cvm_limit
        except ReaderSettingsError as exc:
            self._limit_error.setText(exc.text.get(self._language))
            self._limit_error.show()
            theme.set_invalid(self._limit_edit, True)
            self._limit_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return replace(self._initial, no_cvm_limit=limit)

    def save(self) -> None:
        settings = self.parsed()
        if settings is None:
            return
        self._saved = settings
        log.info("reader settings saved: no-CVM limit %s", format_amount(settings.no_cvm_limit))
        if self._on_saved is not None:
            self._on_saved(settings)
        self.accept()

    def _clear_limit_error(self) -> None:
        self._limit_error.hide()
        theme.set_invalid(self._limit_edit, False)

    # -- widgets ----------------------------------------------------------------------------------
    def _known_text(self, reader: KnownReader) -> str:
        parts = [reader.serial]
        if reader.model:
            parts.append(reader.model)
        if reader.is_default:
            parts.append(self.tr("★ по умолчанию"))
        if reader.last_connected is not None:
            parts.append(reader.last_connected.astimezone().strftime(DATE_FORMAT))
        return "  ·  ".join(parts)

    def _update_buttons(self) -> None:
        selected = self._selected_known()
        self._default_button.setEnabled(selected is not None and not selected.is_default)
        self._forget_button.setEnabled(selected is not None)
        busy = self._task is not None and not self._searching
        self._connect_button.setEnabled(
            not busy
            and not self._searching
            and 0 <= self._found_list.currentRow() < len(self._found)
        )

    def _set_status(self, text: str, tone: str) -> None:
        self._status.setText(text)
        theme.set_tone(self._status, tone)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Картридер"))
        self._known_caption.setText(self.tr("Известные картридеры"))
        self._found_caption.setText(self.tr("Картридеры поблизости"))
        self._default_button.setText(self.tr("По умолчанию"))
        self._default_button.setToolTip(
            self.tr("Подключаться к этому картридеру без вопросов при оплате картой")
        )
        self._forget_button.setText(self.tr("Забыть"))
        self._forget_button.setToolTip(self.tr("Удалить картридер из списка (Delete)"))
        self._search_button.setText(
            self.tr("Остановить поиск") if self._searching else self.tr("Найти картридеры")
        )
        self._connect_button.setText(self.tr("Подключить"))
        self._limit_label.setText(self.tr("Лимит без PIN и подписи, руб.:"))
        self._limit_hint.setText(
            self.tr(
                "Бесконтактная оплата (NFC) на сумму до этого лимита включительно проходит без "
                "PIN-кода и подписи покупателя. Обычно 3000.00 руб."
            )
        )
        self._cancel_button.setText(self.tr("Отмена"))
        self._save_button.setText(self.tr("Сохранить"))
        if not self._known.count():
            self._known.setToolTip(self.tr("Картридеры появятся здесь после первого подключения"))
        self._update_buttons()

    # -- events -----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = self._known if self._known.count() else self._search_button
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self._known.hasFocus():
            self.forget_selected()
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        self._cancel_task()  # closing the dialog never leaves a search running
        self._searching = False
        super().done(result)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.refresh_known()
        super().changeEvent(event)


def open_reader_settings(
    parent: QWidget | None,
    manager: ReaderManager,
    settings: ReaderSettings,
    *,
    on_saved: Callable[[ReaderSettings], None] | None = None,
    language: Language = Language.RU,
) -> ReaderSettingsDialog:
    """Open «Картридер» over ``parent`` (window-modal, without a nested event loop)."""
    dialog = ReaderSettingsDialog(manager, settings, parent, on_saved=on_saved, language=language)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
