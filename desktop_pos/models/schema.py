"""The database schema as SQLAlchemy 2 declarative classes. No I/O here.

The tables are created and changed only by Alembic revisions (``desktop_pos/migrations``); this
module describes the same schema for the ORM and is compared with the migrated database by the
tests, so a change here without a new revision fails the test suite.

Conventions (docs/store.md has the full picture):

* money is ``Numeric(17, 2)`` and quantities are ``Numeric(15, 3)``, read back as ``Decimal``;
* every timestamp is timezone-aware UTC (``UTCDateTime``): SQLite keeps no offset, so values are
  converted to UTC before they are written and marked UTC when they are read;
* states, methods and VAT rates are stored as the plain string values of the domain enums
  (``OrderState``, ``FiscalState``, ``PaymentMethod``, ``VatRate``); the store checks them on
  reading, so a value written by a newer program gives a clear error instead of a crash;
* constraint names follow ``NAMING_CONVENTION`` so later (batch) migrations can refer to them.

The rows also convert to and from the domain objects (``OrderRow.to_order``, ``assign``), so the
repository (``desktop_pos.services.store``) only runs queries and transactions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from desktop_pos.models.errors import OrderValidationError, UserFacingError
from desktop_pos.models.order import EditPermissions, Order, OrderItem
from desktop_pos.models.texts import LocalizedText
from desktop_pos.models.vat import VatRate

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY_PRECISION = 17
"""Digits of a money column: up to 15 are used (Assist's limit), two spare."""
QUANTITY_PRECISION = 15

_E = TypeVar("_E", bound=StrEnum)


class StoredDataError(UserFacingError):
    """The database holds a value this program cannot read (damaged, or from a newer version)."""


def parse_stored(kind: type[_E], value: str, number: str, column: str) -> _E:
    """``kind(value)``, or a ``StoredDataError`` that names the order and the column."""
    try:
        return kind(value)
    except ValueError:
        raise StoredDataError(
            LocalizedText(
                "Заказ № {number}: в базе данных неизвестное значение {value} в поле {column}. "
                "Возможно, база данных изменена более новой версией программы.",
                "Order {number}: the database holds an unknown value {value} in {column}. "
                "The database may have been changed by a newer version of the program.",
            ).format(number=number, value=repr(value), column=column)
        ) from None


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    Naive datetimes are refused when written (a naive value in this program is a bug). SQLite
    returns naive values: they were written as UTC, so they are marked UTC on reading.
    PostgreSQL (``timestamptz``) returns aware values in the session time zone: converted to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a naive datetime cannot be stored: {value!r}")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"the database returned {value!r} for a timestamp column")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def money() -> Numeric[Decimal]:
    return Numeric(MONEY_PRECISION, 2, asdecimal=True)


def quantity() -> Numeric[Decimal]:
    return Numeric(QUANTITY_PRECISION, 3, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OrderRow(Base):
    """One order (the order number is the idempotency key toward the gateway)."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_state_created_at", "state", "created_at"),
        Index("ix_orders_created_at", "created_at"),
        Index("ix_orders_method_created_at", "method", "created_at"),
        Index("ix_orders_fiscal_state", "fiscal_state"),
        Index("ix_orders_billnumber", "billnumber"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(32))
    total: Mapped[Decimal] = mapped_column(money())
    prepaid: Mapped[Decimal] = mapped_column(money())
    due: Mapped[Decimal] = mapped_column(money())
    email: Mapped[str] = mapped_column(String(128), server_default="")
    phone: Mapped[str] = mapped_column(String(64), server_default="")
    comment: Mapped[str] = mapped_column(Text, server_default="")
    source: Mapped[str] = mapped_column(String(32), server_default="manual")
    allow_edit_item_quantity: Mapped[bool] = mapped_column(Boolean, server_default=true())
    allow_remove_item: Mapped[bool] = mapped_column(Boolean, server_default=true())
    allow_add_item: Mapped[bool] = mapped_column(Boolean, server_default=true())
    allow_edit_item: Mapped[bool] = mapped_column(Boolean, server_default=true())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    method: Mapped[str | None] = mapped_column(String(16))
    """The payment method of the newest attempt (kept here for the journal's filters)."""
    fiscal_state: Mapped[str | None] = mapped_column(String(16))
    """The fiscal state of the newest receipt (kept here for the journal)."""
    billnumber: Mapped[str | None] = mapped_column(String(16))
    """Assist's billnumber of the newest attempt, once the gateway has given one."""

    items: Mapped[list[OrderItemRow]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="OrderItemRow.position",
        passive_deletes=True,
    )

    def assign(self, order: Order, source: str, now: datetime) -> None:
        """Copy the order's fields (not its items, not the state) into this row."""
        self.number = order.number
        self.created_at = order.created_at
        self.total = order.total
        self.prepaid = order.prepaid
        self.due = order.due
        self.email = order.email
        self.phone = order.phone
        self.comment = order.comment
        self.source = source
        self.allow_edit_item_quantity = order.permissions.edit_item_quantity
        self.allow_remove_item = order.permissions.remove_item
        self.allow_add_item = order.permissions.add_item
        self.allow_edit_item = order.permissions.edit_item
        self.updated_at = now

    def to_order(self) -> Order:
        """The domain order; ``StoredDataError`` if a stored value is not valid."""
        return Order(
            number=self.number,
            created_at=self.created_at,
            items=tuple(item.to_item() for item in self.items),
            prepaid=self.prepaid,
            email=self.email,
            phone=self.phone,
            comment=self.comment,
            permissions=EditPermissions(
                edit_item_quantity=self.allow_edit_item_quantity,
                remove_item=self.allow_remove_item,
                add_item=self.allow_add_item,
                edit_item=self.allow_edit_item,
            ),
        )


class OrderItemRow(Base):
    __tablename__ = "order_items"
    __table_args__ = (UniqueConstraint("order_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    """1-based position of the item in the order (and on the receipt)."""
    name: Mapped[str] = mapped_column(String(250))
    quantity: Mapped[Decimal] = mapped_column(quantity())
    price: Mapped[Decimal] = mapped_column(money())
    discount: Mapped[Decimal] = mapped_column(money())
    amount: Mapped[Decimal] = mapped_column(money())
    vat: Mapped[str] = mapped_column(String(16))
    payment_method_sign: Mapped[str] = mapped_column(String(8))

    order: Mapped[OrderRow] = relationship(back_populates="items")

    @classmethod
    def from_items(cls, items: tuple[OrderItem, ...]) -> list[OrderItemRow]:
        return [
            cls(
                position=position,
                name=item.name,
                quantity=item.quantity,
                price=item.price,
                discount=item.discount,
                amount=item.amount,
                vat=item.vat.value,
                payment_method_sign=item.payment_method_sign,
            )
            for position, item in enumerate(items, start=1)
        ]

    def to_item(self) -> OrderItem:
        return stored_order_item(self.order.number, self)


class StoredItemFields(Protocol):
    """The columns of an ``order_items`` row, as an ORM row or a Core result row has them."""

    @property
    def position(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def price(self) -> Decimal: ...
    @property
    def vat(self) -> str: ...
    @property
    def discount(self) -> Decimal: ...
    @property
    def payment_method_sign(self) -> str: ...


def stored_order_item(number: str, row: StoredItemFields) -> OrderItem:
    """The domain item of a stored row; a damaged row raises ``StoredDataError`` naming it."""
    vat = parse_stored(VatRate, row.vat, number, "order_items.vat")
    try:
        return OrderItem(
            name=row.name,
            quantity=row.quantity,
            price=row.price,
            vat=vat,
            discount=row.discount,
            payment_method_sign=row.payment_method_sign,
        )
    except (OrderValidationError, ValueError, TypeError) as exc:
        raise StoredDataError(
            LocalizedText(
                "Заказ № {number}: позиция {position} в базе данных повреждена ({detail}).",
                "Order {number}: item {position} in the database is damaged ({detail}).",
            ).format(number=number, position=row.position, detail=str(exc))
        ) from exc


class PaymentAttemptRow(Base):
    """One attempt to take the payment of an order (cash, card, SBP, SoftPOS)."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        Index("ix_payment_attempts_order_id", "order_id"),
        Index("ix_payment_attempts_billnumber", "billnumber"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    attempt_id: Mapped[str] = mapped_column(String(36), unique=True)
    """A uuid4 string made by this program."""
    method: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(money())
    received: Mapped[Decimal | None] = mapped_column(money())
    change: Mapped[Decimal | None] = mapped_column(money())
    transaction_number: Mapped[str] = mapped_column(String(16), unique=True)
    billnumber: Mapped[str | None] = mapped_column(String(16))
    """Assist's billnumber, once the gateway has given one."""
    response_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    qr_payload: Mapped[str | None] = mapped_column(String(512))
    """What the QR code of an SBP (NSPK link) or SoftPOS (deep link) attempt shows."""
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """The cashier chose another method while this attempt was In Process."""
    refund_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Approved after another payment had completed the order: to be refunded."""


class ReceiptRow(Base):
    """A fiscal receipt of an attempt; the fiscal fields stay empty until Assist sends them."""

    __tablename__ = "receipts"
    __table_args__ = (
        Index("ix_receipts_order_id", "order_id"),
        Index("ix_receipts_attempt_id", "attempt_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("payment_attempts.id"))
    kind: Mapped[str] = mapped_column(String(16))
    """``sell`` or ``sell_refund`` (Assist's fiscalize ``Type``)."""
    fiscal_state: Mapped[str] = mapped_column(String(16))
    fiscal_receipt_id: Mapped[str | None] = mapped_column(String(64))
    fn: Mapped[str | None] = mapped_column(String(16))
    fd: Mapped[str | None] = mapped_column(String(16))
    fp: Mapped[str | None] = mapped_column(String(16))
    shift_number: Mapped[int | None] = mapped_column(Integer)
    receipt_number: Mapped[int | None] = mapped_column(Integer)
    kkt_reg_number: Mapped[str | None] = mapped_column(String(20))
    fiscal_datetime: Mapped[datetime | None] = mapped_column(UTCDateTime())
    qr_string: Mapped[str | None] = mapped_column(String(256))
    error_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the fiscal receipt came out of the printer (its status confirmed); None: never."""
    slip_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the non-fiscal slip of an offline cash sale was printed; None: never."""


class CardDetailsRow(Base):
    """What the slip of a card attempt shows (one row per card attempt, since 0005).

    Written with the attempt before the authorization; the gateway's answer and the reader's
    end of the transaction fill in the rest. Never a clear card number: ``masked_pan`` only.
    """

    __tablename__ = "card_details"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("payment_attempts.id"), unique=True)
    entry_mode: Mapped[str] = mapped_column(String(16))
    """``nfc``, ``chip`` or ``magstripe``."""
    cvm: Mapped[str] = mapped_column(String(16))
    """``pin``, ``signature`` or ``none``."""
    masked_pan: Mapped[str] = mapped_column(String(19))
    brand: Mapped[str] = mapped_column(String(32))
    """The payment system: ``MIR``, ``VISA``, ``MASTERCARD``, ``MAESTRO``."""
    aid: Mapped[str] = mapped_column(String(32), server_default="")
    application_label: Mapped[str] = mapped_column(String(32), server_default="")
    cardholder: Mapped[str] = mapped_column(String(64), server_default="")
    terminal_id: Mapped[str] = mapped_column(String(32), server_default="")
    """The serial of the reader that read the card (Терминал on the slip)."""
    signature: Mapped[str | None] = mapped_column(Text)
    """``data:image/png;base64,…`` (at most 4000 characters) when the buyer signed."""
    rrn: Mapped[str | None] = mapped_column(String(12))
    auth_code: Mapped[str | None] = mapped_column(String(6))
    issuer_response_code: Mapped[str | None] = mapped_column(String(2))
    tvr: Mapped[str | None] = mapped_column(String(10))
    tsi: Mapped[str | None] = mapped_column(String(4))
    slip_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxRow(Base):
    """Work for the gateway sync worker, written in the same transaction as the data it concerns."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "done_at", "next_attempt_at"),
        Index("ix_outbox_order_number", "order_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    order_number: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    """A JSON object (text), its keys depend on ``kind``."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReaderRow(Base):
    """A card reader this till has been paired with."""

    __tablename__ = "readers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    address: Mapped[str] = mapped_column(String(64), unique=True)
    model: Mapped[str | None] = mapped_column(String(64))
    serial: Mapped[str | None] = mapped_column(String(64))
    firmware: Mapped[str | None] = mapped_column(String(64))
    last_connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=false())


class SettingRow(Base):
    """Key/value settings that belong with the data (not with one machine's config file)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
