"""The local API's bearer token: in the OS keyring, or in a file named by ``auth_file``.

Like the gateway password it never goes into the settings file or the log. ``desktop-pos
set-api-token`` draws a new random token, keeps it in the keyring and prints it once, for the
merchant's system. A file (``[merchant_api] auth_file``, readable by the till's user only) suits
a till without a keyring.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

KEYRING_SERVICE = "desktop-pos merchant api"
KEYRING_USER = "bearer"

NO_TOKEN = LocalizedText(
    "Ключ локального API не задан: выполните desktop-pos set-api-token или укажите auth_file "
    "в [merchant_api]. API не запущен.",
    "The local API token is not set: run desktop-pos set-api-token or set auth_file in "
    "[merchant_api]. The API is not started.",
)


def load_api_token(auth_file: str) -> tuple[str | None, LocalizedText | None]:
    """The token from ``auth_file`` (if set) or the keyring; otherwise why there is none."""
    if auth_file:
        try:
            token = Path(auth_file).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            return None, LocalizedText(
                f"Файл ключа API {auth_file} не читается ({exc.strerror}).",
                f"The API token file {auth_file} cannot be read ({exc.strerror}).",
            )
        return (token, None) if token else (None, NO_TOKEN)
    import keyring
    import keyring.errors

    try:
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable for the API token: %s", type(exc).__name__)
        return None, NO_TOKEN
    return (stored, None) if stored else (None, NO_TOKEN)


def new_api_token() -> str:
    return secrets.token_urlsafe(32)


def store_api_token(token: str) -> LocalizedText | None:
    """Keep ``token`` in the keyring; the problem if it cannot be kept."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, token)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable for the API token: %s", type(exc).__name__)
        return LocalizedText(
            "Системное хранилище ключей недоступно: укажите auth_file в [merchant_api].",
            "The system keyring is not available: set auth_file in [merchant_api].",
        )
    return None
