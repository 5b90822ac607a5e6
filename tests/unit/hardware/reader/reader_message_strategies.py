"""Hypothesis strategies for every reader link message (shared by the codec and channel tests)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from desktop_pos.hardware.reader import messages as m

uints = st.integers(min_value=0, max_value=2**64 - 1)
small_uints = st.integers(min_value=0, max_value=100_000)
txn_ids = st.integers(min_value=0, max_value=2**32 - 1)
texts = st.text(max_size=40)
blobs = st.binary(max_size=300)

applications = st.builds(
    m.CardApplication,
    aid=st.binary(min_size=5, max_size=16),
    label=texts,
    priority=st.integers(0, 15),
)
firmware_updates = st.none() | st.builds(
    m.FirmwareUpdateInfo, version=texts, required=st.booleans(), size=uints, estimated_s=small_uints
)

MESSAGE_STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    m.GetInfo: st.just(m.GetInfo()),
    m.StartTransaction: st.builds(
        m.StartTransaction,
        txn_id=txn_ids,
        kind=st.sampled_from(m.TxnKind),
        amount_minor=uints,
        currency=texts,
        order_number=texts,
        no_cvm_limit_minor=uints,
        nfc_enabled=st.booleans(),
    ),
    m.CancelTransaction: st.builds(m.CancelTransaction, txn_id=txn_ids),
    m.ApplicationSelected: st.builds(m.ApplicationSelected, txn_id=txn_ids, aid=blobs),
    m.AuthorizationResponse: st.builds(
        m.AuthorizationResponse,
        txn_id=txn_ids,
        outcome=st.sampled_from(m.AuthorizationOutcome),
        response_code=texts,
        issuer_response_code=texts,
        auth_code=texts,
        issuer_data=blobs,
    ),
    m.FirmwareUpdateStart: st.builds(
        m.FirmwareUpdateStart, version=texts, size=uints, sha256=st.binary(min_size=32, max_size=32)
    ),
    m.FirmwareChunk: st.builds(m.FirmwareChunk, offset=uints, data=blobs),
    m.FirmwareUpdateFinish: st.builds(m.FirmwareUpdateFinish, version=texts),
    m.ReaderInfo: st.builds(
        m.ReaderInfo,
        model=texts,
        serial=texts,
        firmware_version=texts,
        protocol_version=small_uints,
        battery_level=st.integers(0, 100),
        charging=st.booleans(),
        app_selection_on_reader=st.booleans(),
        nfc_default=st.booleans(),
        max_message_size=small_uints,
        firmware_update=firmware_updates,
    ),
    m.DisplayText: st.builds(
        m.DisplayText, txn_id=txn_ids, code=st.sampled_from(m.DisplayCode), text=texts
    ),
    m.CardRead: st.builds(
        m.CardRead,
        txn_id=txn_ids,
        entry_mode=st.sampled_from(m.EntryMode),
        masked_pan=texts,
        brand=texts,
        application_label=texts,
        aid=blobs,
        application_choice=st.sampled_from(m.ApplicationChoice),
        cardholder=texts,
    ),
    m.ApplicationSelectionRequest: st.builds(
        m.ApplicationSelectionRequest,
        txn_id=txn_ids,
        applications=st.lists(applications, max_size=4).map(tuple),
    ),
    m.CvmResult: st.builds(
        m.CvmResult, txn_id=txn_ids, cvm=st.sampled_from(m.Cvm), pin_verified=st.booleans()
    ),
    m.AuthorizationRequest: st.builds(
        m.AuthorizationRequest, txn_id=txn_ids, emv_tlv=blobs, card_data=blobs, key_id=texts
    ),
    m.TransactionResult: st.builds(
        m.TransactionResult,
        txn_id=txn_ids,
        outcome=st.sampled_from(m.TxnOutcome),
        tvr=st.binary(min_size=5, max_size=5),
        tsi=st.binary(min_size=2, max_size=2),
        reason=texts,
    ),
    m.BatteryStatus: st.builds(
        m.BatteryStatus, level=st.integers(0, 100), charging=st.booleans(), low=st.booleans()
    ),
    m.FirmwareProgress: st.builds(m.FirmwareProgress, received=uints, total=uints),
    m.FirmwareRebooting: st.builds(m.FirmwareRebooting, version=texts, expected_back_s=small_uints),
    m.ReaderFault: st.builds(
        m.ReaderFault,
        code=st.sampled_from(m.FaultCode),
        text=texts,
        txn_id=txn_ids,
        details=st.dictionaries(texts, texts, max_size=4),
    ),
}

any_message: st.SearchStrategy[Any] = st.one_of(*MESSAGE_STRATEGIES.values())
