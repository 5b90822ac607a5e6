"""Card numbers the sandbox gateway treats specially: the one list both the sandbox gateway and
the emulated readers' test cards (``sandbox/card_reader/test_cards.py``) use.

Test numbers only: Luhn-valid, belonging to no real account. Any other card number follows the
test-amount rules (``sandbox/gateway/outcomes.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

INSUFFICIENT_FUNDS_PAN = "4111110000000518"
"""The ``visa_insufficient_funds`` test card: Declined, ISO 8583 ``51``, Assist ``AS102``."""


@dataclass(frozen=True, slots=True)
class PanDecline:
    """What the issuer answers for a test card number whatever the amount."""

    issuer_response_code: str
    """ISO 8583 field 39: ``51`` insufficient funds, …"""
    response_code: str
    """Assist's code for it (reference §2.3): ``AS102`` insufficient funds, …"""


DECLINED_PANS: dict[str, PanDecline] = {
    INSUFFICIENT_FUNDS_PAN: PanDecline("51", "AS102"),
}


def luhn_valid(pan: str) -> bool:
    """The Luhn check digit of ``pan`` is right (digits only)."""
    if not pan.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(pan)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
