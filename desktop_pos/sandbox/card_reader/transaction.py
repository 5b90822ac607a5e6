"""One card transaction on an emulated reader, sans-IO (docs/reader-protocol.md, sequences).

``ReaderTransaction`` takes the host's messages and the buyer's actions (present a card, choose
an application on the reader, type a PIN, pull the card, press the red button) and answers with
the reader's messages, in the documented order::

    DisplayText PRESENT_CARD → (card) → DisplayText CARD_INSERTED / CARD_TAPPED / CARD_SWIPED
    → [co-badged chip: ApplicationSelectionRequest … ApplicationSelected (QPOS-like)
       | DisplayText SELECT_APPLICATION, chosen on the reader (Bluepad-like)]
    → CardRead → [PIN: DisplayText ENTER_PIN (… WRONG_PIN, ENTER_PIN …) PIN_OK] → CvmResult
    → DisplayText PROCESSING → AuthorizationRequest … AuthorizationResponse
    → DisplayText REMOVE_CARD → DisplayText APPROVED / DECLINED → TransactionResult

Aborts (cancel on the reader or by the host, card pulled out, PIN tries exhausted, no answer in
time, host unable to go online, battery exhausted) end with a DisplayText and a
``TransactionResult`` whose outcome says which. Nothing here sleeps or does I/O: the caller asks
``timeout_s`` after every step and calls ``on_timeout`` when that much time has passed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from desktop_pos.hardware.reader.messages import (
    ApplicationChoice,
    ApplicationSelected,
    ApplicationSelectionRequest,
    AuthorizationOutcome,
    AuthorizationRequest,
    AuthorizationResponse,
    CardApplication,
    CardRead,
    Cvm,
    CvmResult,
    DisplayCode,
    DisplayText,
    EntryMode,
    FaultCode,
    ReaderFault,
    ReaderMessage,
    StartTransaction,
    TransactionResult,
    TxnOutcome,
)
from desktop_pos.sandbox.card_reader.emv import (
    AuthorizationData,
    CardDataSealer,
    CvmOutcome,
    Tvr,
    authorization_tlv,
    issuer_data_tags,
    sandbox_sealer,
    tsi,
)
from desktop_pos.sandbox.card_reader.test_cards import BRAND_BY_AID, TestCard

DISPLAY_TEXTS: dict[DisplayCode, str] = {
    DisplayCode.IDLE: "WELCOME",
    DisplayCode.PRESENT_CARD: "PRESENT CARD",
    DisplayCode.CARD_INSERTED: "CARD INSERTED",
    DisplayCode.CARD_TAPPED: "CARD TAPPED",
    DisplayCode.CARD_SWIPED: "CARD SWIPED",
    DisplayCode.SELECT_APPLICATION: "SELECT APPLICATION",
    DisplayCode.PROCESSING: "PROCESSING PLEASE WAIT",
    DisplayCode.ENTER_PIN: "ENTER PIN",
    DisplayCode.WRONG_PIN: "WRONG PIN!",
    DisplayCode.PIN_OK: "PIN OK",
    DisplayCode.REMOVE_CARD: "PLEASE REMOVE CARD",
    DisplayCode.APPROVED: "TRANSACTION APPROVED",
    DisplayCode.DECLINED: "TRANSACTION DECLINED",
    DisplayCode.CANCELLED: "CANCELLED",
    DisplayCode.CARD_READ_ERROR: "CARD READ ERROR",
    DisplayCode.LOW_BATTERY: "LOW BATTERY",
    DisplayCode.UPDATING_FIRMWARE: "UPDATING FIRMWARE",
    DisplayCode.TRY_AGAIN: "TRY AGAIN",
}
"""The reader's own wording for each screen (English, upper case, as on the device)."""

_ENTRY_DISPLAY = {
    EntryMode.CHIP: DisplayCode.CARD_INSERTED,
    EntryMode.NFC: DisplayCode.CARD_TAPPED,
    EntryMode.MAGSTRIPE: DisplayCode.CARD_SWIPED,
}


class Stage(StrEnum):
    """What the transaction waits for."""

    CARD = "card"
    HOST_APPLICATION = "host_application"
    """``ApplicationSelectionRequest`` sent; waits ``ApplicationSelected``."""
    READER_APPLICATION = "reader_application"
    """The buyer chooses on the reader's screen."""
    PIN = "pin"
    AUTHORIZATION = "authorization"
    """``AuthorizationRequest`` sent; waits ``AuthorizationResponse``."""
    DONE = "done"


class CardActionError(RuntimeError):
    """A buyer's action that makes no sense now (e.g. a card presented with none asked for)."""


