"""Run-time language switching with Qt's translators.

Source strings are Russian (the wording of the Assist mPOS guide); English comes from
``resources/translations/desktop_pos_en.qm``, built from the ``.ts`` file with
``pyside6-lrelease`` (``make translations``). Qt's own strings (standard buttons, context menus)
come from the ``qtbase_*.qm`` files shipped with PySide6.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_pos.models.texts import Language

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"

_installed: list[QTranslator] = []


def translation_file(language: Language) -> Path | None:
    """The app's .qm for ``language``; Russian needs none (it is the source language)."""
    if language is Language.RU:
        return None
    return TRANSLATIONS_DIR / f"desktop_pos_{language.value}.qm"


def apply_language(app: QCoreApplication, language: Language) -> None:
    """Install the translators for ``language``; every widget gets a LanguageChange event."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()

    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{language.value}", qt_dir):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)

    path = translation_file(language)
    if path is not None:
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("translation %s could not be loaded; texts stay in Russian", path)
    QLocale.setDefault(
        QLocale(QLocale.Language.Russian if language is Language.RU else QLocale.Language.English)
    )
    log.info("language set to %s", language.value)
