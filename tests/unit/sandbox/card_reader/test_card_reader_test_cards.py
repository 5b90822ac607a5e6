from __future__ import annotations

import re

import pytest

from desktop_pos.hardware.reader.messages import EntryMode
from desktop_pos.sandbox.card_data_crypto import CardSecrets
from desktop_pos.sandbox.card_reader.test_cards import (
    AID_MAESTRO,
    AID_MIR,
    TEST_CARDS,
    SandboxOutcome,
    card_by_pan,
    get_test_card,
    mask_pan,
)
from desktop_pos.sandbox.test_pans import DECLINED_PANS, luhn_valid

CONTRACT_IDS = {
    "visa_contactless",
    "mir_chip_pin",
    "cobadge_mir_maestro",
    "magstripe_signature",
    "mir_wrong_pin_then_right",
    "mir_pin_tries_exceeded",
    "visa_insufficient_funds",
    "card_removed_early",
    "cancel_on_reader",
}


def test_every_contract_card_exists() -> None:
    assert set(TEST_CARDS) == CONTRACT_IDS


@pytest.mark.parametrize("card_id", sorted(CONTRACT_IDS))
def test_card_data_is_well_formed(card_id: str) -> None:
    card = get_test_card(card_id)
    assert luhn_valid(card.pan)
    assert re.fullmatch(r"\d{2}(0[1-9]|1[0-2])", card.expiry)
    assert card.entry_modes and card.applications
    assert card.label_ru and card.notes_ru
    # the sandbox key's blob accepts the card's clear data as it is
    CardSecrets(card.pan, card.expiry, card.track2_equivalent, card.cardholder)
    assert card.track2_equivalent.startswith(f"{card.pan}D{card.expiry}")


def test_pans_are_unique() -> None:
    pans = [card.pan for card in TEST_CARDS.values()]
    assert len(set(pans)) == len(pans)
    assert all(card_by_pan(card.pan) is card for card in TEST_CARDS.values())
    assert card_by_pan("4000000000000002") is None


def test_masked_pan_keeps_first_six_and_last_four() -> None:
    assert mask_pan("2202200000000016") == "220220******0016"
    assert mask_pan("4220000000000006123") == "422000*********6123"
    for card in TEST_CARDS.values():
        assert len(card.masked_pan) == len(card.pan)
        assert card.masked_pan[:6] == card.pan[:6] and card.masked_pan[-4:] == card.pan[-4:]


def test_co_badged_card_has_mir_first_by_priority() -> None:
    card = get_test_card("cobadge_mir_maestro")
    assert card.co_badged
    assert [app.aid for app in card.applications] == [AID_MIR, AID_MAESTRO]
    assert card.priority_application.aid == AID_MIR
    assert EntryMode.CHIP in card.entry_modes and EntryMode.NFC in card.entry_modes


def test_insufficient_funds_card_is_the_sandbox_decline_pan() -> None:
    card = get_test_card("visa_insufficient_funds")
    assert card.sandbox_outcome == SandboxOutcome.DECLINE_51
    assert DECLINED_PANS[card.pan].issuer_response_code == "51"
    declined = {c.id for c in TEST_CARDS.values() if c.pan in DECLINED_PANS}
    assert declined == {"visa_insufficient_funds"}


def test_magstripe_card_is_swipe_only() -> None:
    card = get_test_card("magstripe_signature")
    assert card.entry_modes == (EntryMode.MAGSTRIPE,)
    assert card.service_code == "101"


def test_unknown_card_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="mir_chip_pin"):
        get_test_card("nope")


def test_repr_shows_no_clear_card_number() -> None:
    card = get_test_card("mir_chip_pin")
    assert card.pan not in repr(card) and card.masked_pan in repr(card)
