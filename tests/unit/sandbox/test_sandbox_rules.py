"""The sandbox's pure rules: test-amount outcomes, generated numbers, fault settings."""

from __future__ import annotations

import binascii
import re
from decimal import Decimal

import pytest

from desktop_pos.models.payment import OrderState
from desktop_pos.sandbox.gateway import outcomes
from desktop_pos.sandbox.gateway.faults import Faults, FaultSpecError
from desktop_pos.sandbox.gateway.mailer import SmtpAddressError, parse_smtp_address
from desktop_pos.services.gateway.mpos_operations import NSPK_LINK


@pytest.mark.parametrize(
    ("amount", "state", "code", "waits"),
    [
        ("1.51", OrderState.DECLINED, "AS102", False),
        ("1000.52", OrderState.DECLINED, "AS106", False),
        ("0.55", OrderState.APPROVED, "AS000", True),
        ("7.57", OrderState.TIMEOUT, "AS100", True),
        ("7.50", OrderState.APPROVED, "AS000", False),
        ("151", OrderState.APPROVED, "AS000", False),
    ],
)
def test_outcomes_by_kopecks(amount: str, state: OrderState, code: str, waits: bool) -> None:
    outcome = outcomes.outcome_for(Decimal(amount))
    assert (outcome.state, outcome.response_code, outcome.waits) == (state, code, waits)


def test_nspk_link_format_and_checksum() -> None:
    link = outcomes.nspk_link(Decimal("1234.50"))
    assert NSPK_LINK.fullmatch(link), link
    assert "&sum=123450&" in link
    body, crc = link.rsplit("&crc=", 1)
    assert int(crc, 16) == binascii.crc_hqx(body.encode(), 0xFFFF)


def test_generated_numbers() -> None:
    bill = outcomes.payment_billnumber()
    assert re.fullmatch(r"[1-9]\d{13}01", bill)
    assert outcomes.cancel_billnumber(bill, 2) == bill[:14] + "02"
    assert re.fullmatch(r"\d{6}", outcomes.approval_code())
    assert re.fullmatch(r"[1-9]\d{11}", outcomes.rrn())
    for _ in range(50):
        sign = outcomes.fiscal_sign()
        assert len(sign) == 10 and int(sign) <= 4_294_967_295


def test_fault_specs() -> None:
    faults = Faults()
    faults.apply_spec("cash_register:http_500:2")
    faults.apply_spec("all:latency_ms:150")
    faults.apply_spec("orderstate:reset")
    assert faults.for_endpoint("cash_register").http_500 == 2
    assert faults.for_endpoint("fiscalize").latency_ms == 150
    assert faults.take("orderstate", "reset") and not faults.take("orderstate", "reset")
    faults.apply_spec("all:down")
    assert faults.down
    faults.apply({"clear": True, "cancel": {"lost_after_commit": 1}})
    assert not faults.down and faults.describe()["endpoints"] == {
        "cancel": {"latency_ms": 0, "http_500": 0, "reset": 0, "lost_after_commit": 1}
    }


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("cash_register", "ENDPOINT:KIND"),
        ("a:b:c:d", "ENDPOINT:KIND"),
        ("nowhere:reset", "unknown endpoint"),
        ("cancel:explode:1", "unknown fault kind"),
        ("cancel:reset:x", "not a number"),
        ("cancel:reset:-1", "≥ 0"),
        ("all:down:1", "all:down"),
    ],
)
def test_bad_fault_specs_say_why(spec: str, words: str) -> None:
    with pytest.raises(FaultSpecError) as error:
        Faults().apply_spec(spec)
    assert words in str(error.value)


def test_smtp_address() -> None:
    assert parse_smtp_address("127.0.0.1:8025") == ("127.0.0.1", 8025)
    for bad in ("127.0.0.1", ":25", "host:0", "host:x"):
        with pytest.raises(SmtpAddressError):
            parse_smtp_address(bad)
