"""The store's part of card payments: the attempt, its authorization and the slip's data.

A card attempt is written **In Process** before the gateway is asked to authorize it
(``begin_card_payment``), with what the reader said about the card (``CardSlipData``): a crash,
a timeout or a reply lost after the gateway committed leaves a known state, which the sync
worker settles by asking ``orderstate`` like any attempt In Process (docs/sync.md). While it is
In Process the order refuses every other payment («still processing»); once Approved, «already
paid».

The gateway's answer (``record_card_authorization``) sets the attempt's state, billnumber and
response code, the slip's RRN, authorization code and the issuer's code, in one transaction;
an approval gets its sell receipt and the outbox entry for its fiscal data there too
(``store_remote.after_outcome``, as for SBP). The reader's end of the transaction adds TVR and
TSI (``record_card_transaction_end``). A request that never reached the gateway or that it
refused ends the attempt (``end_card_attempt``) so the order can be paid again. A payment that
ended before its authorization was asked (✗ on the signature, Esc, cancelled on the reader, card
removed, reader lost) is stored at once as a final attempt (``record_card_cancelled``): the
journal shows it, nothing is at the gateway, the order stays payable.

Clear card numbers are never stored: every text is checked, and only a masked PAN
(``220220******1234``) is accepted.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.orm import Session

from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState, PaymentMethod, can_transition
from desktop_pos.models.schema import (
    CardDetailsRow,
    OrderRow,
    PaymentAttemptRow,
    parse_stored,
)
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.gateway.card_fields import (
    AID_HEX,
    CVMS,
    ENTRY_MODES,
    PAYMENT_SYSTEM,
    CardRequestInvalid,
    check_signature,
    is_masked_pan,
)
from desktop_pos.services.gateway.results import CardResult
from desktop_pos.services.payment_messages import payment_refused
from desktop_pos.services.store_records import OutcomeChange
from desktop_pos.services.store_remote import after_outcome
from desktop_pos.services.store_sync_writes import _apply, _require_aware

log = logging.getLogger(__name__)

_CARD_NUMBER_LIKE = re.compile(r"\d[\d ]{11,}\d")
"""12 or more digits in a row (spaces allowed): something that may be a card number."""
_TVR = re.compile(r"[0-9A-F]{10}")
_TSI = re.compile(r"[0-9A-F]{4}")
_RRN = re.compile(r"[0-9A-Za-z]{12}")
_AUTH_CODE = re.compile(r"[0-9A-Z]{6}")
_ISSUER_CODE = re.compile(r"[0-9A-Z]{2}")
_MAX_TEXT = {"application_label": 32, "cardholder": 64, "terminal_id": 32}


def _bad(field: str, en: str, ru: str) -> CardRequestInvalid:
    return CardRequestInvalid(
        LocalizedText(
            f"Данные карты не сохранены ({field}: {ru}).",
            f"The card data were not stored ({field}: {en}).",
        ),
        field=field,
    )


@dataclass(frozen=True, slots=True)
class CardSlipData:
    """What the reader reported about the card, stored before the authorization."""

    entry_mode: str
    """``nfc``, ``chip`` or ``magstripe``."""
    cvm: str
    """``pin``, ``signature`` or ``none``."""
    masked_pan: str
    """``220220******1234`` — a clear card number is refused."""
    brand: str
    """The payment system: ``MIR``, ``VISA``, ``MASTERCARD``, ``MAESTRO``."""
    aid: str = ""
    """Upper-case hex, ``A0000006581010`` (empty for a magstripe swipe)."""
    application_label: str = ""
    cardholder: str = ""
    signature: str = ""
    """``data:image/png;base64,…`` (≤ 4000 characters) when ``cvm`` is ``signature``."""
    terminal_id: str = ""
    """The serial of the reader (``PP0918900518``): Терминал on the slip."""

    def check(self) -> None:
        """``CardRequestInvalid`` naming the first field that cannot be stored."""
        self.check_masked_fields()
        if self.cvm not in CVMS:
            raise _bad("cvm", f"one of {', '.join(CVMS)}", "неизвестный способ проверки")
        check_signature(self.signature, self.cvm)

    def check_masked_fields(self) -> None:
        """``check`` without the CVM and the signature: what a payment cancelled before its
        authorization keeps (its CVM may not be chosen yet, its signature is not stored)."""
        if self.entry_mode not in ENTRY_MODES:
            raise _bad("entry_mode", f"one of {', '.join(ENTRY_MODES)}", "неизвестный способ")
        if not is_masked_pan(self.masked_pan):
            raise _bad("masked_pan", "only a masked card number is stored", "номер не маскирован")
        if not PAYMENT_SYSTEM.fullmatch(self.brand):
            raise _bad("brand", "MIR, VISA, MASTERCARD, …", "неизвестная платёжная система")
        if self.aid and not AID_HEX.fullmatch(self.aid):
            raise _bad("aid", "5-16 bytes, upper-case hex", "неверный AID")
        for name, limit in _MAX_TEXT.items():
            value: str = getattr(self, name)
            if len(value) > limit:
                raise _bad(name, f"at most {limit} characters", f"не больше {limit} символов")
            if _CARD_NUMBER_LIKE.search(value):
                raise _bad(name, "looks like a card number", "похоже на номер карты")


@dataclass(frozen=True, slots=True)
class CardAttempt:
    """A card attempt written before its authorization."""

    order_number: str
    attempt_id: str
    amount: Decimal
    transaction_number: str
    created_at: datetime
    """«Дата заказа» on the result screen (aware UTC)."""


@dataclass(frozen=True, slots=True)
class StoredCardPayment:
    """A card attempt and its slip's data, as stored."""

    order_number: str
    attempt_id: str
    state: OrderState
    amount: Decimal
    transaction_number: str
    billnumber: str | None
    response_code: str | None
    created_at: datetime
    updated_at: datetime
    entry_mode: str
    cvm: str
    masked_pan: str
    brand: str
    aid: str
    application_label: str
    cardholder: str
    terminal_id: str
    signature: str | None
    rrn: str | None
    auth_code: str | None
    issuer_response_code: str | None
    tvr: str | None
    tsi: str | None
    slip_printed_at: datetime | None


