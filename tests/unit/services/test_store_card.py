"""Card attempts in the store: In Process before the authorization, the answer, the slip data."""

from __future__ import annotations

import base64
import io
from datetime import UTC, timedelta

import pytest
from PIL import Image
from sqlalchemy import text

from desktop_pos.models.errors import PaymentError
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.services.gateway.card_fields import CardRequestInvalid
from desktop_pos.services.gateway.results import CardResult
from desktop_pos.services.store import Store
from desktop_pos.services.store_card import CardSlipData
from tests.unit.services.test_store import count, make_order, pay, snapshot

NOW = make_order().created_at.astimezone(UTC) + timedelta(minutes=10)
BILL = "5730291846271901"


def signature_url() -> str:
    buffer = io.BytesIO()
    Image.new("1", (40, 12), 1).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def chip_card(**changes: str) -> CardSlipData:
    values = {
        "entry_mode": "chip",
        "cvm": "pin",
        "masked_pan": "220220******0016",
        "brand": "MIR",
        "aid": "A0000006581010",
        "application_label": "MIR",
        "cardholder": "IVANOV/IVAN",
    }
    values.update(changes)
    return CardSlipData(**values)


def approved(**changes: object) -> CardResult:
    values: dict[str, object] = {
        "billnumber": BILL,
        "state": OrderState.APPROVED,
        "response_code": "AS000",
        "approval_code": "482913",
        "rrn": "402918374651",
        "replayed": False,
        "issuer_response_code": "00",
        "issuer_data": bytes.fromhex("910A1122334455667788AABB"),
        "cardholder": "IVANOV/IVAN",
        "payment_system": "MIR",
    }
    values.update(changes)
    return CardResult(**values)  # type: ignore[arg-type]


def test_attempt_is_in_process_before_the_authorization(store: Store) -> None:
    order = make_order("C_1")
    attempt = store.begin_card_payment(order, chip_card(), NOW)
    assert attempt.amount == order.due and attempt.created_at == NOW
    assert store.order_state("C_1") is OrderState.IN_PROCESS
    with pytest.raises(PaymentError) as refused:
        store.check_card_payable("C_1")
    assert "еще обрабатывается" in refused.value.text.ru
    with pytest.raises(PaymentError):
        store.begin_card_payment(order, chip_card(), NOW)  # still processing
    with pytest.raises(PaymentError):
        pay(store, order)
    [candidate] = store.resync_candidates(
        NOW + timedelta(seconds=1), states=(OrderState.IN_PROCESS,)
    )
    assert candidate.attempt_id == attempt.attempt_id
    assert candidate.method is PaymentMethod.CARD_READER and candidate.billnumber is None
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None and stored.state is OrderState.IN_PROCESS
    assert (stored.masked_pan, stored.brand, stored.aid, stored.cardholder) == (
        "220220******0016",
        "MIR",
        "A0000006581010",
        "IVANOV/IVAN",
    )
    assert stored.rrn is None and stored.tvr is None


def test_approval_stores_the_slip_data_and_queues_the_receipt(store: Store) -> None:
    attempt = store.begin_card_payment(make_order("C_2"), chip_card(), NOW)
    assert store.record_card_authorization(attempt.attempt_id, approved(), NOW)
    store.record_card_transaction_end(attempt.attempt_id, NOW, tvr="0000008000", tsi="e800")
    assert store.order_state("C_2") is OrderState.APPROVED
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None
    assert (stored.billnumber, stored.response_code, stored.rrn, stored.auth_code) == (
        BILL,
        "AS000",
        "402918374651",
        "482913",
    )
    assert (stored.issuer_response_code, stored.tvr, stored.tsi) == ("00", "0000008000", "E800")
    result = store.load_result("C_2")
    assert result is not None and result.method is PaymentMethod.CARD_READER
    assert result.state is OrderState.APPROVED and result.fiscal_state is FiscalState.NEW
    details = store.load_details("C_2")
    assert details is not None and details.paid_at == NOW
    assert [entry.kind for entry in details.outbox] == ["register_cash"]  # the fiscal receipt
    with pytest.raises(PaymentError) as refused:
        store.check_card_payable("C_2")
    assert "уже оплачен" in refused.value.text.ru
    # a replayed answer changes nothing
    assert not store.record_card_authorization(attempt.attempt_id, approved(replayed=True), NOW)
    assert count(store, "receipts") == 1


