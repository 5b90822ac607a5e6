"""The reader-side transaction, sans-IO: every test card and condition."""

from __future__ import annotations

import pytest

from desktop_pos.hardware.reader.messages import (
    ApplicationChoice,
    ApplicationSelected,
    ApplicationSelectionRequest,
    AuthorizationOutcome,
    AuthorizationRequest,
    AuthorizationResponse,
    CardRead,
    Cvm,
    CvmResult,
    DisplayCode,
    DisplayText,
    EntryMode,
    FaultCode,
    ReaderFault,
    ReaderMessage,
    TransactionResult,
    TxnKind,
    TxnOutcome,
)
from desktop_pos.hardware.reader.tlv import find, parse_tlv
from desktop_pos.sandbox.card_data_crypto import (
    SANDBOX_KEY,
    SANDBOX_KEY_ID,
    card_data_aad,
    open_card_data,
)
from desktop_pos.sandbox.card_reader.emv import cdol1_data, compute_arqc
from desktop_pos.sandbox.card_reader.test_cards import (
    AID_MAESTRO,
    AID_MIR,
    AID_VISA,
    get_test_card,
)
from desktop_pos.sandbox.card_reader.transaction import (
    CardActionError,
    ReaderTimings,
    ReaderTransaction,
    Stage,
)
from tests.emulated_reader_sansio import ORDER, codes, env, kinds, play_buyer, start

APPROVE = AuthorizationResponse(
    7,
    AuthorizationOutcome.APPROVED,
    response_code="AS000",
    issuer_response_code="00",
    auth_code="123456",
    issuer_data=bytes.fromhex("910A1122334455667788") + bytes.fromhex("3030"),
)


def one(messages: list[ReaderMessage], kind: type[ReaderMessage]) -> ReaderMessage:
    found = [m for m in messages if isinstance(m, kind)]
    assert len(found) == 1, kinds(messages)
    return found[0]


def run_to_authorization(
    card_id: str,
    amount_minor: int = 15000,
    entry_mode: EntryMode | None = None,
    *,
    on_reader: bool = False,
) -> tuple[ReaderTransaction, list[ReaderMessage]]:
    txn = ReaderTransaction(start(amount_minor), env(on_reader=on_reader))
    out = txn.begin()
    out += txn.present(get_test_card(card_id), entry_mode)
    out += play_buyer(txn)
    return txn, out


