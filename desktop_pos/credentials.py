"""The gateway password, kept in the OS keyring (Windows Credential Manager, Secret Service).

It is never written to the settings file, the log or a crash report. Where no keyring is
available (a headless Linux without a Secret Service), ``load_gateway_password`` says so and the
app asks for the password at start and keeps it in memory only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

KEYRING_SERVICE = "desktop-pos gateway"


def keyring_username(merchant_id: str, login: str) -> str:
    return f"{merchant_id}:{login}"


@dataclass(frozen=True, slots=True)
class PasswordLookup:
    password: str | None
    problem: LocalizedText | None = None
    """Why there is no password (no keyring, nothing stored), for the UI and the log."""


_NO_KEYRING = LocalizedText(
    "Системное хранилище паролей недоступно: пароль шлюза будет запрошен при запуске "
    "и храниться только в памяти.",
    "The system password store is not available: the gateway password is asked for at "
    "start and kept in memory only.",
)
_NOT_STORED = LocalizedText(
    "Пароль шлюза Ассист не сохранен. Введите его (desktop-pos set-password).",
    "The Assist gateway password is not stored. Enter it (desktop-pos set-password).",
)


def load_gateway_password(merchant_id: str, login: str) -> PasswordLookup:
    import keyring
    import keyring.errors

    try:
        password = keyring.get_password(KEYRING_SERVICE, keyring_username(merchant_id, login))
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable: %s", type(exc).__name__)
        return PasswordLookup(None, _NO_KEYRING)
    if password is None:
        return PasswordLookup(None, _NOT_STORED)
    return PasswordLookup(password)


def store_gateway_password(merchant_id: str, login: str, password: str) -> LocalizedText | None:
    """Save the password in the keyring; returns the problem if it cannot be saved."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(merchant_id, login), password)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable: %s", type(exc).__name__)
        return _NO_KEYRING
    log.info("gateway password stored in the keyring for merchant %s", merchant_id)
    return None