def test_decline_then_a_new_attempt_of_the_same_order(store: Store) -> None:
    order = make_order("C_3")
    first = store.begin_card_payment(order, chip_card(masked_pan="411111******0518"), NOW)
    declined = approved(
        state=OrderState.DECLINED,
        response_code="AS102",
        approval_code=None,
        rrn=None,
        issuer_response_code="51",
    )
    assert store.record_card_authorization(first.attempt_id, declined, NOW)
    assert store.order_state("C_3") is OrderState.DECLINED
    store.check_card_payable("C_3")  # a declined order may be paid again
    second = store.begin_card_payment(order, chip_card(), NOW + timedelta(minutes=1))
    assert store.other_billnumbers("C_3", second.attempt_id) == {BILL}
    assert store.record_card_authorization(
        second.attempt_id, approved(billnumber="5730291846271902"), NOW
    )
    states = [(p.state, p.issuer_response_code) for p in store.card_payments_of_order("C_3")]
    assert states == [(OrderState.DECLINED, "51"), (OrderState.APPROVED, "00")]
    assert count(store, "receipts") == 1


def test_in_process_answer_then_settled_by_orderstate(store: Store) -> None:
    attempt = store.begin_card_payment(make_order("C_4"), chip_card(), NOW)
    pending = approved(state=OrderState.IN_PROCESS, response_code="AS300", approval_code=None)
    assert not store.record_card_authorization(attempt.attempt_id, replace_rrn(pending), NOW)
    assert store.order_state("C_4") is OrderState.IN_PROCESS
    # the sync worker's settling path (record_attempt_outcome) makes the receipt for a card too
    assert store.record_attempt_outcome(
        attempt.attempt_id, OrderState.APPROVED, NOW, billnumber=BILL, response_code="AS000"
    )
    result = store.load_result("C_4")
    assert result is not None and result.fiscal_state is FiscalState.NEW
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None and stored.billnumber == BILL


def replace_rrn(result: CardResult) -> CardResult:
    from dataclasses import replace

    return replace(result, rrn=None)


def test_end_an_attempt_that_was_not_authorized(store: Store) -> None:
    order = make_order("C_5")
    attempt = store.begin_card_payment(order, chip_card(), NOW)
    assert store.end_card_attempt(attempt.attempt_id, OrderState.DECLINED, NOW)
    assert store.order_state("C_5") is OrderState.DECLINED
    assert not store.end_card_attempt(attempt.attempt_id, OrderState.CANCELED, NOW)  # kept
    with pytest.raises(ValueError, match="cannot be ended"):
        store.end_card_attempt(attempt.attempt_id, OrderState.APPROVED, NOW)
    pay(store, order)  # payable again


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"masked_pan": "2202200000000016"}, "masked_pan"),
        ({"masked_pan": "2202 2000 0000 0016"}, "masked_pan"),
        ({"masked_pan": "220220*0016"}, "masked_pan"),
        ({"cardholder": "IVANOV 2202200000000016"}, "cardholder"),
        ({"application_label": "4111111111111111"}, "application_label"),
        ({"entry_mode": "keyed"}, "entry_mode"),
        ({"aid": "a0000006581010"}, "aid"),
        ({"cvm": "signature"}, "signature"),
        ({"cvm": "signature", "signature": "data:image/png;base64," + "A" * 4000}, "signature"),
    ],
)
def test_card_data_that_cannot_be_stored(store: Store, changes: dict[str, str], field: str) -> None:
    order = make_order("C_6")
    pay(store, make_order("OTHER"))
    before = snapshot(store)
    with pytest.raises(CardRequestInvalid) as invalid:
        store.begin_card_payment(order, chip_card(**changes), NOW)
    assert invalid.value.field == field
    assert snapshot(store) == before
    assert count(store, "card_details") == 0


def test_signature_is_stored_with_the_payment(store: Store) -> None:
    url = signature_url()
    card = chip_card(entry_mode="magstripe", cvm="signature", aid="", signature=url)
    attempt = store.begin_card_payment(make_order("C_7"), card, NOW)
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None and stored.signature == url and len(url) <= 4000
    png = base64.b64decode(url.removeprefix("data:image/png;base64,"))
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_slip_print_mark_is_kept_once(store: Store) -> None:
    attempt = store.begin_card_payment(make_order("C_8"), chip_card(), NOW)
    assert store.mark_card_slip_printed(attempt.attempt_id, NOW)
    assert not store.mark_card_slip_printed(attempt.attempt_id, NOW + timedelta(minutes=1))
    stored = store.card_payment(attempt.attempt_id)
    assert stored is not None and stored.slip_printed_at == NOW


