"""The emulated buyer: what a test card's script does at the reader, step by step.

The emulator (and the sans-IO tests) ask ``next_buyer_step`` after every change of a
transaction and carry the step out after a short, configurable delay: choose an application on
a Bluepad-like reader's screen, type the next PIN of the card's ``pin_script``, or, for the
``card_removed_early`` and ``cancel_on_reader`` cards, pull the card out or press the red button
at the PIN prompt. A card whose script has no PIN left leaves the reader waiting (it times out).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_pos.hardware.reader.messages import ReaderMessage
from desktop_pos.sandbox.card_reader.test_cards import BuyerAction
from desktop_pos.sandbox.card_reader.transaction import ReaderTransaction, Stage


class StepKind(StrEnum):
    CHOOSE_APPLICATION = "choose_application"
    ENTER_PIN = "enter_pin"
    REMOVE_CARD = "remove_card"
    PRESS_CANCEL = "press_cancel"


@dataclass(frozen=True, slots=True)
class BuyerStep:
    kind: StepKind
    pin: str = ""
    aid: bytes = b""


def next_buyer_step(txn: ReaderTransaction) -> BuyerStep | None:
    """What the buyer does next in ``txn``, or None when the reader waits for someone else."""
    card = txn.card
    if card is None or txn.done:
        return None
    if txn.stage == Stage.READER_APPLICATION:
        return BuyerStep(StepKind.CHOOSE_APPLICATION, aid=card.reader_choice)
    if txn.stage != Stage.PIN:
        return None
    if card.action == BuyerAction.REMOVE_CARD:
        return BuyerStep(StepKind.REMOVE_CARD)
    if card.action == BuyerAction.PRESS_CANCEL:
        return BuyerStep(StepKind.PRESS_CANCEL)
    index = txn.pin_prompts - 1
    if 0 <= index < len(card.pin_script):
        return BuyerStep(StepKind.ENTER_PIN, pin=card.pin_script[index])
    return None


def apply_buyer_step(txn: ReaderTransaction, step: BuyerStep) -> list[ReaderMessage]:
    if step.kind == StepKind.CHOOSE_APPLICATION:
        return txn.choose_on_reader(step.aid)
    if step.kind == StepKind.ENTER_PIN:
        return txn.enter_pin(step.pin)
    if step.kind == StepKind.REMOVE_CARD:
        return txn.remove_card()
    return txn.press_cancel()
