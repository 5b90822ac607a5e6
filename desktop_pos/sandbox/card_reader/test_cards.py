"""The emulated readers' test cards (docs/sandbox.md, «Тестовые карты»).

Each card carries what a real card would (PAN, expiry, applications with their AIDs, track 2
equivalent data) plus a *script* for the emulated buyer: which PINs are typed on the reader, the
application chosen on a Bluepad-like reader's screen, and whether the card is pulled out or the
reader's red button pressed midway. The numbers are Luhn-valid test numbers that belong to no
real account; the sandbox gateway knows the declined ones by PAN (``sandbox/test_pans.py``:
``visa_insufficient_funds`` → ISO 51).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from desktop_pos.hardware.reader.messages import CardApplication, EntryMode
from desktop_pos.sandbox.test_pans import INSUFFICIENT_FUNDS_PAN

AID_MIR = bytes.fromhex("A0000006581010")
AID_VISA = bytes.fromhex("A0000000031010")
AID_MASTERCARD = bytes.fromhex("A0000000041010")
AID_MAESTRO = bytes.fromhex("A0000000043060")

BRAND_BY_AID: dict[bytes, str] = {
    AID_MIR: "MIR",
    AID_VISA: "VISA",
    AID_MASTERCARD: "MASTERCARD",
    AID_MAESTRO: "MAESTRO",
}
"""The payment system an application belongs to (``CardRead.brand``)."""

MIR = CardApplication(aid=AID_MIR, label="MIR", priority=1)
VISA = CardApplication(aid=AID_VISA, label="VISA", priority=1)
MASTERCARD = CardApplication(aid=AID_MASTERCARD, label="Mastercard", priority=1)
MAESTRO = CardApplication(aid=AID_MAESTRO, label="Maestro", priority=2)


class BuyerAction(StrEnum):
    """What the emulated buyer does once the reader asks for the PIN (or, without a PIN, once
    the card has been read)."""

    NONE = "none"
    """Follows the reader to the end."""
    REMOVE_CARD = "remove_card"
    """Pulls the chip card out before the PIN (``card_removed_early``)."""
    PRESS_CANCEL = "press_cancel"
    """Presses the reader's red button (``cancel_on_reader``)."""


class SandboxOutcome(StrEnum):
    """What the sandbox gateway does with this card's authorization (by PAN)."""

    BY_AMOUNT = "by_amount"
    """The usual test-amount rules (docs/sandbox.md, «Outcomes chosen by test amounts»)."""
    DECLINE_51 = "decline_51"
    """Declined, ISO 8583 code 51 (insufficient funds)."""


@dataclass(frozen=True, slots=True)
class TestCard:
    """One scripted test card."""

    __test__: ClassVar[bool] = False  # a card, not a pytest test class

    id: str
    label_ru: str
    """How the demo panel names it."""
    pan: str
    expiry: str
    """YYMM."""
    applications: tuple[CardApplication, ...]
    entry_modes: tuple[EntryMode, ...]
    """Supported ways to read it; the first is the default."""
    cardholder: str = ""
    pin: str = "1234"
    pin_tries: int = 3
    """PIN tries left on the card when it is presented."""
    pin_script: tuple[str, ...] = ("1234",)
    """The PINs the buyer types, in order, one per ENTER PIN prompt."""
    reader_choice: bytes = AID_MIR
    """The AID the buyer picks on a Bluepad-like reader's «Select application» screen."""
    action: BuyerAction = BuyerAction.NONE
    pan_sequence: int = 0
    """EMV tag 5F34."""
    service_code: str = "201"
    """Of the track 2 equivalent data: "201" chip card, "101" magnetic stripe only."""
    sandbox_outcome: SandboxOutcome = SandboxOutcome.BY_AMOUNT
    notes_ru: str = ""

    @property
    def default_entry_mode(self) -> EntryMode:
        return self.entry_modes[0]

    @property
    def co_badged(self) -> bool:
        return len(self.applications) > 1

    @property
    def priority_application(self) -> CardApplication:
        """The application a contactless read uses: the highest priority (1 is highest)."""
        return min(self.applications, key=lambda app: app.priority or 99)

    @property
    def masked_pan(self) -> str:
        return mask_pan(self.pan)

    @property
    def track2_equivalent(self) -> str:
        """Track 2 equivalent data as the card holds it: PAN ``D`` YYMM service code and
        discretionary data (EMV tag 57 written as text)."""
        return f"{self.pan}D{self.expiry}{self.service_code}{self.pan[-5:]}00000"

    def __repr__(self) -> str:
        return f"TestCard(id={self.id!r}, masked_pan={self.masked_pan!r})"

    def application(self, aid: bytes) -> CardApplication | None:
        return next((app for app in self.applications if app.aid == aid), None)


def mask_pan(pan: str) -> str:
    """The first 6 and the last 4 digits, "*" between: the length stays the PAN's."""
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


