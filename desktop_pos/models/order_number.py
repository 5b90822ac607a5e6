"""Order numbers: generated ``YYYYMMDD_HHMMSS_mmm`` or given by the merchant's system.

Assist allows at most 128 characters: letters, digits, underscore, white space, ``№``,
brackets ``( ) { } [ ]``, single and double quotes, backtick, vertical bar and
``+ ! % * , . / : ; = ? @ ^ _ ~ -``.
"""

from __future__ import annotations

from datetime import datetime

from desktop_pos.models.errors import OrderNumberError
from desktop_pos.models.texts import LocalizedText

MAX_ORDER_NUMBER_LENGTH = 128
_ALLOWED_SYMBOLS = frozenset("_ №(){}[]'\"+!%*,./:;=?@^~-`|")


def generate_order_number(now: datetime) -> str:
    """``datetime(2023, 9, 14, 12, 7, 19, 302000)`` → ``"20230914_120719_302"`` (local time)."""
    return f"{now:%Y%m%d_%H%M%S}_{now.microsecond // 1000:03d}"


def _allowed(ch: str) -> bool:
    return ch.isalnum() or ch in _ALLOWED_SYMBOLS or ch in " \t"


def validate_order_number(text: str) -> str:
    """Return the order number without surrounding spaces, or raise ``OrderNumberError``."""
    number = text.strip()
    if not number:
        raise OrderNumberError(
            LocalizedText("Введите номер заказа.", "Enter the order number."), field="number"
        )
    if len(number) > MAX_ORDER_NUMBER_LENGTH:
        raise OrderNumberError(
            LocalizedText(
                "Номер заказа длиннее 128 символов.",
                "The order number is longer than 128 characters.",
            ),
            field="number",
        )
    bad = sorted({ch for ch in number if not _allowed(ch)})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        raise OrderNumberError(
            LocalizedText(
                "Недопустимые символы в номере заказа: {chars}.",
                "Characters not allowed in an order number: {chars}.",
            ).format(chars=shown),
            field="number",
        )
    return number
