"""Request building and reply parsing, without any I/O: good replies and every kind of bad one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from desktop_pos.models.order import OrderItem
from desktop_pos.models.payment import FiscalState, OrderState
from desktop_pos.services.gateway import mpos_operations as mpos
from desktop_pos.services.gateway import protocol
from desktop_pos.services.gateway.errors import GatewayProtocolError, GatewayRejected
from desktop_pos.services.gateway.results import CashRegistration
from desktop_pos.services.gateway.settings import GatewaySettings

SETTINGS = GatewaySettings("https://payments.example.ru", "600000", "shop_login", "s3cret_pw")

ORDER_XML = """<order><ordernumber>{number}</ordernumber><billnumber>{bill}</billnumber>
<orderstate>{state}</orderstate><responsecode>{code}</responsecode>
<orderamount>{amount}</orderamount><ordercurrency>RUB</ordercurrency>
<packetdate>{packet}</packetdate><meantypename>MIR</meantypename>
<approvalcode>123456</approvalcode><rrn>123456789012</rrn></order>"""


def order_xml(**changes: str) -> str:
    fields = {
        "number": "20240101_120000_001",
        "bill": "1234567890123401",
        "state": "Approved",
        "code": "AS000",
        "amount": "14.24",
        "packet": "15.01.2024 21:10:05",
    }
    fields.update(changes)
    return ORDER_XML.format(**fields)


def result_xml(*orders: str, first: str = "0", second: str = "0") -> bytes:
    inner = "".join(orders)
    head = f'<?xml version="1.0"?><result firstcode="{first}" secondcode="{second}">'
    return f"{head}{inner}</result>".encode()


# -- requests ------------------------------------------------------------------------------


def test_orderstate_request_without_a_window_uses_the_gateway_default() -> None:
    fields = protocol.orderstate_request(SETTINGS, "A-1")
    assert fields == {
        "Ordernumber": "A-1",
        "Merchant_ID": "600000",
        "Login": "shop_login",
        "Password": "s3cret_pw",
        "Format": "3",
    }


def test_orderstate_request_window_is_sent_in_gmt() -> None:
    since = datetime(2024, 1, 15, 2, 30, tzinfo=timezone(timedelta(hours=3)))
    fields = protocol.orderstate_request(SETTINGS, "A-1", since=since)
    assert {k: v for k, v in fields.items() if k.startswith("Start")} == {
        "StartYear": "2024",
        "StartMonth": "1",
        "StartDay": "14",
        "StartHour": "23",
        "StartMin": "30",
    }
    with pytest.raises(ValueError, match="naive"):
        protocol.orderstate_request(SETTINGS, "A-1", since=datetime(2024, 1, 1))


def test_cancel_fiscalize_and_fiscalreceipt_requests() -> None:
    assert protocol.cancel_request(SETTINGS, "1234567890123401", Decimal("5"))["Amount"] == "5.00"
    assert "Amount" not in protocol.cancel_request(SETTINGS, "1234567890123401", None)
    fiscal = protocol.fiscalize_request(
        SETTINGS, "1234567890123401", kind="sell_refund", phone="+79991234567"
    )
    assert (fiscal["Type"], fiscal["Phone"], fiscal["Format"]) == (
        "sell_refund",
        "79991234567",
        "5",
    )
    assert "Email" not in fiscal and "Payment_ID" not in fiscal
    with pytest.raises(ValueError, match="sell"):
        protocol.fiscalize_request(SETTINGS, "1", kind="refund")
    assert protocol.fiscalreceipt_request(SETTINGS, "77")["BillNumber"] == "77"


def test_receipt_qr_string_matches_the_documented_example() -> None:
    when = datetime(2020, 1, 15, 21, 10)
    assert (
        protocol.receipt_qr_string(
            when, Decimal("1030"), "9251440300046840", "29414", "1250830908", "sell"
        )
        == "t=20200115T2110&s=1030.00&fn=9251440300046840&i=29414&fp=1250830908&n=1"
    )
    refund = protocol.receipt_qr_string(when, Decimal("1"), "1", "2", "3", "sell_refund")
    assert refund.endswith("&n=2")


def test_cash_register_request_carries_the_order_and_its_items() -> None:
    registration = CashRegistration(
        order_number="A-1",
        attempt_id="att-1",
        amount=Decimal("10.00"),
        total=Decimal("12.50"),
        prepaid=Decimal("2.50"),
        paid_at=datetime(2024, 1, 15, 12, 0, tzinfo=UTC),
        email="b@example.com",
        phone="",
        items=(OrderItem("Хлеб", Decimal("2.5"), Decimal("5.00"), discount=Decimal("0.10")),),
    )
    body = json.loads(mpos.encode(mpos.cash_register_request(SETTINGS, registration)))
    assert body["ordernumber"] == "A-1" and body["attempt_id"] == "att-1"
    assert (body["amount"], body["total"], body["amount_prepaid"]) == ("10.00", "12.50", "2.50")
    assert body["currency"] == "RUB" and body["paid_at"] == "2024-01-15T12:00:00+00:00"
    assert body["items"] == [
        {
            "name": "Хлеб",
            "price": "5.00",
            "quantity": "2.500",
            "amount": "12.50",
            "discount_amount": "0.10",
            "tax": "vat20",
            "payment_method": "4",
        }
    ]
    assert mpos.idempotency_key("A-1", "att-1") == "A-1:att-1"


# -- orderstate / cancel (XML) -------------------------------------------------------------


def test_orderstate_reply_with_several_attempts() -> None:
    body = result_xml(
        order_xml(state="Declined", code="AS102", bill="1234567890123401"),
        order_xml(state="In Process", code="", bill="123456789012345"),
    )
    declined, waiting = protocol.parse_orderstate_reply(body)
    assert (declined.state, declined.response_code) == (OrderState.DECLINED, "AS102")
    assert declined.amount == Decimal("14.24") and declined.method == "MIR"
    assert declined.packet_date == datetime(2024, 1, 15, 21, 10, 5, tzinfo=UTC)
    assert (waiting.state, waiting.response_code) == (OrderState.IN_PROCESS, "AS300")
    assert waiting.billnumber == "123456789012345"


def test_an_empty_orderstate_reply_means_no_attempts() -> None:
    assert protocol.parse_orderstate_reply(result_xml()) == []


def test_cancel_reply_has_one_order_under_orders() -> None:
    body = result_xml("<orders>" + order_xml(state="Canceled") + "</orders>")
    assert protocol.parse_cancel_reply(body).state is OrderState.CANCELED
    with pytest.raises(GatewayProtocolError, match="expected one <order>, got 0"):
        protocol.parse_cancel_reply(result_xml())


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<result firstcode='0'", "broken XML"),
        (b"", "broken XML"),
        (b"<html><body>Bad gateway</body></html>", "<html>"),
        (b"<result/>", "no firstcode"),
        (result_xml(first="x"), "firstcode"),
        (result_xml(order_xml(state="Delayed")), "unknown orderstate 'Delayed'"),
        (result_xml(order_xml(state="New")), "unknown orderstate 'New'"),
        (result_xml(order_xml(code="OK")), "responsecode 'OK'"),
        (result_xml(order_xml(code="")), "an Approved operation has no responsecode"),
        (result_xml(order_xml(amount="14,24")), "orderamount is not an amount"),
        (result_xml(order_xml(bill="12ab")), "billnumber '12ab'"),
        (result_xml(order_xml(packet="2024-01-15")), "packetdate '2024-01-15'"),
        (
            result_xml(order_xml().replace("<billnumber>1234567890123401</billnumber>", "")),
            "<order> 1 has no <billnumber>",
        ),
        (
            result_xml(
                order_xml().replace("<ordernumber>", "<x>").replace("</ordernumber>", "</x>")
            ),
            "no <ordernumber>",
        ),
    ],
)
def test_malformed_orderstate_replies_name_the_problem(body: bytes, problem: str) -> None:
    with pytest.raises(GatewayProtocolError) as error:
        protocol.parse_orderstate_reply(body)
    assert problem in error.value.problem
    assert error.value.endpoint == "orderstate"
    assert "orderstate" in error.value.text.ru and problem in error.value.text.en


def test_an_error_reply_is_rejected_with_its_codes() -> None:
    body = b'<result firstcode="2" secondcode="1" errortext="wrong login"/>'
    with pytest.raises(GatewayRejected) as rejected:
        protocol.parse_orderstate_reply(body)
    assert (rejected.value.code, rejected.value.message) == ("2.1", "wrong login")
    with pytest.raises(GatewayRejected) as unknown:
        protocol.parse_cancel_reply(b'<result firstcode="7" secondcode="42"/>')
    assert unknown.value.code == "7.42" and "7.42" in unknown.value.text.ru


# -- fiscal services (JSON) ----------------------------------------------------------------


def receipt(**changes: Any) -> bytes:
    data: dict[str, Any] = {
        "billnumber": "1234567890123401",
        "fiscalreceipt_ID": "123456789",
        "status": "Success",
        "fn_number": "9251440300046840",
        "fiscal_document_number": "29414",
        "fiscal_document_attribute": "1250830908",
        "shift_number": "12",
        "fiscal_receipt_number": "3",
        "ecr_registration_number": "0000000001012345",
        "receipt_datetime": "2020-01-15T21:10:00+03:00",
        "total": "1030.00",
        "qr": "t=20200115T2110&s=1030.00&fn=9251440300046840&i=29414&fp=1250830908&n=1",
        "errortext": None,
    }
    data.update(changes)
    return json.dumps(data).encode()


def test_a_success_receipt() -> None:
    parsed = protocol.parse_fiscalreceipt_reply(receipt())
    assert parsed.status is FiscalState.SUCCESS and parsed.total == Decimal("1030.00")
    assert parsed.receipt_datetime == datetime(2020, 1, 15, 18, 10, tzinfo=UTC)
    assert parsed.fn_number == "9251440300046840" and parsed.qr_string is not None


def test_a_new_receipt_has_no_fiscal_data_yet() -> None:
    parsed = protocol.parse_fiscalreceipt_reply(
        receipt(status="New", fn_number=None, qr=None, receipt_datetime=None, total="")
    )
    assert parsed.status is FiscalState.NEW
    assert (parsed.fn_number, parsed.qr_string, parsed.receipt_datetime, parsed.total) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{", "broken JSON"),
        (b"\xff\xfe", "broken JSON"),
        (b"[]", "the JSON reply is a list"),
        (receipt(status="Done"), "unknown status 'Done'"),
        (receipt(status=None), "the reply has no status"),
        (receipt(fn_number=None), "a Success receipt has no fn_number"),
        (receipt(qr=""), "a Success receipt has no qr"),
        (receipt(total="10.5.1"), "total is not an amount"),
        (receipt(receipt_datetime="yesterday"), "receipt_datetime is not a date"),
        (receipt(receipt_datetime="2020-01-15T21:10:00"), "receipt_datetime has no time zone"),
        (receipt(shift_number=["1"]), "shift_number is not text"),
    ],
)
def test_malformed_fiscal_receipts_name_the_problem(body: bytes, problem: str) -> None:
    with pytest.raises(GatewayProtocolError) as error:
        protocol.parse_fiscalreceipt_reply(body)
    assert problem in error.value.problem


def test_fiscalize_reply() -> None:
    assert protocol.parse_fiscalize_reply(b'{"fiscalreceipt_ID": 42}') == "42"
    with pytest.raises(GatewayProtocolError, match="no fiscalreceipt_ID"):
        protocol.parse_fiscalize_reply(b'{"status": "New"}')
    with pytest.raises(GatewayRejected) as rejected:
        protocol.parse_fiscalize_reply(b'{"firstcode": 3, "secondcode": 6, "errortext": "no"}')
    assert rejected.value.code == "3.6"


# -- mpos operations (JSON) ----------------------------------------------------------------


def registration_reply(**changes: Any) -> bytes:
    data: dict[str, Any] = {
        "firstcode": 0,
        "secondcode": 0,
        "billnumber": "1234567890123401",
        "orderstate": "Approved",
        "responsecode": "AS000",
        "replayed": False,
        "qr_payload": (
            "https://qr.nspk.ru/AD1234567890ABCDEFGHIJKLMNOPQRST?type=02&bank=100000000111"
            "&sum=1000&cur=RUB&crc=AB12"
        ),
    }
    data.update(changes)
    return json.dumps(data).encode()


def test_registration_replies() -> None:
    cash = mpos.parse_cash_register_reply(registration_reply(replayed=True))
    assert (cash.state, cash.response_code, cash.replayed) == (OrderState.APPROVED, "AS000", True)
    sbp = mpos.parse_sbp_register_reply(registration_reply(orderstate="In Process"))
    assert sbp.state is OrderState.IN_PROCESS and sbp.qr_payload.startswith("https://qr.nspk.ru/")
    card = mpos.parse_card_authorize_reply(
        registration_reply(orderstate="Declined", responsecode="AS106", approvalcode=None)
    )
    assert (card.state, card.response_code, card.approval_code) == (
        OrderState.DECLINED,
        "AS106",
        None,
    )


@pytest.mark.parametrize(
    ("parse", "body", "problem"),
    [
        (mpos.parse_cash_register_reply, registration_reply(billnumber="123"), "not 16 digits"),
        (mpos.parse_cash_register_reply, registration_reply(orderstate=None), "orderstate None"),
        (mpos.parse_cash_register_reply, registration_reply(replayed="yes"), "replayed"),
        (mpos.parse_cash_register_reply, registration_reply(responsecode="AS1"), "AS1"),
        (mpos.parse_sbp_register_reply, registration_reply(qr_payload="https://x"), "NSPK"),
        (mpos.parse_sbp_register_reply, registration_reply(qr_payload=None), "qr_payload"),
        (mpos.parse_card_authorize_reply, registration_reply(rrn=12.5), "rrn is not text"),
    ],
)
def test_malformed_registration_replies(parse: Any, body: bytes, problem: str) -> None:
    with pytest.raises(GatewayProtocolError) as error:
        parse(body)
    assert problem in error.value.problem


def test_an_mpos_error_reply_is_rejected() -> None:
    body = b'{"firstcode": 3, "secondcode": 1, "errortext": "order A-1 is already paid"}'
    with pytest.raises(GatewayRejected) as rejected:
        mpos.parse_cash_register_reply(body)
    assert rejected.value.code == "3.1" and "already paid" in rejected.value.message
