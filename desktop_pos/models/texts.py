"""Texts the domain hands to the user interface, in Russian and English.

The domain has no Qt, so it cannot use Qt's translator; every user-facing text it produces
(error messages, response-code descriptions, state names) carries both languages and the UI
picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    RU = "ru"
    EN = "en"


@dataclass(frozen=True, slots=True)
class LocalizedText:
    ru: str
    en: str

    def get(self, language: Language | str) -> str:
        return self.en if Language(language) is Language.EN else self.ru

    def format(self, **params: object) -> LocalizedText:
        return LocalizedText(self.ru.format(**params), self.en.format(**params))

    def __str__(self) -> str:
        return self.ru