_NFC_CHIP = (EntryMode.NFC, EntryMode.CHIP)
_CHIP_NFC = (EntryMode.CHIP, EntryMode.NFC)

TEST_CARDS: dict[str, TestCard] = {
    card.id: card
    for card in (
        TestCard(
            id="visa_contactless",
            label_ru="VISA, бесконтактная",
            pan="4220000000000006",
            expiry="2812",
            applications=(VISA,),
            entry_modes=_NFC_CHIP,
            cardholder="IVANOV/IVAN",
            notes_ru="До лимита без CVM (3000.00 руб.) — без PIN и подписи; выше — PIN 1234.",
        ),
        TestCard(
            id="mir_chip_pin",
            label_ru="МИР, чип и PIN",
            pan="2202200000000016",
            expiry="2906",
            applications=(MIR,),
            entry_modes=_CHIP_NFC,
            cardholder="PETROVA/ANNA",
            pan_sequence=1,
            notes_ru="PIN 1234, вводится на картридере.",
        ),
        TestCard(
            id="cobadge_mir_maestro",
            label_ru="МИР/Maestro, кобейджинговая",
            pan="2202200000000032",
            expiry="2903",
            applications=(MIR, MAESTRO),
            entry_modes=_CHIP_NFC,
            cardholder="SIDOROV/PETR",
            reader_choice=AID_MIR,
            notes_ru=(
                "Чип: выбор платёжной системы (QPOS — в приложении, Bluepad — на картридере, "
                "покупатель выбирает MIR). NFC: приоритетная система MIR, без выбора. PIN 1234."
            ),
        ),
        TestCard(
            id="magstripe_signature",
            label_ru="Mastercard, магнитная полоса и подпись",
            pan="5500000000000004",
            expiry="2711",
            applications=(MASTERCARD,),
            entry_modes=(EntryMode.MAGSTRIPE,),
            cardholder="SMIRNOV/OLEG",
            service_code="101",
            notes_ru="Только магнитная полоса; верификация подписью на экране приложения.",
        ),
        TestCard(
            id="mir_wrong_pin_then_right",
            label_ru="МИР, сначала неверный PIN",
            pan="2202200000000040",
            expiry="2905",
            applications=(MIR,),
            entry_modes=(EntryMode.CHIP,),
            cardholder="KUZNETSOVA/OLGA",
            pin_script=("0000", "1234"),
            notes_ru="Покупатель вводит 0000 (WRONG PIN!), затем 1234.",
        ),
        TestCard(
            id="mir_pin_tries_exceeded",
            label_ru="МИР, исчерпаны попытки PIN",
            pan="2202200000000057",
            expiry="2905",
            applications=(MIR,),
            entry_modes=(EntryMode.CHIP,),
            cardholder="POPOV/ILYA",
            pin_script=("1111", "2222", "3333"),
            notes_ru="Три неверных PIN: операция прерывается, карта блокирует PIN.",
        ),
        TestCard(
            id="visa_insufficient_funds",
            label_ru="VISA, недостаточно средств",
            pan=INSUFFICIENT_FUNDS_PAN,
            expiry="2810",
            applications=(VISA,),
            entry_modes=_NFC_CHIP,
            cardholder="VOLKOV/DMITRY",
            sandbox_outcome=SandboxOutcome.DECLINE_51,
            notes_ru="Песочница отклоняет с кодом ISO 51 (недостаточно средств).",
        ),
        TestCard(
            id="card_removed_early",
            label_ru="МИР, карту вынули раньше времени",
            pan="2202200000000065",
            expiry="2904",
            applications=(MIR,),
            entry_modes=(EntryMode.CHIP,),
            cardholder="LEBEDEV/ROMAN",
            action=BuyerAction.REMOVE_CARD,
            notes_ru="Покупатель вынимает карту на запросе PIN.",
        ),
        TestCard(
            id="cancel_on_reader",
            label_ru="МИР, отмена на картридере",
            pan="2202200000000073",
            expiry="2904",
            applications=(MIR,),
            entry_modes=(EntryMode.CHIP,),
            cardholder="NOVIKOVA/MARIA",
            action=BuyerAction.PRESS_CANCEL,
            notes_ru="Покупатель нажимает красную кнопку на запросе PIN.",
        ),
    )
}
"""Every test card by id."""


def get_test_card(card_id: str) -> TestCard:
    """The card with this id; ``KeyError`` names the known ids."""
    try:
        return TEST_CARDS[card_id]
    except KeyError:
        raise KeyError(f"no test card {card_id!r}; known: {', '.join(TEST_CARDS)}") from None


def card_by_pan(pan: str) -> TestCard | None:
    """The test card with this PAN (the sandbox gateway's look-up after opening card data)."""
    return next((card for card in TEST_CARDS.values() if card.pan == pan), None)
