"""Replies of the sandbox gateway in Assist's style: XML ``<result firstcode secondcode>`` for
orderstate and cancel, JSON for the fiscal services and the mpos operations."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from desktop_pos.models.payment import OrderState
from desktop_pos.services.gateway.errors import RejectCode
from desktop_pos.services.gateway.protocol import CURRENCY, format_xml_date

JSON_TYPE = "application/json"
XML_TYPE = "application/xml"

_MPOS_STATUS = {"1": 400, "2": 401}
"""HTTP status of an mpos error reply by firstcode; 3.3 (not found) is 404, other 3.x 409."""


def _date(epoch: float) -> str:
    return format_xml_date(datetime.fromtimestamp(epoch, UTC))


def _order_element(parent: ElementTree.Element, row: sqlite3.Row, **override: str) -> None:
    order = ElementTree.SubElement(parent, "order")
    approved = row["state"] in (OrderState.APPROVED.value, OrderState.PARTIAL_CANCELED.value) or (
        row["state"] == OrderState.CANCELED.value
    )
    fields = {
        "ordernumber": row["ordernumber"],
        "billnumber": row["billnumber"],
        "orderstate": row["state"],
        "responsecode": row["responsecode"],
        "orderamount": row["amount"],
        "ordercurrency": CURRENCY,
        "orderdate": _date(row["created_at"]),
        "packetdate": _date(row["updated_at"]),
        "meantypename": row["meantypename"],
        "approvalcode": (row["approvalcode"] or "") if approved else "",
        "rrn": (row["rrn"] or "") if approved else "",
        "testmode": "1",
        **override,
    }
    for name, value in fields.items():
        ElementTree.SubElement(order, name).text = value


def _xml(root: ElementTree.Element) -> web.Response:
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return web.Response(body=body, content_type=XML_TYPE, charset="utf-8")


def xml_operations(rows: list[sqlite3.Row]) -> web.Response:
    root = ElementTree.Element("result", firstcode="0", secondcode="0")
    for row in rows:
        _order_element(root, row)
    return _xml(root)


def xml_cancel(cancel: sqlite3.Row, payment: sqlite3.Row) -> web.Response:
    """The cancel operation: its own billnumber and amount, the payment's resulting state."""
    root = ElementTree.Element("result", firstcode="0", secondcode="0")
    orders = ElementTree.SubElement(root, "orders")
    _order_element(
        orders,
        payment,
        billnumber=cancel["billnumber"],
        orderamount=cancel["amount"],
        responsecode="AS000",
        packetdate=_date(cancel["created_at"]),
    )
    return _xml(root)


def xml_error(code: RejectCode, message: str) -> web.Response:
    first, second = code.value.split(".")
    root = ElementTree.Element("result", firstcode=first, secondcode=second, errortext=message)
    return _xml(root)


def json_reply(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        status=status,
        content_type=JSON_TYPE,
        charset="utf-8",
    )


def json_error(code: RejectCode, message: str, *, mpos: bool) -> web.Response:
    first, second = code.value.split(".")
    status = 200
    if mpos:
        status = 404 if code is RejectCode.NOT_FOUND else _MPOS_STATUS.get(first, 409)
    return json_reply(
        {"firstcode": int(first), "secondcode": int(second), "errortext": message}, status
    )


def operation_json(row: sqlite3.Row, *, replayed: bool) -> dict[str, Any]:
    approved = row["state"] == OrderState.APPROVED.value
    data: dict[str, Any] = {
        "firstcode": 0,
        "secondcode": 0,
        "billnumber": row["billnumber"],
        "ordernumber": row["ordernumber"],
        "attempt_id": row["attempt_id"],
        "orderstate": row["state"],
        "responsecode": row["responsecode"],
        "amount": row["amount"],
        "currency": CURRENCY,
        "meantypename": row["meantypename"],
        "approvalcode": row["approvalcode"] if approved else None,
        "rrn": row["rrn"] if approved else None,
        "packetdate": datetime.fromtimestamp(row["updated_at"], UTC).isoformat(),
        "replayed": replayed,
    }
    if row["qr_payload"]:
        key = "deep_link" if row["method"] == "softpos" else "qr_payload"
        data[key] = row["qr_payload"]
    return data


def receipt_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "billnumber": row["billnumber"],
        "fiscalreceipt_ID": row["fiscalreceipt_id"],
        "Payment_ID": row["payment_id"] or None,
        "receipttype": row["kind"],
        "status": row["status"],
        "fn_number": row["fn_number"],
        "fiscal_document_number": row["fiscal_document_number"],
        "fiscal_document_attribute": row["fiscal_document_attribute"],
        "shift_number": row["shift_number"],
        "fiscal_receipt_number": row["fiscal_receipt_number"],
        "ecr_registration_number": row["ecr_registration_number"],
        "receipt_datetime": row["receipt_datetime"],
        "total": row["total"],
        "qr": row["qr"],
        "errortext": None,
    }


def json_loads(text: str) -> Any:
    return json.loads(text)