@dataclass(frozen=True, slots=True)
class ReaderTimings:
    """How long the reader waits at each stage before ending with ``TIMEOUT``."""

    card_s: float = 60.0
    application_s: float = 60.0
    pin_s: float = 60.0
    authorization_s: float = 60.0

    def for_stage(self, stage: Stage) -> float | None:
        return {
            Stage.CARD: self.card_s,
            Stage.HOST_APPLICATION: self.application_s,
            Stage.READER_APPLICATION: self.application_s,
            Stage.PIN: self.pin_s,
            Stage.AUTHORIZATION: self.authorization_s,
        }.get(stage)


@dataclass(slots=True)
class TransactionEnvironment:
    """What a transaction needs from the reader around it."""

    app_selection_on_reader: bool
    """Bluepad-like: co-badged chip cards are chosen on the reader; QPOS-like: in the app."""
    timings: ReaderTimings = field(default_factory=ReaderTimings)
    sealer: CardDataSealer = sandbox_sealer
    random_bytes: Callable[[int], bytes] = secrets.token_bytes
    today: Callable[[], date] = date.today
    atc: dict[str, int] = field(default_factory=dict)
    """Application transaction counters by PAN: the card's own counter, kept by the reader
    because the emulated cards have no memory."""

    def next_atc(self, card: TestCard) -> int:
        value = self.atc.get(card.pan, 0) + 1
        self.atc[card.pan] = value
        return value


def display(txn_id: int, code: DisplayCode) -> DisplayText:
    return DisplayText(txn_id=txn_id, code=code, text=DISPLAY_TEXTS[code])


