"""An order: items, discount lines, total, prepaid earlier, due now, buyer contacts, comment.

An item's ``price`` is the unit price actually charged; ``discount`` is the rouble discount
already contained in it, printed as a "СКИДКА" line under the item (as in the Assist order data:
``3.000 x 1.16 = 3.48`` with ``СКИДКА 0.12``). So the item's sum is ``quantity × price`` and the
order total is the sum of item sums. Due now = total − prepaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from desktop_pos.models.errors import OrderValidationError
from desktop_pos.models.money import (
    MAX_AMOUNT,
    ZERO,
    line_amount,
    to_money,
    to_quantity,
)
from desktop_pos.models.order_number import validate_order_number
from desktop_pos.models.texts import LocalizedText
from desktop_pos.models.vat import DEFAULT_VAT, VatRate, vat_by_rate

MAX_ITEM_NAME_LENGTH = 250
MAX_COMMENT_LENGTH = 256
MAX_EMAIL_LENGTH = 128
FULL_SETTLEMENT = "4"
"""Payment-method sign (FFD tag 1214) "полный расчет", Assist's default ``payment_method``."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (a NUL, escape codes) never belong in names, comments or addresses; a
receipt printer would act on them and PostgreSQL refuses NUL in text."""


def _invalid(ru: str, en: str, field_name: str) -> OrderValidationError:
    return OrderValidationError(LocalizedText(ru, en), field=field_name)


@dataclass(frozen=True, slots=True)
class OrderItem:
    name: str
    quantity: Decimal
    price: Decimal
    vat: VatRate = DEFAULT_VAT
    discount: Decimal = ZERO
    payment_method_sign: str = FULL_SETTLEMENT

    def __post_init__(self) -> None:
        if _CONTROL.search(self.name):
            raise _invalid(
                "Наименование содержит управляющие символы.",
                "The item name contains control characters.",
                "name",
            )
        name = " ".join(self.name.split())
        if not name:
            raise _invalid("Введите наименование позиции.", "Enter the item name.", "name")
        if len(name) > MAX_ITEM_NAME_LENGTH:
            raise _invalid(
                "Наименование длиннее 250 символов.",
                "The item name exceeds 250 characters.",
                "name",
            )
        quantity = to_quantity(self.quantity)
        price = to_money(self.price)
        discount = to_money(self.discount)
        if quantity <= 0:
            raise _invalid(
                "Количество должно быть больше нуля.",
                "The quantity must be above zero.",
                "quantity",
            )
        if price < 0:
            raise _invalid(
                "Цена не может быть отрицательной.", "The price cannot be negative.", "price"
            )
        if discount < 0:
            raise _invalid(
                "Скидка не может быть отрицательной.",
                "The discount cannot be negative.",
                "discount",
            )
        if line_amount(quantity, price) > MAX_AMOUNT:
            raise _invalid("Сумма позиции слишком велика.", "The item sum is too large.", "price")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "price", price)
        object.__setattr__(self, "discount", discount)
        object.__setattr__(self, "vat", VatRate(self.vat))

    @property
    def amount(self) -> Decimal:
        """quantity × price, rounded to kopecks."""
        return line_amount(self.quantity, self.price)

    @property
    def vat_amount(self) -> Decimal:
        return self.vat.vat_of(self.amount)


@dataclass(frozen=True, slots=True)
class EditPermissions:
    """Per-order edit permissions (Assist's ``allow_*`` flags); all allowed for manual orders."""

    edit_item_quantity: bool = True
    remove_item: bool = True
    add_item: bool = True
    edit_item: bool = True


@dataclass(frozen=True, slots=True)
class Order:
    number: str
    created_at: datetime
    items: tuple[OrderItem, ...] = ()
    prepaid: Decimal = ZERO
    email: str = ""
    phone: str = ""
    comment: str = ""
    permissions: EditPermissions = field(default_factory=EditPermissions)

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("Order.created_at must be timezone-aware")
        object.__setattr__(self, "prepaid", to_money(self.prepaid))
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "email", self.email.strip())
        object.__setattr__(self, "phone", self.phone.strip())

    # -- totals ---------------------------------------------------------------------------
    @property
    def total(self) -> Decimal:
        """Всего: the sum of item sums."""
        return sum((item.amount for item in self.items), ZERO)

    @property
    def due(self) -> Decimal:
        """К оплате: total − prepaid earlier."""
        return self.total - self.prepaid

    @property
    def discount_total(self) -> Decimal:
        return sum((item.discount for item in self.items), ZERO)

    def vat_summary(self) -> dict[VatRate, tuple[Decimal, Decimal]]:
        """rate → (sum of items at that rate, VAT of that sum)."""
        return vat_by_rate((item.vat, item.amount) for item in self.items)

    # -- editing (returns new orders) -----------------------------------------------------
    def with_number(self, number: str) -> Order:
        return replace(self, number=validate_order_number(number))

    def with_item(self, item: OrderItem) -> Order:
        return replace(self, items=(*self.items, item))

    def with_item_replaced(self, index: int, item: OrderItem) -> Order:
        items = list(self.items)
        items[index] = item
        return replace(self, items=tuple(items))

    def without_item(self, index: int) -> Order:
        items = list(self.items)
        del items[index]
        return replace(self, items=tuple(items))

    # -- validation -----------------------------------------------------------------------
    def validate_for_payment(self) -> None:
        """Raise ``OrderValidationError`` unless the order can be paid as it stands."""
        validate_order_number(self.number)
        if not self.items:
            raise _invalid(
                "Добавьте в заказ хотя бы одну позицию.",
                "Add at least one item to the order.",
                "items",
            )
        if self.prepaid < 0:
            raise _invalid(
                "Предоплата не может быть отрицательной.",
                "The prepayment cannot be negative.",
                "prepaid",
            )
        if self.prepaid > self.total:
            raise _invalid(
                "Предоплата больше суммы заказа.",
                "The prepayment exceeds the order total.",
                "prepaid",
            )
        if self.total > MAX_AMOUNT:
            raise _invalid("Сумма заказа слишком велика.", "The order total is too large.", "items")
        if self.due <= 0:
            raise _invalid(
                "Сумма к оплате должна быть больше нуля.",
                "The amount due must be above zero.",
                "items",
            )
        if self.email and (len(self.email) > MAX_EMAIL_LENGTH or not _EMAIL.fullmatch(self.email)):
            raise _invalid(
                "Неверный адрес электронной почты.", "The e-mail address is not valid.", "email"
            )
        for field_name, text in (
            ("email", self.email),
            ("phone", self.phone),
            ("comment", self.comment),
        ):
            if _CONTROL.search(text):
                raise _invalid(
                    "Поле содержит управляющие символы.",
                    "The field contains control characters.",
                    field_name,
                )
        if len(self.comment) > MAX_COMMENT_LENGTH:
            raise _invalid(
                "Комментарий длиннее 256 символов.",
                "The comment exceeds 256 characters.",
                "comment",
            )
