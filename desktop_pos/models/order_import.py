"""The Assist mPOS order JSON, read strictly: an ``Order`` or every problem, by field.

The format is the one Assist mPOS takes from a merchant's system (docs/integration-api.md):
``ordernum``, ``amount``, ``amount_prepaid``, ``currency``, ``merchant_id``, ``merchant_name``,
``comment``, ``clientname``, ``clientemail``, ``clientphone``, ``cashier``, the edit-permission
flags ``allow_edit_item_quantity``, ``allow_remove_item``, ``allow_add_item``, ``allow_edit_item``
and ``items`` (``name``, ``price``, ``quantity``, ``tax``, ``amount``, ``discount``,
``payment_method``, ...).

Rules: amounts are strings with a '.' and at most two decimals (``"1234.56"``), never JSON
numbers; a quantity is such a string with up to three decimals or a JSON integer; ``currency`` is
``RUB``; ``amount`` equals the sum of the item amounts (price × quantity, rounded to kopecks) and
an item's ``amount``, when given, equals its price × quantity; the order number uses Assist's
character set. A flag is ``"true"``/``"false"`` (or a JSON boolean); a missing flag means the
edit is not allowed (the merchant's system owns the order). Keys outside the format are refused,
so a misspelt key is reported instead of silently ignored. Either the whole order is read or
``OrderImportError`` lists every problem found: nothing is half-imported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import MAX_QUANTITY, ZERO, format_amount, line_amount, to_money
from desktop_pos.models.order import FULL_SETTLEMENT, EditPermissions, Order, OrderItem
from desktop_pos.models.order_number import generate_order_number, validate_order_number
from desktop_pos.models.texts import LocalizedText
from desktop_pos.models.vat import VatRate

MAX_ORDER_JSON_BYTES = 256 * 1024
MAX_ITEMS = 500
MAX_TEXT_LENGTH = 256
CURRENCY = "RUB"

_MONEY = re.compile(r"(0|[1-9]\d{0,12})(\.\d{1,2})?")
_QUANTITY = re.compile(r"(0|[1-9]\d{0,4})(\.\d{1,3})?")
_PAYMENT_METHOD_SIGNS = frozenset("1234567")
_FLAGS = {
    "allow_edit_item_quantity": "edit_item_quantity",
    "allow_remove_item": "remove_item",
    "allow_add_item": "add_item",
    "allow_edit_item": "edit_item",
}
_TEXT_FIELDS = ("merchant_name", "comment", "clientname", "clientemail", "clientphone", "cashier")
_ACCEPTED_UNUSED = frozenset(
    {
        "server",
        "login",
        "password",
        "merchant_inn",
        "merchant_osn",
        "payment_address",
        "fiscalize",
        "kkt_id",
        "allow_server_fisc",
        "tax_items",
        "fiscal_timeout",
        "fiscal_error_cancel",
        "additionaldata",
    }
)
"""Documented keys of the Assist order file this till does not use (its own settings rule)."""
_ORDER_KEYS = frozenset(
    {"ordernum", "amount", "amount_prepaid", "currency", "merchant_id", "items", *_TEXT_FIELDS}
    | set(_FLAGS)
    | _ACCEPTED_UNUSED
)
_ITEM_KEYS = frozenset(
    {
        "id",
        "type",
        "name",
        "display_name",
        "price",
        "quantity",
        "tax",
        "amount",
        "discount",
        "discount_amount",
        "currency",
        "payment_method",
    }
)
_ITEM_FIELD_OF = {"name": "name", "quantity": "quantity", "price": "price", "discount": "discount"}
_ORDER_FIELD_OF = {
    "number": "ordernum",
    "items": "items",
    "prepaid": "amount_prepaid",
    "email": "clientemail",
    "phone": "clientphone",
    "comment": "comment",
}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with the order JSON: the field (``items[2].price``) and what is wrong."""

    field: str
    text: LocalizedText

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.text.ru, "message_en": self.text.en}


class OrderImportError(UserFacingError):
    """The order JSON was refused; ``problems`` says what is wrong with which field."""

    def __init__(self, problems: tuple[FieldProblem, ...]) -> None:
        shown = problems[:5]
        more = len(problems) - len(shown)
        ru = "; ".join(f"{p.field or 'заказ'}: {p.text.ru}" for p in shown)
        en = "; ".join(f"{p.field or 'order'}: {p.text.en}" for p in shown)
        if more:
            ru += f"; и еще {more}"
            en += f"; and {more} more"
        super().__init__(
            LocalizedText(f"Заказ не принят. {ru}", f"The order was not accepted. {en}"),
            field=problems[0].field if problems else None,
        )
        self.problems = problems

    def as_json(self) -> dict[str, object]:
        return {
            "error": "invalid_order",
            "message": self.text.ru,
            "message_en": self.text.en,
            "problems": [problem.as_json() for problem in self.problems],
        }