def test_no_clear_card_number_in_the_database(store: Store) -> None:
    attempt = store.begin_card_payment(make_order("C_9"), chip_card(), NOW)
    store.record_card_authorization(attempt.attempt_id, approved(), NOW)
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM card_details")).all()
    dump = " ".join(str(value) for row in rows for value in row)
    assert "2202200000000016" not in dump and "220220******0016" in dump


def test_signature_refused_is_stored_cancelled_and_the_order_stays_payable(store: Store) -> None:
    from desktop_pos.services.journal import JournalFilter, journal_page, order_details

    order = make_order("C_10")
    card = chip_card(entry_mode="magstripe", cvm="signature", aid="")  # ✗: no signature
    attempt_id = store.record_card_cancelled(order, card, NOW)
    assert store.order_state("C_10") is OrderState.CANCELED
    [stored] = store.card_payments_of_order("C_10")
    assert stored.attempt_id == attempt_id and stored.state is OrderState.CANCELED
    assert stored.billnumber is None and stored.response_code is None
    assert stored.masked_pan == "220220******0016" and stored.cvm == "signature"
    assert stored.signature is None and stored.rrn is None
    assert count(store, "receipts") == 0 and count(store, "outbox") == 0
    assert store.resync_candidates(NOW + timedelta(seconds=1)) == []

    cancelled = JournalFilter(
        states=frozenset({OrderState.CANCELED}), method=PaymentMethod.CARD_READER
    )
    [row] = journal_page(store, cancelled).rows
    assert row.number == "C_10" and row.billnumber is None and row.paid_at is None
    assert journal_page(store, JournalFilter(states=frozenset({OrderState.APPROVED}))).rows == ()
    details = order_details(store, "C_10")
    assert details is not None
    assert [(a.attempt_id, a.method, a.state) for a in details.attempts] == [
        (attempt_id, PaymentMethod.CARD_READER.value, OrderState.CANCELED.value)
    ]

    store.check_card_payable("C_10")  # payable again
    again = store.begin_card_payment(order, chip_card(), NOW + timedelta(minutes=1))
    assert store.record_card_authorization(again.attempt_id, approved(), NOW)
    states = [p.state for p in store.card_payments_of_order("C_10")]
    assert states == [OrderState.CANCELED, OrderState.APPROVED]


def test_cancelled_before_a_card_was_read_has_no_card_data(store: Store) -> None:
    from desktop_pos.services.journal import order_details

    order = make_order("C_11")
    attempt_id = store.record_card_cancelled(order, None, NOW)
    assert store.order_state("C_11") is OrderState.CANCELED
    assert store.card_payments_of_order("C_11") == [] and count(store, "card_details") == 0
    details = order_details(store, "C_11")
    assert details is not None and [a.attempt_id for a in details.attempts] == [attempt_id]
    assert details.order.method is PaymentMethod.CARD_READER
    pay(store, order)  # payable again


def test_pin_tries_exceeded_is_stored_declined_with_an_unchosen_cvm(store: Store) -> None:
    attempt_id = store.record_card_cancelled(
        make_order("C_12"), chip_card(cvm=""), NOW, state=OrderState.DECLINED
    )
    stored = store.card_payment(attempt_id)
    assert stored is not None and stored.state is OrderState.DECLINED and stored.cvm == ""
    assert store.order_state("C_12") is OrderState.DECLINED


def test_a_cancelled_attempt_is_refused_for_a_paid_order_or_bad_card_data(store: Store) -> None:
    order = make_order("C_13")
    with pytest.raises(ValueError, match="before its authorization"):
        store.record_card_cancelled(order, None, NOW, state=OrderState.APPROVED)
    before = snapshot(store)
    for bad in (chip_card(masked_pan="2202200000000016"), chip_card(cvm="voice")):
        with pytest.raises(CardRequestInvalid):
            store.record_card_cancelled(order, bad, NOW)
    assert snapshot(store) == before
    pay(store, order)
    with pytest.raises(PaymentError):
        store.record_card_cancelled(order, None, NOW)
    assert store.order_state("C_13") is OrderState.OFFLINE