def test_contactless_under_the_limit_needs_no_cvm_and_is_approved() -> None:
    txn, out = run_to_authorization("visa_contactless", 15000)
    assert kinds(out) == [
        "Display.PRESENT_CARD",
        "Display.CARD_TAPPED",
        "CardRead",
        "CvmResult",
        "Display.PROCESSING",
        "AuthorizationRequest",
    ]
    read = one(out, CardRead)
    assert isinstance(read, CardRead)
    assert read.entry_mode == EntryMode.NFC
    assert read.masked_pan == "422000******0006"
    assert (read.brand, read.application_label, read.aid) == ("VISA", "VISA", AID_VISA)
    assert read.application_choice == ApplicationChoice.ONLY
    assert read.cardholder == "IVANOV/IVAN"
    assert one(out, CvmResult) == CvmResult(7, Cvm.NONE)
    assert txn.stage == Stage.AUTHORIZATION

    end = txn.on_authorization_response(APPROVE)
    assert kinds(end) == ["Display.REMOVE_CARD", "Display.APPROVED", "TransactionResult"]
    result = end[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.APPROVED
    assert result.tvr == bytes.fromhex("0000008000")
    assert result.tsi == bytes.fromhex("B800")  # ODA, card + terminal risk mgmt, issuer auth
    assert txn.done and txn.timeout_s is None


def test_contactless_exactly_at_the_limit_needs_no_cvm() -> None:
    _txn, out = run_to_authorization("visa_contactless", 300000)
    assert one(out, CvmResult) == CvmResult(7, Cvm.NONE)


def test_contactless_above_the_limit_asks_for_the_pin() -> None:
    txn, out = run_to_authorization("visa_contactless", 350000)
    assert codes(out)[:3] == [
        DisplayCode.PRESENT_CARD,
        DisplayCode.CARD_TAPPED,
        DisplayCode.ENTER_PIN,
    ]
    assert DisplayCode.PIN_OK in codes(out)
    assert one(out, CvmResult) == CvmResult(7, Cvm.PIN_ON_READER, pin_verified=True)
    request = one(out, AuthorizationRequest)
    assert isinstance(request, AuthorizationRequest)
    assert find(request.emv_tlv, 0x95) == bytes.fromhex("0000048000")  # online PIN entered
    assert find(request.emv_tlv, 0x9F34) == bytes.fromhex("420300")
    assert txn.stage == Stage.AUTHORIZATION


def test_mir_chip_with_pin_builds_realistic_emv_data_and_sealed_card_data() -> None:
    txn, out = run_to_authorization("mir_chip_pin", 123456)
    assert kinds(out) == [
        "Display.PRESENT_CARD",
        "Display.CARD_INSERTED",
        "CardRead",
        "Display.ENTER_PIN",
        "Display.PIN_OK",
        "CvmResult",
        "Display.PROCESSING",
        "AuthorizationRequest",
    ]
    request = one(out, AuthorizationRequest)
    assert isinstance(request, AuthorizationRequest)
    tlv = request.emv_tlv
    tags = [item.tag for item in parse_tlv(tlv)]
    for tag in (0x9F26, 0x9F27, 0x9F10, 0x9F37, 0x9F36, 0x95, 0x9A, 0x9C, 0x9F02, 0x5F2A):
        assert tag in tags
    for tag in (0x82, 0x84, 0x9F1A, 0x9F34, 0x5F34):
        assert tag in tags
    assert len(find(tlv, 0x9F26) or b"") == 8
    assert find(tlv, 0x9F27) == b"\x80"
    assert find(tlv, 0x9F02) == bytes.fromhex("000000123456")
    assert find(tlv, 0x5F2A) == bytes.fromhex("0643")
    assert find(tlv, 0x9F1A) == bytes.fromhex("0643")
    assert find(tlv, 0x9A) == bytes.fromhex("260601")
    assert find(tlv, 0x9C) == b"\x00"
    assert find(tlv, 0x84) == AID_MIR
    assert find(tlv, 0x9F36) == b"\x00\x01"
    assert find(tlv, 0x5F34) == b"\x01"
    assert find(tlv, 0x9F34) == bytes.fromhex("440302")
    assert len(find(tlv, 0x9F37) or b"") == 4
    # the cryptogram is the card's over the CDOL1 data
    expected = compute_arqc(
        "2202200000000016",
        1,
        cdol1_data(
            amount=bytes.fromhex("000000123456"),
            country=bytes.fromhex("0643"),
            tvr=find(tlv, 0x95) or b"",
            currency=bytes.fromhex("0643"),
            txn_date=bytes.fromhex("260601"),
            txn_type=b"\x00",
            unpredictable_number=find(tlv, 0x9F37) or b"",
            aip=find(tlv, 0x82) or b"",
            atc=b"\x00\x01",
        ),
    )
    assert find(tlv, 0x9F26) == expected
    # no clear card data in the message; the gateway opens the blob for this order only
    assert b"2202200000000016" not in tlv and b"2202200000000016" not in request.card_data
    assert request.key_id == SANDBOX_KEY_ID
    secrets = open_card_data(
        request.card_data, {SANDBOX_KEY_ID: SANDBOX_KEY}, card_data_aad(ORDER, 123456)
    )
    assert secrets.pan == "2202200000000016"
    assert secrets.expiry == "2906"
    assert secrets.track2_equivalent.startswith("2202200000000016D2906201")
    assert secrets.cardholder == "PETROVA/ANNA"
    assert txn.on_authorization_response(APPROVE)[-1] == TransactionResult(
        7, TxnOutcome.APPROVED, bytes.fromhex("0000008000"), bytes.fromhex("F800"), ""
    )


def test_the_atc_counts_up_per_card_and_a_refund_is_type_20() -> None:
    environment = env()
    atcs = []
    for txn_id in (1, 2):
        txn = ReaderTransaction(start(txn_id=txn_id, kind=TxnKind.REFUND), environment)
        txn.begin()
        txn.present(get_test_card("visa_contactless"))
        request = txn_request(txn)
        atcs.append(find(request.emv_tlv, 0x9F36))
        assert find(request.emv_tlv, 0x9C) == b"\x20"
    assert atcs == [b"\x00\x01", b"\x00\x02"]


def txn_request(txn: ReaderTransaction) -> AuthorizationRequest:
    assert txn.last_authorization_request is not None
    return txn.last_authorization_request


def test_wrong_pin_then_the_right_one() -> None:
    txn, out = run_to_authorization("mir_wrong_pin_then_right")
    assert codes(out) == [
        DisplayCode.PRESENT_CARD,
        DisplayCode.CARD_INSERTED,
        DisplayCode.ENTER_PIN,
        DisplayCode.WRONG_PIN,
        DisplayCode.ENTER_PIN,
        DisplayCode.PIN_OK,
        DisplayCode.PROCESSING,
    ]
    wrong = [m for m in out if isinstance(m, DisplayText) and m.code == DisplayCode.WRONG_PIN]
    assert wrong[0].text == "WRONG PIN!"
    assert one(out, CvmResult) == CvmResult(7, Cvm.PIN_ON_READER, pin_verified=True)
    assert txn.stage == Stage.AUTHORIZATION


def test_pin_tries_exceeded_ends_without_going_online() -> None:
    txn, out = run_to_authorization("mir_pin_tries_exceeded")
    assert kinds(out)[-8:] == [
        "Display.WRONG_PIN",
        "Display.ENTER_PIN",
        "Display.WRONG_PIN",
        "Display.ENTER_PIN",
        "Display.WRONG_PIN",
        "Display.DECLINED",
        "Display.REMOVE_CARD",
        "TransactionResult",
    ]
    assert not any(isinstance(m, AuthorizationRequest | CvmResult) for m in out)
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.PIN_TRIES_EXCEEDED
    assert result.tvr[2] & 0x20 and result.tvr[2] & 0x80
    assert txn.done


def test_co_badged_chip_on_the_qpos_like_reader_asks_the_host() -> None:
    txn = ReaderTransaction(start(), env(on_reader=False))
    out = txn.begin() + txn.present(get_test_card("cobadge_mir_maestro"), EntryMode.CHIP)
    out += play_buyer(txn)  # the buyer does nothing: the app chooses
    assert kinds(out) == [
        "Display.PRESENT_CARD",
        "Display.CARD_INSERTED",
        "ApplicationSelectionRequest",
    ]
    request = out[-1]
    assert isinstance(request, ApplicationSelectionRequest)
    assert [app.label for app in request.applications] == ["MIR", "Maestro"]
    assert txn.stage == Stage.HOST_APPLICATION

    bad = txn.on_application_selected(ApplicationSelected(7, AID_VISA))
    assert isinstance(bad[0], ReaderFault) and bad[0].code == FaultCode.BAD_MESSAGE
    assert txn.stage == Stage.HOST_APPLICATION

    out = txn.on_application_selected(ApplicationSelected(7, AID_MAESTRO))
    out += play_buyer(txn)
    read = one(out, CardRead)
    assert isinstance(read, CardRead)
    assert (read.brand, read.application_label, read.aid) == ("MAESTRO", "Maestro", AID_MAESTRO)
    assert read.application_choice == ApplicationChoice.HOST
    assert find(txn_request(txn).emv_tlv, 0x84) == AID_MAESTRO


def test_co_badged_chip_on_the_bluepad_like_reader_is_chosen_on_the_reader() -> None:
    txn, out = run_to_authorization(
        "cobadge_mir_maestro", entry_mode=EntryMode.CHIP, on_reader=True
    )
    assert not any(isinstance(m, ApplicationSelectionRequest) for m in out)
    assert codes(out)[:3] == [
        DisplayCode.PRESENT_CARD,
        DisplayCode.CARD_INSERTED,
        DisplayCode.SELECT_APPLICATION,
    ]
    read = one(out, CardRead)
    assert isinstance(read, CardRead)
    assert read.application_choice == ApplicationChoice.READER
    assert read.aid == AID_MIR
    assert txn.stage == Stage.AUTHORIZATION


@pytest.mark.parametrize("on_reader", [False, True])
def test_co_badged_contactless_uses_the_priority_application(on_reader: bool) -> None:
    _txn, out = run_to_authorization(
        "cobadge_mir_maestro", entry_mode=EntryMode.NFC, on_reader=on_reader
    )
    assert DisplayCode.SELECT_APPLICATION not in codes(out)
    assert not any(isinstance(m, ApplicationSelectionRequest) for m in out)
    read = one(out, CardRead)
    assert isinstance(read, CardRead)
    assert (read.aid, read.application_choice) == (AID_MIR, ApplicationChoice.PRIORITY)


def test_magstripe_asks_for_a_signature_and_sends_no_cryptogram() -> None:
    txn, out = run_to_authorization("magstripe_signature")
    assert kinds(out) == [
        "Display.PRESENT_CARD",
        "Display.CARD_SWIPED",
        "CardRead",
        "CvmResult",
        "Display.PROCESSING",
        "AuthorizationRequest",
    ]
    assert one(out, CvmResult) == CvmResult(7, Cvm.SIGNATURE)
    tlv = txn_request(txn).emv_tlv
    assert find(tlv, 0x9F26) is None and find(tlv, 0x84) is None
    assert find(tlv, 0x9F34) == bytes.fromhex("1E0300")
    result = txn.on_authorization_response(APPROVE)[-1]
    assert isinstance(result, TransactionResult)
    assert (result.outcome, result.tvr, result.tsi) == (TxnOutcome.APPROVED, bytes(5), bytes(2))


def test_unsupported_entry_mode_shows_a_read_error_and_asks_again() -> None:
    txn = ReaderTransaction(start(), env())
    txn.begin()
    out = txn.present(get_test_card("magstripe_signature"), EntryMode.NFC)
    assert codes(out) == [DisplayCode.CARD_READ_ERROR, DisplayCode.PRESENT_CARD]
    assert txn.stage == Stage.CARD
    nfc_off = ReaderTransaction(start(nfc=False), env())
    nfc_off.begin()
    assert codes(nfc_off.present(get_test_card("visa_contactless"), EntryMode.NFC))[0] == (
        DisplayCode.CARD_READ_ERROR
    )
    assert nfc_off.present(get_test_card("visa_contactless"), EntryMode.CHIP)


def test_card_removed_early() -> None:
    txn, out = run_to_authorization("card_removed_early")
    assert kinds(out)[-3:] == ["Display.ENTER_PIN", "Display.CANCELLED", "TransactionResult"]
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.CARD_REMOVED
    assert not any(isinstance(m, AuthorizationRequest) for m in out)
    assert txn.remove_card() == []


def test_cancel_on_the_reader() -> None:
    _txn, out = run_to_authorization("cancel_on_reader")
    assert kinds(out)[-4:] == [
        "Display.ENTER_PIN",
        "Display.CANCELLED",
        "Display.REMOVE_CARD",
        "TransactionResult",
    ]
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.CANCELLED_ON_READER


@pytest.mark.parametrize("stage_card", ["none", "visa_contactless", "mir_chip_pin"])
def test_host_cancel_at_any_stage(stage_card: str) -> None:
    txn = ReaderTransaction(start(), env())
    txn.begin()
    if stage_card != "none":
        txn.present(get_test_card(stage_card))
    out = txn.host_cancel()
    assert out[0] == DisplayText(7, DisplayCode.CANCELLED, "CANCELLED")
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.CANCELLED_BY_HOST
    assert txn.host_cancel() == [] and txn.press_cancel() == []


def test_no_host_answer_times_out() -> None:
    txn, _out = run_to_authorization("mir_chip_pin")
    assert txn.timeout_s == ReaderTimings().authorization_s
    out = txn.on_timeout()
    assert codes(out) == [DisplayCode.TRY_AGAIN, DisplayCode.REMOVE_CARD]
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert (result.outcome, result.reason) == (TxnOutcome.TIMEOUT, "no host answer")
    late = txn.on_authorization_response(APPROVE)
    assert isinstance(late[0], ReaderFault) and late[0].code == FaultCode.BAD_MESSAGE


def test_no_card_presented_times_out() -> None:
    txn = ReaderTransaction(start(), env())
    txn.begin()
    assert txn.timeout_s == ReaderTimings().card_s
    result = txn.on_timeout()[-1]
    assert isinstance(result, TransactionResult)
    assert (result.outcome, result.reason) == (TxnOutcome.TIMEOUT, "no card presented")
    with pytest.raises(CardActionError):
        txn.present(get_test_card("visa_contactless"))


def test_host_unable_to_go_online_aborts_safely() -> None:
    txn, _out = run_to_authorization("visa_contactless")
    out = txn.on_authorization_response(
        AuthorizationResponse(7, AuthorizationOutcome.UNABLE_TO_GO_ONLINE)
    )
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.HOST_UNREACHABLE
    assert codes(out) == [DisplayCode.REMOVE_CARD, DisplayCode.DECLINED]


def test_decline_carries_the_issuer_code() -> None:
    txn, _out = run_to_authorization("visa_insufficient_funds")
    out = txn.on_authorization_response(
        AuthorizationResponse(
            7, AuthorizationOutcome.DECLINED, response_code="AS102", issuer_response_code="51"
        )
    )
    assert kinds(out) == ["Display.REMOVE_CARD", "Display.DECLINED", "TransactionResult"]
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert (result.outcome, result.reason) == (TxnOutcome.DECLINED, "51")


def test_battery_exhausted_mid_transaction() -> None:
    txn = ReaderTransaction(start(), env())
    txn.begin()
    txn.present(get_test_card("mir_chip_pin"))
    out = txn.abort_low_battery()
    assert codes(out) == [DisplayCode.LOW_BATTERY, DisplayCode.REMOVE_CARD]
    result = out[-1]
    assert isinstance(result, TransactionResult)
    assert result.outcome == TxnOutcome.LOW_BATTERY


def test_buyer_actions_out_of_turn_are_refused() -> None:
    txn = ReaderTransaction(start(), env())
    txn.begin()
    with pytest.raises(CardActionError):
        txn.enter_pin("1234")
    with pytest.raises(CardActionError):
        txn.choose_on_reader(AID_MIR)
    assert txn.remove_card() == []  # no card inserted: nothing to pull out
    response = txn.on_application_selected(ApplicationSelected(7, AID_MIR))
    assert isinstance(response[0], ReaderFault)
