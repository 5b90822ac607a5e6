"""The demo's sample order, the one in the Assist mPOS guide (Всего 14.24 руб.)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from desktop_pos.models.order import Order, OrderItem
from desktop_pos.models.order_number import generate_order_number
from desktop_pos.models.vat import VatRate

if TYPE_CHECKING:  # the receipt model loads when printing starts, not with the demo order
    from desktop_pos.models.receipt import MerchantRequisites

_PHOTO = "Компактный фотик"
_CANON = "Компактный фотоаппарат CANON PowerShot SX420 IS черный"


def sample_items() -> tuple[OrderItem, ...]:
    return (
        OrderItem(_PHOTO, Decimal("2"), Decimal("1.82"), VatRate.VAT20),
        OrderItem(_CANON, Decimal("3"), Decimal("1.16"), VatRate.VAT20, discount=Decimal("0.12")),
        OrderItem(_PHOTO, Decimal("2"), Decimal("1.82"), VatRate.VAT20),
        OrderItem(_CANON, Decimal("3"), Decimal("1.16"), VatRate.VAT20, discount=Decimal("0.12")),
    )


def demo_merchant() -> MerchantRequisites:
    """The seller of the guide's receipt example, printed in demo mode when [merchant] is empty."""
    from desktop_pos.models.receipt import MerchantRequisites

    return MerchantRequisites(
        legal_name='ООО "АССИСТ"',
        inn="7728029110",
        address="Комиссара Смирнова 9",
        place_of_settlement="пр. Шаумяна 4",
        tax_system="ОСН",
        cashier="Рязанов Д.",
        kkt_serial="00106700276328",
        ofd_name="ОФД1",
    )


def sample_order(now: datetime) -> Order:
    """A fresh sample order numbered from ``now`` (timezone-aware, local time)."""
    return Order(
        number=generate_order_number(now),
        created_at=now,
        items=sample_items(),
        email="mail@assist.ru",
        comment="Демонстрационный заказ",
    )
