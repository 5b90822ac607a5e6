"""Errors the cashier is meant to read, kept apart from programming errors.

``UserFacingError`` and its subclasses carry a message in both languages; the UI shows it as it
is. Any other exception is a bug: it is logged with its traceback and reported by the crash path.
"""

from __future__ import annotations

from desktop_pos.models.texts import LocalizedText


class UserFacingError(Exception):
    """An expected failure whose message tells the cashier what happened and what to do."""

    def __init__(self, text: LocalizedText, *, field: str | None = None) -> None:
        super().__init__(text.en)
        self.text = text
        self.field = field

    def __str__(self) -> str:
        return f"{self.text.en} / {self.text.ru}"


class AmountInputError(UserFacingError):
    """A typed amount could not be read as money."""


class QuantityInputError(UserFacingError):
    """A typed quantity could not be read."""


class OrderNumberError(UserFacingError):
    """An order number is empty, too long or uses characters Assist does not allow."""


class OrderValidationError(UserFacingError):
    """An order cannot be paid as it stands (no items, prepaid above the total, ...)."""


class PaymentError(UserFacingError):
    """A payment could not be taken (too little cash received, order already paid, ...)."""