class ReaderTransaction:
    """One transaction, from ``StartTransaction`` to ``TransactionResult``."""

    def __init__(self, start: StartTransaction, env: TransactionEnvironment) -> None:
        self.start = start
        self.env = env
        self.stage = Stage.CARD
        self.card: TestCard | None = None
        self.entry_mode: EntryMode | None = None
        self.application: CardApplication | None = None
        self.cvm: Cvm | None = None
        self.pin_prompts = 0
        """How many ENTER PIN prompts the buyer has seen."""
        self.pin_tries_left = 0
        self.card_inserted = False
        self.result: TransactionResult | None = None
        self.last_authorization_request: AuthorizationRequest | None = None
        self._tvr = Tvr()
        self._cvm_results = CvmOutcome.NO_CVM

    @property
    def txn_id(self) -> int:
        return self.start.txn_id

    @property
    def done(self) -> bool:
        return self.stage == Stage.DONE

    @property
    def timeout_s(self) -> float | None:
        """How long the current stage may last; ``None`` once done."""
        return self.env.timings.for_stage(self.stage)

    def begin(self) -> list[ReaderMessage]:
        return [self._display(DisplayCode.PRESENT_CARD)]

    # -- the buyer -------------------------------------------------------------------------

    def present(self, card: TestCard, entry_mode: EntryMode | None = None) -> list[ReaderMessage]:
        """The buyer taps, inserts or swipes ``card`` (its default way when ``entry_mode`` is
        None). A way the card or the reader does not support shows CARD READ ERROR and the
        reader asks again."""
        self._require(Stage.CARD, "no card is asked for now")
        mode = entry_mode if entry_mode is not None else card.default_entry_mode
        if mode not in card.entry_modes or (mode == EntryMode.NFC and not self.start.nfc_enabled):
            return [
                self._display(DisplayCode.CARD_READ_ERROR),
                self._display(DisplayCode.PRESENT_CARD),
            ]
        self.card = card
        self.entry_mode = mode
        self.card_inserted = mode == EntryMode.CHIP
        out: list[ReaderMessage] = [self._display(_ENTRY_DISPLAY[mode])]
        if mode == EntryMode.CHIP and card.co_badged:
            if self.env.app_selection_on_reader:
                self.stage = Stage.READER_APPLICATION
                out.append(self._display(DisplayCode.SELECT_APPLICATION))
            else:
                self.stage = Stage.HOST_APPLICATION
                out.append(ApplicationSelectionRequest(self.txn_id, card.applications))
            return out
        choice = ApplicationChoice.PRIORITY if card.co_badged else ApplicationChoice.ONLY
        return out + self._card_read(card.priority_application, choice)

    def choose_on_reader(self, aid: bytes) -> list[ReaderMessage]:
        """The buyer picks an application on the reader's «Select application» screen."""
        self._require(Stage.READER_APPLICATION, "the reader shows no application choice")
        assert self.card is not None
        application = self.card.application(aid)
        if application is None:
            raise CardActionError(f"the card has no application {aid.hex().upper()}")
        return self._card_read(application, ApplicationChoice.READER)

    def enter_pin(self, pin: str) -> list[ReaderMessage]:
        """The buyer types a PIN on the reader's keypad (the PIN never leaves the reader)."""
        self._require(Stage.PIN, "the reader does not ask for a PIN")
        assert self.card is not None
        if pin == self.card.pin:
            self.pin_tries_left = self.card.pin_tries
            if self.entry_mode == EntryMode.NFC:
                self._tvr = Tvr(online_pin_entered=True)
                self._cvm_results = CvmOutcome.ONLINE_PIN
            else:
                self._cvm_results = CvmOutcome.OFFLINE_PIN_OK
            return [
                self._display(DisplayCode.PIN_OK),
                CvmResult(self.txn_id, Cvm.PIN_ON_READER, pin_verified=True),
                *self._go_online(),
            ]
        self.pin_tries_left -= 1
        out: list[ReaderMessage] = [self._display(DisplayCode.WRONG_PIN)]
        if self.pin_tries_left > 0:
            self.pin_prompts += 1
            return [*out, self._display(DisplayCode.ENTER_PIN)]
        self._tvr = Tvr(cardholder_verification_failed=True, pin_try_limit_exceeded=True)
        self._cvm_results = CvmOutcome.OFFLINE_PIN_FAILED
        return out + self._finish(
            TxnOutcome.PIN_TRIES_EXCEEDED, DisplayCode.DECLINED, reason="PIN tries exceeded"
        )

    def remove_card(self) -> list[ReaderMessage]:
        """The buyer pulls the chip card out. Before the end that aborts (``CARD_REMOVED``);
        a tapped or swiped card is not in the reader, so nothing happens."""
        if not self.card_inserted:
            return []
        self.card_inserted = False
        if self.done:
            return []
        return self._finish(TxnOutcome.CARD_REMOVED, DisplayCode.CANCELLED, reason="card removed")

    def press_cancel(self) -> list[ReaderMessage]:
        """The red button on the reader."""
        if self.done:
            return []
        return self._finish(
            TxnOutcome.CANCELLED_ON_READER, DisplayCode.CANCELLED, reason="cancelled on reader"
        )

    # -- the host --------------------------------------------------------------------------

    def on_application_selected(self, msg: ApplicationSelected) -> list[ReaderMessage]:
        if self.stage != Stage.HOST_APPLICATION:
            return [self._fault(FaultCode.BAD_MESSAGE, "no application selection is pending")]
        assert self.card is not None
        application = self.card.application(msg.aid)
        if application is None:
            return [self._fault(FaultCode.BAD_MESSAGE, "the card has no such application")]
        return self._card_read(application, ApplicationChoice.HOST)

    def on_authorization_response(self, msg: AuthorizationResponse) -> list[ReaderMessage]:
        if self.stage != Stage.AUTHORIZATION:
            return [self._fault(FaultCode.BAD_MESSAGE, "no authorization is pending")]
        tags = issuer_data_tags(msg.issuer_data)
        issuer_auth = 0x91 in tags
        scripts = bool(tags & {0x71, 0x72})
        if msg.outcome == AuthorizationOutcome.APPROVED:
            return self._finish(
                TxnOutcome.APPROVED,
                DisplayCode.APPROVED,
                issuer_authentication=issuer_auth,
                scripts=scripts,
            )
        if msg.outcome == AuthorizationOutcome.DECLINED:
            reason = msg.issuer_response_code or msg.response_code
            return self._finish(
                TxnOutcome.DECLINED,
                DisplayCode.DECLINED,
                reason=reason,
                issuer_authentication=issuer_auth,
                scripts=scripts,
            )
        return self._finish(
            TxnOutcome.HOST_UNREACHABLE, DisplayCode.DECLINED, reason="unable to go online"
        )

    def host_cancel(self) -> list[ReaderMessage]:
        if self.done:
            return []
        return self._finish(
            TxnOutcome.CANCELLED_BY_HOST, DisplayCode.CANCELLED, reason="cancelled by host"
        )

    # -- the reader itself -----------------------------------------------------------------

    def on_timeout(self) -> list[ReaderMessage]:
        """The current stage lasted ``timeout_s``: no card, no choice, no PIN or no answer."""
        if self.done:
            return []
        reason = {
            Stage.CARD: "no card presented",
            Stage.AUTHORIZATION: "no host answer",
        }.get(self.stage, f"no {self.stage.value.replace('_', ' ')}")
        return self._finish(TxnOutcome.TIMEOUT, DisplayCode.TRY_AGAIN, reason=reason)

    def abort_low_battery(self) -> list[ReaderMessage]:
        if self.done:
            return []
        return self._finish(TxnOutcome.LOW_BATTERY, DisplayCode.LOW_BATTERY, reason="low battery")

    # -- steps -----------------------------------------------------------------------------

    def _card_read(
        self, application: CardApplication, choice: ApplicationChoice
    ) -> list[ReaderMessage]:
        card, mode = self.card, self.entry_mode
        assert card is not None and mode is not None
        self.application = application
        out: list[ReaderMessage] = [
            CardRead(
                txn_id=self.txn_id,
                entry_mode=mode,
                masked_pan=card.masked_pan,
                brand=BRAND_BY_AID.get(application.aid, application.label.upper()),
                application_label=application.label,
                aid=application.aid,
                application_choice=choice,
                cardholder=card.cardholder,
            )
        ]
        if mode == EntryMode.MAGSTRIPE:
            self.cvm = Cvm.SIGNATURE
            self._cvm_results = CvmOutcome.SIGNATURE
            return [*out, CvmResult(self.txn_id, Cvm.SIGNATURE), *self._go_online()]
        if mode == EntryMode.NFC and self.start.amount_minor <= self.start.no_cvm_limit_minor:
            self.cvm = Cvm.NONE
            self._cvm_results = CvmOutcome.NO_CVM
            return [*out, CvmResult(self.txn_id, Cvm.NONE), *self._go_online()]
        self.cvm = Cvm.PIN_ON_READER
        self.stage = Stage.PIN
        self.pin_tries_left = card.pin_tries
        self.pin_prompts = 1
        return [*out, self._display(DisplayCode.ENTER_PIN)]

    def _go_online(self) -> list[ReaderMessage]:
        card, mode, application, cvm = self.card, self.entry_mode, self.application, self.cvm
        assert card is not None and mode is not None and application is not None
        assert cvm is not None
        emv_tlv = authorization_tlv(
            AuthorizationData(
                card=card,
                aid=application.aid,
                application_label=application.label,
                entry_mode=mode,
                kind=self.start.kind,
                amount_minor=self.start.amount_minor,
                currency=self.start.currency,
                cvm=cvm,
                cvm_results=self._cvm_results,
                tvr=self._tvr,
                atc=self.env.next_atc(card) if mode != EntryMode.MAGSTRIPE else 0,
                unpredictable_number=self.env.random_bytes(4),
                today=self.env.today(),
            )
        )
        card_data, key_id = self.env.sealer(card, self.start.order_number, self.start.amount_minor)
        self.stage = Stage.AUTHORIZATION
        request = AuthorizationRequest(
            self.txn_id, emv_tlv=emv_tlv, card_data=card_data, key_id=key_id
        )
        self.last_authorization_request = request
        return [self._display(DisplayCode.PROCESSING), request]

    def _finish(
        self,
        outcome: TxnOutcome,
        code: DisplayCode,
        *,
        reason: str = "",
        issuer_authentication: bool = False,
        scripts: bool = False,
    ) -> list[ReaderMessage]:
        emv = self.entry_mode in (EntryMode.CHIP, EntryMode.NFC) and self.application is not None
        result = TransactionResult(
            txn_id=self.txn_id,
            outcome=outcome,
            tvr=self._tvr.encode() if emv else bytes(5),
            tsi=tsi(
                emv=emv,
                cvm_performed=self.cvm in (Cvm.PIN_ON_READER, Cvm.SIGNATURE),
                issuer_authentication=issuer_authentication,
                scripts=scripts,
            ),
            reason=reason,
        )
        self.stage = Stage.DONE
        self.result = result
        out: list[ReaderMessage] = []
        if outcome in (TxnOutcome.APPROVED, TxnOutcome.DECLINED, TxnOutcome.HOST_UNREACHABLE):
            out.append(self._display(DisplayCode.REMOVE_CARD))
            out.append(self._display(code))
        else:
            out.append(self._display(code))
            if self.card_inserted:
                out.append(self._display(DisplayCode.REMOVE_CARD))
        out.append(result)
        return out

    def _display(self, code: DisplayCode) -> DisplayText:
        return display(self.txn_id, code)

    def _fault(self, code: FaultCode, text: str) -> ReaderFault:
        return ReaderFault(code=code, text=text, txn_id=self.txn_id)

    def _require(self, stage: Stage, message: str) -> None:
        if self.stage != stage:
            raise CardActionError(f"{message} (the reader waits for {self.stage.value})")
