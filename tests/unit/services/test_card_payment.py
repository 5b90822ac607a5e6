"""Card payments through the real stack, one test per scenario of the card payment issue.

Emulated readers (Bluepad-like "PP0918900518", QPOS-like "MPOS0000000001") on the virtual radio
are reached through bleak (``ReaderLink`` on the bumble backend); the sandbox gateway runs as a
subprocess; the store is SQLite; ``ScriptedUi`` plays the cashier and answers the dialogs.
"""

from __future__ import annotations

import asyncio
import base64
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from desktop_pos.hardware.reader.messages import (
    Cvm,
    DisplayCode,
    EntryMode,
    TxnOutcome,
)
from desktop_pos.models.card_display_texts import outcome_text
from desktop_pos.models.errors import PaymentError
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.response_codes import lookup_response_code
from desktop_pos.models.texts import LocalizedText
from desktop_pos.sandbox.card_reader.test_cards import AID_MAESTRO, AID_MIR
from desktop_pos.services.card_payment import CardPaymentOutcome
from desktop_pos.services.card_payment_types import (
    APPROVAL_CANCELLED,
    READER_LOST,
    SIGNATURE_REFUSED,
)
from desktop_pos.services.events import OrderStateChanged
from desktop_pos.services.journal import OrderDetails, order_details
from desktop_pos.services.payment_messages import ALREADY_PAID, STILL_PROCESSING
from desktop_pos.services.remote_payment import PollUpdate
from desktop_pos.services.store import Store
from desktop_pos.services.store_card import StoredCardPayment
from tests.card_payment_rig import CardRig, ScriptedUi, make_order, run_card, scribble_signature
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxGatewayProcess]:
    path = tmp_path_factory.mktemp("card_gateway") / "gateway.sqlite3"
    with SandboxGatewayProcess(path, extra_args=FAST_DELAYS) as process:
        yield process


@pytest.fixture
def pos_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'pos.sqlite3'}")
    yield store
    store.close()


Paid = tuple[CardPaymentOutcome, ScriptedUi]


def number(tag: str) -> str:
    return f"CP-{tag}-{uuid.uuid4().hex[:8]}"


def assert_approved(outcome: CardPaymentOutcome, *, issuer_code: str | None = "00") -> None:
    assert outcome.state is OrderState.APPROVED, outcome.reason
    assert outcome.paid and outcome.reason is None and not outcome.retry_allowed
    assert outcome.result is not None and outcome.result.state is OrderState.APPROVED
    payment = outcome.payment
    assert payment is not None and payment.state is OrderState.APPROVED
    assert payment.response_code == "AS000" and payment.issuer_response_code == issuer_code
    assert payment.rrn and payment.auth_code and payment.billnumber
    assert payment.tvr is not None and payment.tsi is not None


def charges(gateway: SandboxGatewayProcess, order_number: str) -> list[dict[str, object]]:
    return gateway.registrations(order_number)