def _checked(pattern: re.Pattern[str], value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not pattern.fullmatch(value):
        raise ValueError(f"{name} {value!r} cannot be stored")
    return value


class CardPaymentStoreMethods:
    """Mixed into ``Store``: card attempts and their slip data."""

    _engine: Engine

    def check_card_payable(self, number: str) -> None:
        """``PaymentError`` «already paid» / «still processing» when the order cannot take a new
        payment now (checked before the card is asked for; ``begin_card_payment`` checks
        again)."""
        with Session(self._engine) as session, session.begin():
            state = session.scalar(select(OrderRow.state).where(OrderRow.number == number))
        if state is None:
            return
        parsed = parse_stored(OrderState, state, number, "orders.state")
        from desktop_pos.services.store import BLOCKING_STATES

        if parsed in BLOCKING_STATES:
            raise payment_refused(number, parsed)

    def begin_card_payment(
        self, order: Order, card: CardSlipData, now: datetime, *, source: str = "manual"
    ) -> CardAttempt:
        """Write the order, a card attempt In Process and its card data, before the gateway is
        asked. Raises ``PaymentError`` if the order is paid or its payment is in process, and
        ``CardRequestInvalid`` for card data that cannot be stored; then nothing is written."""
        from desktop_pos.services import store as store_module  # the shared sale helpers

        _require_aware(now, "now")
        order.validate_for_payment()
        card.check()
        with Session(self._engine) as session, session.begin():
            order_row = store_module.claim_order_for_payment(session, order, source, now)
            order_row.state = OrderState.IN_PROCESS.value
            order_row.method = PaymentMethod.CARD_READER.value
            order_row.paid_at = None
            order_row.billnumber = None
            order_row.fiscal_state = None
            session.flush()
            attempt = PaymentAttemptRow(
                order_id=order_row.id,
                attempt_id=str(uuid.uuid4()),
                method=PaymentMethod.CARD_READER.value,
                state=OrderState.IN_PROCESS.value,
                amount=order.due,
                transaction_number=store_module.unused_transaction_number(session),
                created_at=now,
                updated_at=now,
            )
            session.add(attempt)
            session.flush()
            session.add(
                CardDetailsRow(
                    attempt_id=attempt.id,
                    entry_mode=card.entry_mode,
                    cvm=card.cvm,
                    masked_pan=card.masked_pan,
                    brand=card.brand,
                    aid=card.aid,
                    application_label=card.application_label,
                    cardholder=card.cardholder,
                    terminal_id=card.terminal_id,
                    signature=card.signature or None,
                    created_at=now,
                    updated_at=now,
                )
            )
            log.info("order %s: card attempt %s stored In Process", order.number, attempt.id)
            return CardAttempt(
                order.number,
                attempt.attempt_id,
                order.due,
                attempt.transaction_number,
                now,
            )

    def record_card_authorization(self, attempt_id: str, result: CardResult, now: datetime) -> bool:
        """Store the gateway's answer; True if the attempt's state changed.

        The state moves only along ``ALLOWED_TRANSITIONS`` (a stale answer never moves a
        settled attempt back); an approval gets its sell receipt and fiscal outbox entry in the
        same transaction.
        """
        _require_aware(now, "now")
        rrn = _checked(_RRN, result.rrn, "rrn")
        auth_code = _checked(_AUTH_CODE, result.approval_code, "approvalcode")
        issuer_code = _checked(_ISSUER_CODE, result.issuer_response_code, "issuer_response_code")
        holder = result.cardholder.strip()[: _MAX_TEXT["cardholder"]]
        if _CARD_NUMBER_LIKE.search(holder):
            holder = ""
        with self._engine.begin() as connection:
            found = _card_attempt(connection, attempt_id)
            old = parse_stored(OrderState, found.state, found.number, "payment_attempts.state")
            _apply(
                connection,
                OutcomeChange(
                    found.order_id, found.id, result.state, result.billnumber, result.response_code
                ),
                now,
            )
            values: dict[str, object] = {"updated_at": now}
            for name, value in (
                ("rrn", rrn),
                ("auth_code", auth_code),
                ("issuer_response_code", issuer_code),
            ):
                if value is not None:
                    values[name] = value
            if holder and not found.cardholder:
                values["cardholder"] = holder
            connection.execute(
                update(CardDetailsRow).where(CardDetailsRow.attempt_id == found.id).values(values)
            )
            after_outcome(connection, found.id, result.state, now)
        changed = old is not result.state and can_transition(old, result.state)
        if not can_transition(old, result.state):
            log.warning(
                "order %s: the gateway reports %s for card attempt %s, stored %s; kept",
                found.number,
                result.state.value,
                attempt_id,
                old.value,
            )
        return changed

    def record_card_transaction_end(
        self, attempt_id: str, now: datetime, *, tvr: str, tsi: str
    ) -> None:
        """The reader's TVR and TSI (upper-case hex, 5 and 2 bytes) for the slip."""
        _require_aware(now, "now")
        values = {
            "tvr": _checked(_TVR, tvr.upper(), "tvr"),
            "tsi": _checked(_TSI, tsi.upper(), "tsi"),
            "updated_at": now,
        }
        with self._engine.begin() as connection:
            found = _card_attempt(connection, attempt_id)
            connection.execute(
                update(CardDetailsRow).where(CardDetailsRow.attempt_id == found.id).values(values)
            )

    def end_card_attempt(
        self,
        attempt_id: str,
        state: OrderState,
        now: datetime,
        *,
        response_code: str | None = None,
    ) -> bool:
        """End an attempt the gateway did not authorize: its request was refused (nothing
        done) or never sent. ``state`` is Declined, Canceled or Timeout; the order may be paid
        again. True if the state changed (a settled attempt is kept as it is)."""
        if state not in (OrderState.DECLINED, OrderState.CANCELED, OrderState.TIMEOUT):
            raise ValueError(f"a card attempt cannot be ended as {state.value}")
        _require_aware(now, "now")
        with self._engine.begin() as connection:
            found = _card_attempt(connection, attempt_id)
            old = parse_stored(OrderState, found.state, found.number, "payment_attempts.state")
            _apply(
                connection, OutcomeChange(found.order_id, found.id, state, None, response_code), now
            )
        changed = old is not state and can_transition(old, state)
        if changed:
            log.info("order %s: card attempt %s ended %s", found.number, found.id, state.value)
        return changed

    def record_card_cancelled(
        self,
        order: Order,
        card: CardSlipData | None,
        now: datetime,
        *,
        state: OrderState = OrderState.CANCELED,
        response_code: str | None = None,
        source: str = "manual",
    ) -> str:
        """Store a card payment that ended before its authorization was asked (✗ on the
        signature, Esc, cancelled on the reader, card removed, reader lost, PIN tries exceeded):
        the order and a final attempt in ``state`` (Canceled, or Declined for the PIN), without a
        billnumber, in one transaction, so the journal shows it and the order stays payable.

        ``card``: what the reader said about the card, None when no card was read; only its
        masked fields are kept (``cvm`` "" when it was not chosen yet; no signature). Returns
        the attempt's id. Raises ``PaymentError`` if the order is paid or its payment is in
        process, and ``CardRequestInvalid`` for card data that cannot be stored; then nothing
        is written."""
        from desktop_pos.services import store as store_module  # the shared sale helpers

        if state not in (OrderState.CANCELED, OrderState.DECLINED):
            raise ValueError(f"a card payment cannot end before its authorization as {state}")
        _require_aware(now, "now")
        order.validate_for_payment()
        if card is not None:
            card.check_masked_fields()
            if card.cvm not in (*CVMS, ""):
                raise _bad("cvm", f"one of {', '.join(CVMS)}", "неизвестный способ проверки")
        with Session(self._engine) as session, session.begin():
            order_row = store_module.claim_order_for_payment(session, order, source, now)
            order_row.state = state.value
            order_row.method = PaymentMethod.CARD_READER.value
            order_row.paid_at = None
            order_row.billnumber = None
            order_row.fiscal_state = None
            session.flush()
            attempt = PaymentAttemptRow(
                order_id=order_row.id,
                attempt_id=str(uuid.uuid4()),
                method=PaymentMethod.CARD_READER.value,
                state=state.value,
                amount=order.due,
                transaction_number=store_module.unused_transaction_number(session),
                response_code=response_code,
                created_at=now,
                updated_at=now,
            )
            session.add(attempt)
            session.flush()
            if card is not None:
                session.add(
                    CardDetailsRow(
                        attempt_id=attempt.id,
                        entry_mode=card.entry_mode,
                        cvm=card.cvm,
                        masked_pan=card.masked_pan,
                        brand=card.brand,
                        aid=card.aid,
                        application_label=card.application_label,
                        cardholder=card.cardholder,
                        terminal_id=card.terminal_id,
                        signature=None,
                        created_at=now,
                        updated_at=now,
                    )
                )
            log.info(
                "order %s: card attempt %s stored %s before its authorization",
                order.number,
                attempt.id,
                state.value,
            )
            return attempt.attempt_id

    def card_payment(self, attempt_id: str) -> StoredCardPayment | None:
        """The card attempt ``attempt_id`` with its slip's data, or None."""
        with Session(self._engine) as session, session.begin():
            found = _stored_card_payments(session, PaymentAttemptRow.attempt_id == attempt_id)
        return found[0] if found else None

    def card_payments_of_order(self, number: str) -> list[StoredCardPayment]:
        """Every card attempt of the order with its slip's data, oldest first."""
        with Session(self._engine) as session, session.begin():
            return _stored_card_payments(session, OrderRow.number == number)

    def mark_card_slip_printed(self, attempt_id: str, at: datetime) -> bool:
        """Record that the card slip of the attempt was printed; only the first print is kept
        (a reprint is a copy). True if this call set it."""
        _require_aware(at, "at")
        with self._engine.begin() as connection:
            found = _card_attempt(connection, attempt_id)
            done = connection.execute(
                update(CardDetailsRow)
                .where(
                    CardDetailsRow.attempt_id == found.id, CardDetailsRow.slip_printed_at.is_(None)
                )
                .values(slip_printed_at=at)
            )
            return bool(getattr(done, "rowcount", 0))

    def other_billnumbers(self, number: str, attempt_id: str) -> frozenset[str]:
        """Billnumbers the order's other attempts have: orderstate rows that are not
        ``attempt_id``'s (an attempt In Process without a billnumber is found among the rest)."""
        with Session(self._engine) as session, session.begin():
            rows = session.scalars(
                select(PaymentAttemptRow.billnumber)
                .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
                .where(
                    OrderRow.number == number,
                    PaymentAttemptRow.attempt_id != attempt_id,
                    PaymentAttemptRow.billnumber.is_not(None),
                )
            )
            return frozenset(bill for bill in rows if bill is not None)


def _card_attempt(connection: Connection, attempt_id: str) -> Row[int, int, str, str, str]:
    """The card attempt's ``id``, ``order_id``, ``state``, order ``number`` and stored
    ``cardholder``; ``LookupError`` if there is no such card attempt."""
    found = connection.execute(
        select(
            PaymentAttemptRow.id,
            PaymentAttemptRow.order_id,
            PaymentAttemptRow.state,
            OrderRow.number,
            CardDetailsRow.cardholder,
        )
        .join(OrderRow, OrderRow.id == PaymentAttemptRow.order_id)
        .join(CardDetailsRow, CardDetailsRow.attempt_id == PaymentAttemptRow.id)
        .where(PaymentAttemptRow.attempt_id == attempt_id)
    ).first()
    if found is None:
        raise LookupError(f"no card payment attempt {attempt_id}")
    return found


def _stored_card_payments(
    session: Session, condition: ColumnElement[bool]
) -> list[StoredCardPayment]:
    rows = session.execute(
        select(OrderRow.number, PaymentAttemptRow, CardDetailsRow)
        .join(PaymentAttemptRow, PaymentAttemptRow.order_id == OrderRow.id)
        .join(CardDetailsRow, CardDetailsRow.attempt_id == PaymentAttemptRow.id)
        .where(condition)
        .order_by(PaymentAttemptRow.id)
    ).all()
    return [
        StoredCardPayment(
            order_number=number,
            attempt_id=attempt.attempt_id,
            state=parse_stored(OrderState, attempt.state, number, "payment_attempts.state"),
            amount=attempt.amount,
            transaction_number=attempt.transaction_number,
            billnumber=attempt.billnumber,
            response_code=attempt.response_code,
            created_at=attempt.created_at,
            updated_at=attempt.updated_at,
            entry_mode=card.entry_mode,
            cvm=card.cvm,
            masked_pan=card.masked_pan,
            brand=card.brand,
            aid=card.aid,
            application_label=card.application_label,
            cardholder=card.cardholder,
            terminal_id=card.terminal_id,
            signature=card.signature,
            rrn=card.rrn,
            auth_code=card.auth_code,
            issuer_response_code=card.issuer_response_code,
            tvr=card.tvr,
            tsi=card.tsi,
            slip_printed_at=card.slip_printed_at,
        )
        for number, attempt, card in rows
    ]