@dataclass(frozen=True, slots=True)
class ImportedOrder:
    """An order handed over by the merchant's system, ready for the order screen."""

    order: Order
    amount: Decimal
    """The order total as the merchant's system sent it (equal to ``order.total``)."""
    number_given: bool
    """False when ``ordernum`` was missing and the till numbered the order itself."""
    merchant_id: str = ""
    merchant_name: str = ""
    cashier: str = ""
    client_name: str = ""


class _Problems:
    def __init__(self) -> None:
        self.found: list[FieldProblem] = []

    def add(self, field: str, ru: str, en: str, **params: object) -> None:
        self.found.append(FieldProblem(field, _text_of(ru, en, params)))

    def add_text(self, field: str, text: LocalizedText) -> None:
        self.found.append(FieldProblem(field, text))


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def load_order_json(data: bytes | str) -> Any:
    """Parse the JSON text (UTF-8), never as floats; raise ``OrderImportError`` if malformed."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_ORDER_JSON_BYTES:
        raise _single(
            "",
            "Слишком большой заказ: не больше {limit} КБ.",
            "The order is too large: at most {limit} KB.",
            limit=MAX_ORDER_JSON_BYTES // 1024,
        )
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicates,
        )
    except _DuplicateKey as exc:
        raise _single(str(exc), "ключ повторяется.", "the key appears more than once.") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _single(
            "",
            "это не JSON ({detail}).",
            "this is not JSON ({detail}).",
            detail=str(exc)[:120],
        ) from None


def _single(field: str, ru: str, en: str, **params: object) -> OrderImportError:
    return OrderImportError((FieldProblem(field, _text_of(ru, en, params)),))


def _text_of(ru: str, en: str, params: dict[str, object]) -> LocalizedText:
    text = LocalizedText(ru, en)
    return text.format(**params) if params else text


def parse_order_json(data: bytes | str, *, now: datetime, merchant_id: str = "") -> ImportedOrder:
    """Read an order from JSON text (``load_order_json`` then ``import_order``)."""
    return import_order(load_order_json(data), now=now, merchant_id=merchant_id)


def import_order(value: Any, *, now: datetime, merchant_id: str = "") -> ImportedOrder:
    """Build the order from parsed JSON, or raise ``OrderImportError`` with every problem.

    ``now`` numbers an order that came without ``ordernum`` and dates it; ``merchant_id`` (the
    till's own, when configured) must match the order's ``merchant_id`` if both are given."""
    problems = _Problems()
    if not isinstance(value, dict):
        problems.add(
            "", "заказ должен быть объектом JSON {...}.", "the order must be a JSON object."
        )
        raise OrderImportError(tuple(problems.found))
    for key in sorted(set(value) - _ORDER_KEYS):
        problems.add(key, "неизвестное поле.", "unknown field.")

    number = _order_number(value, problems, now)
    amount = _money(value, "amount", problems, required=True)
    prepaid = _money(value, "amount_prepaid", problems) or ZERO
    currency = value.get("currency")
    if currency is not None and currency != CURRENCY:
        problems.add(
            "currency",
            "принимаются только рубли (RUB).",
            "only roubles (RUB) are accepted.",
        )
    order_merchant = _text(value, "merchant_id", problems, max_length=32)
    if order_merchant and not order_merchant.isdigit():
        problems.add("merchant_id", "должен состоять из цифр.", "must be digits.")
    elif order_merchant and merchant_id and order_merchant != merchant_id:
        problems.add(
            "merchant_id",
            "заказ для другого предприятия ({theirs}), эта касса — {ours}.",
            "the order is for another merchant ({theirs}); this till is {ours}.",
            theirs=order_merchant,
            ours=merchant_id,
        )
    texts = {key: _text(value, key, problems) for key in _TEXT_FIELDS}
    permissions = EditPermissions(
        **{attribute: _flag(value, key, problems) for key, attribute in _FLAGS.items()}
    )
    items = _items(value, problems)

    if items is not None and amount is not None:
        total = sum((item.amount for item in items), ZERO)
        if total != amount:
            problems.add(
                "amount",
                "сумма заказа {amount} не равна сумме позиций {total}.",
                "the order amount {amount} differs from the sum of the items {total}.",
                amount=format_amount(amount),
                total=format_amount(total),
            )
    if problems.found:
        raise OrderImportError(tuple(problems.found))
    assert items is not None and amount is not None and number is not None

    order = Order(
        number=number,
        created_at=now,
        items=items,
        prepaid=prepaid,
        email=texts["clientemail"] or "",
        phone=texts["clientphone"] or "",
        comment=texts["comment"] or "",
        permissions=permissions,
    )
    try:
        order.validate_for_payment()
    except UserFacingError as error:
        raise OrderImportError(
            (FieldProblem(_ORDER_FIELD_OF.get(error.field or "", "amount"), error.text),)
        ) from None
    return ImportedOrder(
        order=order,
        amount=amount,
        number_given="ordernum" in value,
        merchant_id=order_merchant or "",
        merchant_name=texts["merchant_name"] or "",
        cashier=texts["cashier"] or "",
        client_name=texts["clientname"] or "",
    )


def _order_number(value: dict[str, Any], problems: _Problems, now: datetime) -> str | None:
    if "ordernum" not in value:
        return generate_order_number(now)
    raw = value["ordernum"]
    if not isinstance(raw, str):
        problems.add("ordernum", "должен быть строкой.", "must be a string.")
        return None
    try:
        return validate_order_number(raw)
    except UserFacingError as error:
        problems.add_text("ordernum", error.text)
        return None


def _money(
    value: dict[str, Any], key: str, problems: _Problems, *, field: str = "", required: bool = False
) -> Decimal | None:
    name = field or key
    if key not in value:
        if required:
            problems.add(name, "обязательное поле.", "this field is required.")
        return None
    raw = value[key]
    if not isinstance(raw, str):
        problems.add(
            name,
            'сумма передается строкой с точкой, например "1234.56".',
            'an amount is a string with a dot, e.g. "1234.56".',
        )
        return None
    if "," in raw and _MONEY.fullmatch(raw.replace(",", ".")):
        problems.add(
            name,
            "разделитель дробной части — точка, а не запятая.",
            "the decimal separator is a dot, not a comma.",
        )
        return None
    if not _MONEY.fullmatch(raw):
        problems.add(
            name,
            'неверная сумма: цифры, точка и не больше двух знаков после нее ("1234.56").',
            'not a valid amount: digits, a dot and at most two decimals ("1234.56").',
        )
        return None
    return to_money(Decimal(raw))


def _quantity(item: dict[str, Any], field: str, problems: _Problems) -> Decimal | None:
    if "quantity" not in item:
        problems.add(field, "обязательное поле.", "this field is required.")
        return None
    raw = item["quantity"]
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        problems.add(
            field,
            'количество — строка с точкой ("1.500") или целое число.',
            'a quantity is a string with a dot ("1.500") or a whole number.',
        )
        return None
    text = str(raw)
    if not _QUANTITY.fullmatch(text):
        problems.add(
            field,
            "неверное количество: цифры, точка и не больше трех знаков после нее.",
            "not a valid quantity: digits, a dot and at most three decimals.",
        )
        return None
    quantity = Decimal(text)
    if quantity <= 0 or quantity > MAX_QUANTITY:
        problems.add(
            field,
            "количество должно быть больше нуля и не больше {max}.",
            "the quantity must be above zero and at most {max}.",
            max=MAX_QUANTITY,
        )
        return None
    return quantity


def _text(
    value: dict[str, Any], key: str, problems: _Problems, *, field: str = "", max_length: int = 0
) -> str | None:
    name = field or key
    if key not in value:
        return None
    raw = value[key]
    if not isinstance(raw, str):
        problems.add(name, "должно быть строкой.", "must be a string.")
        return None
    limit = max_length or MAX_TEXT_LENGTH
    if len(raw) > limit:
        problems.add(
            name, "длиннее {limit} символов.", "longer than {limit} characters.", limit=limit
        )
        return None
    return raw.strip()


def _flag(value: dict[str, Any], key: str, problems: _Problems) -> bool:
    raw = value.get(key, False)
    if isinstance(raw, bool):
        return raw
    if raw in ("true", "false"):
        return bool(raw == "true")
    problems.add(key, 'должно быть "true" или "false".', 'must be "true" or "false".')
    return False


def _items(value: dict[str, Any], problems: _Problems) -> tuple[OrderItem, ...] | None:
    if "items" not in value:
        problems.add("items", "обязательное поле.", "this field is required.")
        return None
    raw = value["items"]
    if not isinstance(raw, list):
        problems.add("items", "должно быть массивом позиций [...].", "must be an array of items.")
        return None
    if not raw:
        problems.add("items", "в заказе нет позиций.", "the order has no items.")
        return None
    if len(raw) > MAX_ITEMS:
        problems.add("items", "больше {max} позиций.", "more than {max} items.", max=MAX_ITEMS)
        return None
    items: list[OrderItem] = []
    before = len(problems.found)
    for index, entry in enumerate(raw):
        item = _item(entry, f"items[{index}]", problems)
        if item is not None:
            items.append(item)
    return tuple(items) if len(problems.found) == before else None


def _item(entry: Any, prefix: str, problems: _Problems) -> OrderItem | None:
    if not isinstance(entry, dict):
        problems.add(prefix, "позиция должна быть объектом JSON.", "an item must be a JSON object.")
        return None
    before = len(problems.found)
    for key in sorted(set(entry) - _ITEM_KEYS):
        problems.add(f"{prefix}.{key}", "неизвестное поле.", "unknown field.")
    name = _text(entry, "name", problems, field=f"{prefix}.name", max_length=10_000)
    if "name" not in entry:
        problems.add(f"{prefix}.name", "обязательное поле.", "this field is required.")
    elif name is not None and not name:
        problems.add(f"{prefix}.name", "пустое наименование.", "the name is empty.")
    _text(entry, "display_name", problems, field=f"{prefix}.display_name")
    _text(entry, "id", problems, field=f"{prefix}.id")
    price = _money(entry, "price", problems, field=f"{prefix}.price", required=True)
    quantity = _quantity(entry, f"{prefix}.quantity", problems)
    discount = _money(entry, "discount", problems, field=f"{prefix}.discount") or ZERO
    _money(entry, "discount_amount", problems, field=f"{prefix}.discount_amount")
    amount = _money(entry, "amount", problems, field=f"{prefix}.amount")
    currency = entry.get("currency")
    if currency is not None and currency != CURRENCY:
        problems.add(
            f"{prefix}.currency",
            "принимаются только рубли (RUB).",
            "only roubles (RUB) are accepted.",
        )
    item_type = entry.get("type")
    if item_type is not None and (isinstance(item_type, bool) or not isinstance(item_type, int)):
        problems.add(f"{prefix}.type", "должно быть целым числом.", "must be a whole number.")
    vat = _choice(entry, "tax", f"{prefix}.tax", problems, VatRate)
    sign = entry.get("payment_method", FULL_SETTLEMENT)
    if not isinstance(sign, str) or sign not in _PAYMENT_METHOD_SIGNS:
        problems.add(
            f"{prefix}.payment_method",
            'признак способа расчета — строка от "1" до "7".',
            'the payment method sign is a string from "1" to "7".',
        )
    if len(problems.found) > before:
        return None
    assert name is not None and price is not None and quantity is not None
    try:
        item = OrderItem(
            name=name,
            quantity=quantity,
            price=price,
            vat=vat if vat is not None else VatRate.VAT20,
            discount=discount,
            payment_method_sign=sign,
        )
    except UserFacingError as error:
        problems.add_text(f"{prefix}.{_ITEM_FIELD_OF.get(error.field or '', 'name')}", error.text)
        return None
    if amount is not None and amount != line_amount(item.quantity, item.price):
        problems.add(
            f"{prefix}.amount",
            "сумма позиции {amount} не равна цене × количество = {expected}.",
            "the item amount {amount} differs from price × quantity = {expected}.",
            amount=format_amount(amount),
            expected=format_amount(item.amount),
        )
        return None
    return item


def _choice(
    entry: dict[str, Any],
    key: str,
    field: str,
    problems: _Problems,
    kind: Callable[[str], VatRate],
) -> VatRate | None:
    if key not in entry:
        return None
    raw = entry[key]
    try:
        return kind(raw) if isinstance(raw, str) else kind("")
    except ValueError:
        allowed = ", ".join(rate.value for rate in VatRate)
        problems.add(
            field,
            "неизвестная ставка НДС; допустимы: {allowed}.",
            "unknown VAT rate; allowed: {allowed}.",
            allowed=allowed,
        )
        return None


def order_to_json(imported: ImportedOrder) -> dict[str, object]:
    """The order back as Assist mPOS order JSON (what a lookup or a file round-trips to)."""
    order = imported.order
    flags = {
        key: "true" if getattr(order.permissions, attribute) else "false"
        for key, attribute in _FLAGS.items()
    }
    data: dict[str, object] = {
        "ordernum": order.number,
        "amount": format_amount(order.total),
        "amount_prepaid": format_amount(order.prepaid),
        "currency": CURRENCY,
        **flags,
        "items": [
            {
                "name": item.name,
                "price": format_amount(item.price),
                "quantity": f"{item.quantity:.3f}",
                "tax": item.vat.value,
                "amount": format_amount(item.amount),
                "discount": format_amount(item.discount),
                "payment_method": item.payment_method_sign,
            }
            for item in order.items
        ],
    }
    for key, text in (
        ("merchant_id", imported.merchant_id),
        ("merchant_name", imported.merchant_name),
        ("cashier", imported.cashier),
        ("clientname", imported.client_name),
        ("clientemail", order.email),
        ("clientphone", order.phone),
        ("comment", order.comment),
    ):
        if text:
            data[key] = text
    return data