def test_contactless_150_needs_no_cvm(pos_store: Store, gateway: SandboxGatewayProcess) -> None:
    order = make_order(number("nfc"), "150.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "visa_contactless")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert_approved(outcome)
    assert outcome.slip is not None and outcome.slip.entry_mode == "nfc"
    assert outcome.slip.cvm == "none" and outcome.slip.masked_pan == "422000******0006"
    assert ui.codes[:2] == [DisplayCode.PRESENT_CARD, DisplayCode.CARD_TAPPED]
    assert DisplayCode.ENTER_PIN not in ui.codes and ui.signatures_asked == 0
    assert ui.choices_offered == [] and ui.authorizing_calls == 1
    assert ui.codes[-2:] == [DisplayCode.REMOVE_CARD, DisplayCode.APPROVED]
    assert [c["orderstate"] for c in charges(gateway, order.number)] == ["Approved"]


def test_contactless_3500_asks_for_the_pin(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("nfcpin"), "3500.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "visa_contactless")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert_approved(outcome)
    assert outcome.slip is not None and outcome.slip.cvm == "pin"
    assert DisplayCode.ENTER_PIN in ui.codes and DisplayCode.PIN_OK in ui.codes


def test_mir_chip_with_pin(pos_store: Store, gateway: SandboxGatewayProcess) -> None:
    order = make_order(number("mir"), "1200.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "mir_chip_pin")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert_approved(outcome)
    assert outcome.payment is not None
    assert outcome.payment.entry_mode == "chip" and outcome.payment.cvm == "pin"
    assert outcome.payment.aid == AID_MIR.hex().upper() and outcome.payment.brand == "MIR"
    assert outcome.payment.terminal_id == "MPOS0000000001"
    assert DisplayCode.CARD_INSERTED in ui.codes and DisplayCode.ENTER_PIN in ui.codes
    assert ui.cvms == [Cvm.PIN_ON_READER]  # shown while the payment runs, before the result


def test_wrong_pin_then_the_right_one(pos_store: Store, gateway: SandboxGatewayProcess) -> None:
    order = make_order(number("pin2"), "800.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "mir_wrong_pin_then_right")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert_approved(outcome)
    assert not outcome.pin_error
    wrong = ui.codes.index(DisplayCode.WRONG_PIN)
    assert ui.codes[wrong + 1] == DisplayCode.ENTER_PIN
    assert DisplayCode.PIN_OK in ui.codes[wrong:]


def test_pin_tries_exceeded_is_the_wrong_pin_path(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("pin3"), "800.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "mir_pin_tries_exceeded")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.DECLINED and outcome.pin_error
    assert outcome.reason == outcome_text(TxnOutcome.PIN_TRIES_EXCEEDED)
    assert outcome.retry_allowed and outcome.attempt_id == "" and outcome.result is None
    assert ui.codes.count(DisplayCode.WRONG_PIN) == 3
    assert charges(gateway, order.number) == []


def test_issuer_wrong_pin_decline_sets_pin_error(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("pin55"), "800.52")  # the sandbox: Declined AS106 (wrong PIN)

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "mir_chip_pin")

    outcome, _ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.DECLINED and outcome.pin_error
    assert outcome.response_code == "AS106" and outcome.retry_allowed
    assert outcome.reason == lookup_response_code("AS106").text


def test_co_badged_on_qpos_asks_the_app_and_uses_maestro(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("qpos"), "640.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        ui = ScriptedUi(application_label="Maestro")
        return await rig.pay(order, "cobadge_mir_maestro", ui, entry_mode=EntryMode.CHIP)

    outcome, ui = run_card(pos_store, gateway, scenario, model="qpos")
    assert_approved(outcome)
    assert ui.choices_offered == [("MIR", "Maestro")]
    assert outcome.payment is not None
    assert outcome.payment.aid == AID_MAESTRO.hex().upper() == "A0000000043060"
    assert outcome.payment.application_label == "Maestro"
    assert outcome.payment.brand == "MAESTRO"
    assert ui.cards[0].aid == AID_MAESTRO


def test_co_badged_on_bluepad_is_chosen_on_the_reader(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("bluepad"), "640.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "cobadge_mir_maestro", entry_mode=EntryMode.CHIP)

    outcome, ui = run_card(pos_store, gateway, scenario, model="bluepad")
    assert_approved(outcome)
    assert ui.choices_offered == []
    assert DisplayCode.SELECT_APPLICATION in ui.codes
    assert outcome.payment is not None and outcome.payment.aid == AID_MIR.hex().upper()
    assert outcome.payment.terminal_id == "PP0918900518"


def test_magstripe_with_signature(pos_store: Store, gateway: SandboxGatewayProcess) -> None:
    order = make_order(number("sign"), "2100.00")
    signature = scribble_signature()

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, "magstripe_signature", ScriptedUi(signature=signature))

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert_approved(outcome)
    assert ui.signatures_asked == 1 and DisplayCode.CARD_SWIPED in ui.codes
    stored = outcome.payment
    assert stored is not None and stored.cvm == "signature" and stored.entry_mode == "magstripe"
    assert stored.signature == signature and len(stored.signature) <= 4000
    png = base64.b64decode(stored.signature.removeprefix("data:image/png;base64,"))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == (300, 100)
    sent = charges(gateway, order.number)[0]["request"]
    assert isinstance(sent, dict) and sent["signature"] == signature


def test_signature_refused_leaves_the_order_unpaid(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("nosign"), "2100.00")

    changes: list[OrderStateChanged] = []
    stored: list[StoredCardPayment] = []
    details: list[OrderDetails | None] = []

    async def scenario(rig: CardRig) -> tuple[Paid, CardPaymentOutcome]:
        rig.events.subscribe(OrderStateChanged, changes.append)
        refused = await rig.pay(order, "magstripe_signature", ScriptedUi(signature=None))
        stored.extend(await rig.store.call(Store.card_payments_of_order, order.number))
        details.append(await rig.store.call(order_details, order.number))
        await rig.service.check_payable(order)  # payable again: nothing blocks it
        signed = ScriptedUi(signature=scribble_signature())
        retried, _ = await rig.pay(order, "magstripe_signature", signed)
        return refused, retried

    (outcome, ui), retried = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.CANCELED and not outcome.paid
    assert outcome.reason == SIGNATURE_REFUSED and outcome.retry_allowed
    assert ui.signatures_asked == 1 and ui.authorizing_calls == 0
    assert ui.cvms == [Cvm.SIGNATURE]
    assert DisplayCode.CANCELLED in ui.codes
    [cancelled] = stored  # the state is recorded: a Canceled card attempt, masked data only
    assert cancelled.state is OrderState.CANCELED and cancelled.billnumber is None
    assert cancelled.cvm == "signature" and cancelled.entry_mode == "magstripe"
    assert "******" in cancelled.masked_pan and cancelled.signature is None
    [journal] = details
    assert journal is not None and journal.order.method is PaymentMethod.CARD_READER
    assert journal.order.state is OrderState.CANCELED and journal.order.billnumber is None
    assert [a.state for a in journal.attempts] == [OrderState.CANCELED.value]
    assert OrderStateChanged(order.number, OrderState.CANCELED, None) in changes
    assert_approved(retried)
    [charge] = charges(gateway, order.number)  # only the retry reached the gateway
    assert charge["attempt_id"] == retried.attempt_id
    states = [p.state for p in pos_store.card_payments_of_order(order.number)]
    assert states == [OrderState.CANCELED, OrderState.APPROVED]


def test_decline_gives_the_reason_and_a_retry_with_another_card_is_approved(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("decline"), "990.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, CardPaymentOutcome]:
        declined, _ = await rig.pay(order, "visa_insufficient_funds")
        retried, _ = await rig.pay(order, "mir_chip_pin")
        return declined, retried

    declined, retried = run_card(pos_store, gateway, scenario)
    assert declined.state is OrderState.DECLINED and declined.retry_allowed
    assert declined.response_code == "AS102" and not declined.pin_error
    assert declined.reason == lookup_response_code("AS102").text
    assert declined.payment is not None and declined.payment.issuer_response_code == "51"
    assert_approved(retried)
    assert retried.attempt_id != declined.attempt_id
    states = {c["attempt_id"]: c["orderstate"] for c in charges(gateway, order.number)}
    assert states == {declined.attempt_id: "Declined", retried.attempt_id: "Approved"}
    stored = pos_store.card_payments_of_order(order.number)
    assert [p.state for p in stored] == [OrderState.DECLINED, OrderState.APPROVED]


def test_answer_lost_after_commit_is_settled_by_polling(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("lost"), "450.00")
    updates: list[PollUpdate] = []

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, CardPaymentOutcome, str]:
        first, _ui = await rig.pay(order, "mir_chip_pin")
        try:
            await rig.service.check_payable(order)
        except PaymentError as exc:
            refused = exc.text.ru
        else:
            refused = ""
        settled = await rig.service.watch(first, updates.append)
        return first, settled, refused

    gateway.set_faults(card_authorize={"lost_after_commit": 1})
    try:
        first, settled, refused = run_card(pos_store, gateway, scenario)
    finally:
        gateway.clear_faults()
    assert first.state is OrderState.IN_PROCESS and not first.retry_allowed
    assert first.result is not None and first.result.state is OrderState.IN_PROCESS
    assert refused == STILL_PROCESSING.ru.format(number=order.number)
    assert_approved(settled, issuer_code=None)  # orderstate carries no issuer code
    assert updates[-1].state is OrderState.APPROVED
    registered = charges(gateway, order.number)
    assert len(registered) == 1 and registered[0]["orderstate"] == "Approved"
    assert settled.billnumber == registered[0]["billnumber"]


def test_paying_an_approved_order_again_is_refused(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("twice"), "300.00")

    async def scenario(rig: CardRig) -> str:
        outcome, _ = await rig.pay(order, "visa_contactless")
        assert outcome.paid
        with pytest.raises(PaymentError) as refused:
            await rig.pay(order, "visa_contactless")
        return refused.value.text.ru

    refused = run_card(pos_store, gateway, scenario)
    assert refused == ALREADY_PAID.ru.format(number=order.number)
    assert len(charges(gateway, order.number)) == 1


def test_reader_lost_before_the_authorization_cancels(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("drop1"), "700.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        from desktop_pos.hardware.reader.messages import CardRead

        rig.reader.drop_after(CardRead)
        return await rig.pay(order, "mir_chip_pin")

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.CANCELED and outcome.reason == READER_LOST
    assert outcome.retry_allowed and ui.authorizing_calls == 0
    assert charges(gateway, order.number) == []
    assert_cancelled_and_payable(pos_store, order.number, card_read=True)


def test_reader_lost_after_the_authorization_request_never_charges_an_unpaid_order(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("drop2"), "700.00")

    async def scenario(rig: CardRig) -> CardPaymentOutcome:
        from desktop_pos.hardware.reader.messages import AuthorizationRequest

        rig.reader.drop_after(AuthorizationRequest)
        outcome, _ = await rig.pay(order, "mir_chip_pin")
        return outcome

    outcome = run_card(pos_store, gateway, scenario)
    registered = charges(gateway, order.number)
    assert len(registered) == 1
    if outcome.state is OrderState.CANCELED:  # the approval could not reach the reader
        assert outcome.reason == APPROVAL_CANCELLED
        assert registered[0]["canceled"] or registered[0]["orderstate"] == "Canceled"
    else:  # the reader took the approval before the link went
        assert outcome.state is OrderState.APPROVED
        assert registered[0]["orderstate"] == "Approved"
    assert pos_store.card_payments_of_order(order.number)[0].state is outcome.state


def test_esc_while_the_signature_is_asked_cancels(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("esc"), "2100.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        ui = ScriptedUi(signature=scribble_signature(), hold_signature=True)
        paying = asyncio.ensure_future(rig.pay(order, "magstripe_signature", ui))
        await asyncio.wait_for(ui.signature_shown.wait(), 10)
        await rig.service.cancel()
        return await paying

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.CANCELED
    assert outcome.reason == outcome_text(TxnOutcome.CANCELLED_BY_HOST)
    assert ui.dialog_cancelled and ui.authorizing_calls == 0
    assert charges(gateway, order.number) == []
    assert_cancelled_and_payable(pos_store, order.number, card_read=True)


def test_esc_while_waiting_for_the_card_cancels(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    order = make_order(number("esc2"), "210.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        ui = ScriptedUi()
        paying = asyncio.ensure_future(rig.service.pay(order, rig.link, ui))
        while DisplayCode.PRESENT_CARD not in ui.codes:
            await asyncio.sleep(0.01)
        await rig.service.cancel()
        return await paying, ui

    outcome, ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.CANCELED and outcome.retry_allowed
    assert ui.codes[-1] == DisplayCode.CANCELLED
    assert_cancelled_and_payable(pos_store, order.number, card_read=False)


def assert_cancelled_and_payable(store: Store, number: str, *, card_read: bool) -> None:
    """The payment ended before its authorization: stored Canceled, the order payable again."""
    details = order_details(store, number)
    assert details is not None and details.order.state is OrderState.CANCELED
    assert [(a.method, a.state, a.billnumber) for a in details.attempts] == [
        (PaymentMethod.CARD_READER.value, OrderState.CANCELED.value, None)
    ]
    cards = store.card_payments_of_order(number)
    assert len(cards) == (1 if card_read else 0)
    assert all("******" in card.masked_pan and card.signature is None for card in cards)
    store.check_card_payable(number)


@pytest.mark.parametrize(
    ("card_id", "reader_outcome"),
    [
        ("card_removed_early", TxnOutcome.CARD_REMOVED),
        ("cancel_on_reader", TxnOutcome.CANCELLED_ON_READER),
    ],
)
def test_card_removed_or_cancelled_on_the_reader(
    pos_store: Store, gateway: SandboxGatewayProcess, card_id: str, reader_outcome: TxnOutcome
) -> None:
    order = make_order(number("abort"), "500.00")

    async def scenario(rig: CardRig) -> tuple[CardPaymentOutcome, ScriptedUi]:
        return await rig.pay(order, card_id)

    outcome, _ui = run_card(pos_store, gateway, scenario)
    assert outcome.state is OrderState.CANCELED and outcome.retry_allowed
    assert outcome.reason == outcome_text(reader_outcome)
    assert charges(gateway, order.number) == []
    assert_cancelled_and_payable(pos_store, order.number, card_read=True)


def test_low_battery_is_announced_and_an_exhausted_reader_refuses(
    pos_store: Store, gateway: SandboxGatewayProcess
) -> None:
    low = make_order(number("batt"), "150.00")
    empty = make_order(number("batt0"), "150.00")

    async def scenario(rig: CardRig) -> tuple[Paid, Paid]:
        paid, low_ui = await rig.pay(low, "visa_contactless")
        rig.reader.set_battery(3)
        await asyncio.sleep(0.1)
        refused, empty_ui = await rig.pay(empty, "visa_contactless")
        return (paid, low_ui), (refused, empty_ui)

    (paid, low_ui), (refused, empty_ui) = run_card(pos_store, gateway, scenario, battery_level=12)
    assert paid.paid and paid.low_battery and low_ui.low_battery_levels == [12]
    assert refused.state is OrderState.CANCELED and refused.low_battery
    assert empty_ui.low_battery_levels == [3]
    assert isinstance(refused.reason, LocalizedText)
    assert refused.reason.ru.startswith("Недостаточный заряд батареи картридера.")
