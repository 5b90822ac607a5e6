"""Requests and replies of Assist's documented web services, without any I/O.

Requests are form fields (``dict[str, str]``) with Assist's field names; replies are parsed from
bytes into the frozen results of ``desktop_pos.services.gateway.results``. A reply that cannot
be read raises ``GatewayProtocolError`` naming the endpoint and the problem; an error reply
(``firstcode`` other than 0) raises ``GatewayRejected``. The JSON helpers here are shared with
``mpos_operations`` (the operations Assist does not document publicly). docs/gateway-api.md
specifies every endpoint.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from desktop_pos.models.money import format_amount
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.services.gateway.errors import GatewayProtocolError, GatewayRejected
from desktop_pos.services.gateway.results import FiscalReceipt, OperationState
from desktop_pos.services.gateway.settings import GatewaySettings

ORDERSTATE_PATH = "/orderstate/orderstate.cfm"
CANCEL_PATH = "/cancel/cancel.cfm"
FISCALIZE_PATH = "/fiscal/fiscalize.cfm"
FISCALRECEIPT_PATH = "/fiscal/fiscalreceipt.cfm"

FORMAT_XML = "3"
FORMAT_JSON = "5"
CURRENCY = "RUB"
ORDERSTATE_DEFAULT_WINDOW = timedelta(days=3)
"""Without Start* fields orderstate searches from now − 3 days (Assist's default)."""

RECEIPT_KINDS = ("sell", "sell_refund")
SETTLEMENT_SIGN = {"sell": "1", "sell_refund": "2"}
"""The ``n`` of the receipt QR string: 1 sale, 2 refund of a sale."""

GATEWAY_STATES = frozenset(
    {
        OrderState.IN_PROCESS,
        OrderState.APPROVED,
        OrderState.DECLINED,
        OrderState.CANCELED,
        OrderState.PARTIAL_CANCELED,
        OrderState.TIMEOUT,
    }
)
"""The states a gateway reply may carry (New and Offline are local to the till)."""

IN_PROCESS_CODE = "AS300"
XML_DATE_FORMAT = "%d.%m.%Y %H:%M:%S"
"""Dates in XML replies: ``dd.mm.yyyy hh:mm:ss`` GMT."""

_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")
_CODE = re.compile(r"-?\d{1,6}")


# -- requests --------------------------------------------------------------------------------


def credential_fields(settings: GatewaySettings) -> dict[str, str]:
    return {
        "Merchant_ID": settings.merchant_id,
        "Login": settings.login,
        "Password": settings.password,
    }


def window_fields(prefix: str, moment: datetime) -> dict[str, str]:
    """``Start``/``End`` fields of a GMT moment: Year, Month, Day, Hour, Min."""
    if moment.tzinfo is None:
        raise ValueError(f"a naive datetime cannot be sent: {moment!r}")
    gmt = moment.astimezone(UTC)
    return {
        f"{prefix}Year": f"{gmt.year:04d}",
        f"{prefix}Month": str(gmt.month),
        f"{prefix}Day": str(gmt.day),
        f"{prefix}Hour": str(gmt.hour),
        f"{prefix}Min": str(gmt.minute),
    }


def orderstate_request(
    settings: GatewaySettings,
    order_number: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, str]:
    """Without ``since`` the gateway's default window (now − 3 days … now) applies."""
    fields = {"Ordernumber": order_number, **credential_fields(settings), "Format": FORMAT_XML}
    if since is not None:
        fields.update(window_fields("Start", since))
    if until is not None:
        fields.update(window_fields("End", until))
    return fields


def cancel_request(
    settings: GatewaySettings, billnumber: str, amount: Decimal | None
) -> dict[str, str]:
    fields = {"Billnumber": billnumber, **credential_fields(settings), "Format": FORMAT_XML}
    if amount is not None:
        fields["Amount"] = format_amount(amount)
        fields["Currency"] = CURRENCY
    return fields


def fiscalize_request(
    settings: GatewaySettings,
    billnumber: str,
    *,
    kind: str,
    email: str = "",
    phone: str = "",
    payment_id: str = "",
) -> dict[str, str]:
    if kind not in RECEIPT_KINDS:
        raise ValueError(f"receipt kind must be one of {RECEIPT_KINDS}, not {kind!r}")
    fields = {
        **credential_fields(settings),
        "Billnumber": billnumber,
        "Type": kind,
        "Format": FORMAT_JSON,
    }
    if payment_id:
        fields["Payment_ID"] = payment_id
    if email:
        fields["Email"] = email
    if phone:
        fields["Phone"] = phone.lstrip("+")
    return fields


def fiscalreceipt_request(settings: GatewaySettings, billnumber: str) -> dict[str, str]:
    return {**credential_fields(settings), "BillNumber": billnumber, "Format": FORMAT_JSON}


def receipt_qr_string(
    when: datetime, total: Decimal, fn_number: str, fd_number: str, fp: str, kind: str
) -> str:
    """``t=20200115T2110&s=1030.00&fn=…&i=…&fp=…&n=1`` (``when`` in the register's local time)."""
    return (
        f"t={when:%Y%m%dT%H%M}&s={format_amount(total)}&fn={fn_number}&i={fd_number}"
        f"&fp={fp}&n={SETTLEMENT_SIGN[kind]}"
    )


# -- shared reply checks ---------------------------------------------------------------------


def parse_amount_field(value: object, endpoint: str, name: str) -> Decimal:
    text = value if isinstance(value, str) else None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    if text is None or not _AMOUNT.fullmatch(text.strip()):
        raise GatewayProtocolError(endpoint, f"{name} is not an amount: {value!r}")
    return Decimal(text.strip())


def parse_state_field(value: object, endpoint: str, name: str = "orderstate") -> OrderState:
    try:
        state = OrderState(str(value).strip())
    except ValueError:
        state = None
    if state is None or state not in GATEWAY_STATES:
        raise GatewayProtocolError(endpoint, f"unknown {name} {value!r}")
    return state


def parse_response_code(value: object, state: OrderState, endpoint: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text and state is OrderState.IN_PROCESS:
        return IN_PROCESS_CODE
    if not text:
        raise GatewayProtocolError(endpoint, f"an {state.value} operation has no responsecode")
    try:
        return lookup_response_code(text).code
    except ValueError:
        # An unknown but well-formed code is kept (lookup gives it a generic text).
        raise GatewayProtocolError(
            endpoint, f"responsecode {value!r} is not AS and 3 digits"
        ) from None


def parse_iso_datetime(value: object, endpoint: str, name: str) -> datetime:
    if not isinstance(value, str):
        raise GatewayProtocolError(endpoint, f"{name} is not a date: {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise GatewayProtocolError(endpoint, f"{name} is not a date: {value!r}") from None
    if moment.tzinfo is None:
        raise GatewayProtocolError(endpoint, f"{name} has no time zone: {value!r}")
    return moment.astimezone(UTC)


def _error_code(first: object, second: object, endpoint: str) -> tuple[str, str]:
    first_text, second_text = str(first).strip(), str(second if second is not None else 0).strip()
    if not _CODE.fullmatch(first_text) or not _CODE.fullmatch(second_text):
        raise GatewayProtocolError(endpoint, f"firstcode/secondcode {first!r}/{second!r}")
    return first_text, second_text


# -- XML -------------------------------------------------------------------------------------


def parse_xml_result(body: bytes, endpoint: str) -> ElementTree.Element:
    """The ``<result>`` element of a successful reply; ``GatewayRejected`` on firstcode ≠ 0."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise GatewayProtocolError(endpoint, f"broken XML ({exc})") from None
    if root.tag != "result":
        raise GatewayProtocolError(endpoint, f"the XML root is <{root.tag}>, not <result>")
    if "firstcode" not in root.attrib:
        raise GatewayProtocolError(endpoint, "<result> has no firstcode")
    first, second = _error_code(root.get("firstcode"), root.get("secondcode"), endpoint)
    if first != "0":
        raise GatewayRejected(f"{first}.{second}", root.get("errortext", ""), endpoint=endpoint)
    return root


def _xml_text(order: ElementTree.Element, name: str) -> str | None:
    child = order.find(name)
    if child is None or child.text is None or not child.text.strip():
        return None
    return child.text.strip()


def _xml_required(order: ElementTree.Element, name: str, endpoint: str, index: int) -> str:
    value = _xml_text(order, name)
    if value is None:
        raise GatewayProtocolError(endpoint, f"<order> {index} has no <{name}>")
    return value


def parse_xml_date(value: str, endpoint: str, name: str) -> datetime:
    try:
        return datetime.strptime(value, XML_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise GatewayProtocolError(
            endpoint, f"{name} {value!r} is not dd.mm.yyyy hh:mm:ss"
        ) from None


def format_xml_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(XML_DATE_FORMAT)


def parse_xml_operation(order: ElementTree.Element, endpoint: str, index: int) -> OperationState:
    billnumber = _xml_required(order, "billnumber", endpoint, index)
    if not billnumber.isdigit() or len(billnumber) not in (15, 16):
        raise GatewayProtocolError(endpoint, f"billnumber {billnumber!r} is not 15 or 16 digits")
    state = parse_state_field(_xml_required(order, "orderstate", endpoint, index), endpoint)
    packet = _xml_text(order, "packetdate")
    return OperationState(
        billnumber=billnumber,
        order_number=_xml_required(order, "ordernumber", endpoint, index),
        state=state,
        response_code=parse_response_code(_xml_text(order, "responsecode"), state, endpoint),
        amount=parse_amount_field(
            _xml_required(order, "orderamount", endpoint, index), endpoint, "orderamount"
        ),
        method=_xml_text(order, "meantypename"),
        approval_code=_xml_text(order, "approvalcode"),
        rrn=_xml_text(order, "rrn"),
        packet_date=None if packet is None else parse_xml_date(packet, endpoint, "packetdate"),
    )


def parse_orderstate_reply(body: bytes) -> list[OperationState]:
    """Every payment attempt of the order, oldest first; [] when the gateway has none."""
    endpoint = "orderstate"
    root = parse_xml_result(body, endpoint)
    return [
        parse_xml_operation(order, endpoint, index)
        for index, order in enumerate(root.iter("order"), start=1)
    ]


def parse_cancel_reply(body: bytes) -> OperationState:
    endpoint = "cancel"
    root = parse_xml_result(body, endpoint)
    orders = list(root.iter("order"))
    if len(orders) != 1:
        raise GatewayProtocolError(endpoint, f"expected one <order>, got {len(orders)}")
    return parse_xml_operation(orders[0], endpoint, 1)


# -- JSON ------------------------------------------------------------------------------------


def parse_json_object(body: bytes, endpoint: str) -> dict[str, Any]:
    """The reply object; ``GatewayRejected`` when it carries a firstcode other than 0."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GatewayProtocolError(endpoint, f"broken JSON ({exc})") from None
    if not isinstance(data, dict):
        raise GatewayProtocolError(endpoint, f"the JSON reply is a {type(data).__name__}")
    if "firstcode" in data:
        first, second = _error_code(data["firstcode"], data.get("secondcode"), endpoint)
        if first != "0":
            message = data.get("errortext")
            raise GatewayRejected(
                f"{first}.{second}", message if isinstance(message, str) else "", endpoint=endpoint
            )
    return data


def json_required_str(data: Mapping[str, Any], name: str, endpoint: str) -> str:
    value = data.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise GatewayProtocolError(endpoint, f"the reply has no {name}")
    return value.strip()


def json_optional_str(data: Mapping[str, Any], name: str, endpoint: str) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise GatewayProtocolError(endpoint, f"{name} is not text: {value!r}")
    return value.strip() or None


def parse_fiscalize_reply(body: bytes) -> str:
    """The ``fiscalreceipt_ID`` of the receipt the gateway will make."""
    endpoint = "fiscalize"
    return json_required_str(parse_json_object(body, endpoint), "fiscalreceipt_ID", endpoint)


def parse_fiscalreceipt_reply(body: bytes) -> FiscalReceipt:
    endpoint = "fiscalreceipt"
    data = parse_json_object(body, endpoint)
    status_text = json_required_str(data, "status", endpoint)
    try:
        status = FiscalState(status_text)
    except ValueError:
        raise GatewayProtocolError(endpoint, f"unknown status {status_text!r}") from None

    def text(name: str) -> str | None:
        return json_optional_str(data, name, endpoint)

    def required_on_success(name: str) -> str | None:
        value = text(name)
        if value is None and status is FiscalState.SUCCESS:
            raise GatewayProtocolError(endpoint, f"a Success receipt has no {name}")
        return value

    fields = {
        name: required_on_success(name)
        for name in (
            "fn_number",
            "fiscal_document_number",
            "fiscal_document_attribute",
            "shift_number",
            "fiscal_receipt_number",
            "ecr_registration_number",
        )
    }
    raw_datetime = required_on_success("receipt_datetime")
    raw_total = required_on_success("total")
    receipt_datetime = (
        None
        if raw_datetime is None
        else parse_iso_datetime(raw_datetime, endpoint, "receipt_datetime")
    )
    total = None if raw_total is None else parse_amount_field(raw_total, endpoint, "total")
    return FiscalReceipt(
        status=status,
        fiscalreceipt_id=text("fiscalreceipt_ID"),
        fn_number=fields["fn_number"],
        fiscal_document_number=fields["fiscal_document_number"],
        fiscal_document_attribute=fields["fiscal_document_attribute"],
        shift_number=fields["shift_number"],
        fiscal_receipt_number=fields["fiscal_receipt_number"],
        ecr_registration_number=fields["ecr_registration_number"],
        receipt_datetime=receipt_datetime,
        total=total,
        qr_string=required_on_success("qr"),
        errortext=text("errortext"),
    )
