"""The sandbox's rules: outcomes chosen by test amounts, and the numbers it hands out.

Test amounts (the kopecks of the amount decide, for card and SBP operations):

====== =========================================================
.51    Declined, AS102 (insufficient funds)
.52    Declined, AS106 (wrong PIN)
.55    In Process for ``--in-process-delay`` seconds, then Approved AS000
.57    In Process for ``--in-process-delay`` seconds, then Timeout (AS100)
other  Approved, AS000
====== =========================================================

A cash registration is always Approved AS000: the cash is already in the drawer. A card whose
number is in ``sandbox/test_pans.py`` is answered by its number whatever the amount
(``gateway/card_authorization.py``).
"""

from __future__ import annotations

import binascii
import secrets
import string
from dataclasses import dataclass
from decimal import Decimal

from desktop_pos.models.money import to_money
from desktop_pos.models.payment import OrderState

APPROVED_CODE = "AS000"
IN_PROCESS_CODE = "AS300"
TIMEOUT_CODE = "AS100"

SBP_BANK_ID = "100000000111"
"""The 12-digit SBP member id the sandbox's links name as the merchant's bank."""
_QRC_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class Outcome:
    state: OrderState
    response_code: str
    waits: bool
    """True: the operation stays In Process for the in-process delay before ``state``."""


APPROVED = Outcome(OrderState.APPROVED, APPROVED_CODE, waits=False)

_BY_KOPECKS = {
    51: Outcome(OrderState.DECLINED, "AS102", waits=False),
    52: Outcome(OrderState.DECLINED, "AS106", waits=False),
    55: Outcome(OrderState.APPROVED, APPROVED_CODE, waits=True),
    57: Outcome(OrderState.TIMEOUT, TIMEOUT_CODE, waits=True),
}


def kopecks(amount: Decimal) -> int:
    return int(to_money(amount) * 100) % 100


def outcome_for(amount: Decimal) -> Outcome:
    """The outcome of a card or SBP operation of ``amount``."""
    return _BY_KOPECKS.get(kopecks(amount), APPROVED)


def random_digits(count: int) -> str:
    """``count`` random digits, the first not 0."""
    return str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(count - 1)
    )


def payment_billnumber() -> str:
    """A 16-digit billnumber: 14 random digits and the operation's sequence ``01``."""
    return random_digits(14) + "01"


def cancel_billnumber(payment: str, sequence: int) -> str:
    """The billnumber of the ``sequence``-th cancel (2, 3, …) of ``payment``."""
    return f"{payment[:14]}{sequence:02d}"


def approval_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def rrn() -> str:
    """A 12-digit retrieval reference number."""
    return random_digits(12)


def fiscal_sign() -> str:
    """A 10-digit fiscal sign (FP): a 32-bit number of 10 digits."""
    return str(1_000_000_000 + secrets.randbelow(4_294_967_295 - 1_000_000_000))


def nspk_link(amount: Decimal) -> str:
    """``https://qr.nspk.ru/<32 chars>?type=02&bank=<12 digits>&sum=<kopecks>&cur=RUB&crc=XXXX``.

    The id starts with ``AD`` (a dynamic QR); ``crc`` is CRC-16/CCITT of the link before it.
    """
    qrc_id = "AD" + "".join(secrets.choice(_QRC_ALPHABET) for _ in range(30))
    total_kopecks = int(to_money(amount) * 100)
    link = f"https://qr.nspk.ru/{qrc_id}?type=02&bank={SBP_BANK_ID}&sum={total_kopecks}&cur=RUB"
    crc = binascii.crc_hqx(link.encode("ascii"), 0xFFFF)
    return f"{link}&crc={crc:04X}"


def softpos_link(merchant_id: str, order_number: str, amount: Decimal, billnumber: str) -> str:
    """``assist-softpos://pay?merchant=…&order=…&amount=…&currency=RUB&bill=…`` (the order
    number percent-encoded), for the cashier's SoftPOS phone to scan."""
    from urllib.parse import quote

    return (
        f"assist-softpos://pay?merchant={merchant_id}&order={quote(order_number, safe='')}"
        f"&amount={to_money(amount)}&currency=RUB&bill={billnumber}"
    )
