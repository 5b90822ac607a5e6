"""Receipts from the counter to the printer: what «Печать чека» prints, the preview, the drawer.

``ReceiptPrinting`` joins the store (``Store.load_details`` on the store thread), the documents
(``services/receipt_documents.py``), their layout and the ``PrintService``:

* ``preview(number)`` — the documents of an order laid out for the configured paper, exactly as
  they go to the printer (the preview dialog paints this layout);
* ``print_order(number)`` — prints them: the fiscal receipt once fiscalized, else the offline slip
  of a cash sale, then a refund receipt if there is one. A document counts as printed only when
  the printer confirmed its status after the data (``PrintOutcome.confirmed``); then the receipt
  row's ``printed_at`` (fiscal receipt) or ``slip_printed_at`` (offline slip) is set. A document
  printed before is reprinted as a copy («КОПИЯ»). A ``PrinterError`` (paper out, cover open,
  offline, timeout) reaches the caller, and nothing is marked for the document that failed;
* ``print_fiscal_if_due(number)`` — when the fiscal data of a sale arrive whose offline slip was
  printed and whose fiscal receipt was not, print the fiscal receipt (``auto_print_fiscal``);
* ``print_card_slip(number)`` — the card slip of the order's newest card attempt, built from
  what the store holds (``card_slip``); marked printed once confirmed (a reprint is a copy);
* ``kick_drawer()`` — the cash drawer pulse through the printer (``DrawerError`` on failure).

One print job of this service runs at a time, so an automatic print and the cashier's print of
the same order never both print an original.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from desktop_pos.hardware.printer.errors import PrinterError
from desktop_pos.hardware.printer.settings import PrinterSettings
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.payment import FiscalState
from desktop_pos.models.receipt import (
    CardSlipDoc,
    FiscalReceiptDoc,
    MerchantRequisites,
    Operation,
    ReceiptDataError,
    ReceiptNotReady,
)
from desktop_pos.models.receipt_layout import PrintLayout, layout_document
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.events import OrderStateChanged
from desktop_pos.services.printing import PrintOutcome, PrintService
from desktop_pos.services.receipt_documents import (
    SELL,
    SELL_REFUND,
    SaleDocument,
    card_slip,
    documents_for,
    fiscal_receipt,
    paid_attempt,
)
from desktop_pos.services.store import PrintMarks, Store
from desktop_pos.services.store_card import StoredCardPayment
from desktop_pos.services.store_records import OrderDetails
from desktop_pos.services.store_worker import StoreWorker

if TYPE_CHECKING:
    from desktop_pos.hardware.printer.profile import PrinterProfile

log = logging.getLogger(__name__)

DEFAULT_CHARS = {58: 32, 80: 48}
DEFAULT_DOTS = {58: 384, 80: 576}
FONT_A_DOTS = 12


class MerchantFields(Protocol):
    """The ``[merchant]`` settings (``config.MerchantInfo``)."""

    @property
    def legal_name(self) -> str: ...
    @property
    def inn(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def place_of_settlement(self) -> str: ...
    @property
    def tax_system(self) -> str: ...
    @property
    def cashier(self) -> str: ...
    @property
    def kkt_serial(self) -> str: ...
    @property
    def ofd_name(self) -> str: ...


class DocumentKind(StrEnum):
    FISCAL = "fiscal"
    """The fiscal receipt of the sale (КАССОВЫЙ ЧЕК, ПРИХОД)."""
    SLIP = "slip"
    """The non-fiscal slip of a cash sale awaiting its fiscal data."""
    REFUND = "refund"
    """The refund receipt (ВОЗВРАТ ПРИХОДА)."""
    CARD_SLIP = "card_slip"
    """The card terminal's slip of a card payment (approved or declined)."""


class PrinterNotConfigured(PrinterError):
    """No receipt printer is set up (no ``[printer]`` table, or ``enabled = false``)."""

    default_text = LocalizedText(
        "Принтер чеков не настроен. Укажите его в меню «Настройки → Принтер…».",
        "No receipt printer is set up. Set it in the menu “Settings → Printer…”.",
    )
    retryable = False


class MerchantNotConfigured(UserFacingError):
    """The seller's requisites needed on a receipt are missing from ``[merchant]``."""


@dataclass(frozen=True, slots=True)
class PrintedDocument:
    kind: DocumentKind
    copy: bool
    outcome: PrintOutcome


@dataclass(frozen=True, slots=True)
class PrintReport:
    """What one print of an order produced."""

    number: str
    documents: tuple[PrintedDocument, ...]

    @property
    def confirmed(self) -> bool:
        """Every document came out with the printer's status confirmed."""
        return all(document.outcome.confirmed for document in self.documents)

    @property
    def message(self) -> LocalizedText:
        """What the cashier is told (``Чек напечатан.``, or sent with the status unknown)."""
        unconfirmed = [d for d in self.documents if not d.outcome.confirmed]
        if unconfirmed:
            return unconfirmed[0].outcome.message
        return self.documents[-1].outcome.message


@dataclass(frozen=True, slots=True)
class ReceiptPreview:
    """An order's documents as the printer gets them."""

    number: str
    documents: tuple[SaleDocument, ...]
    kinds: tuple[DocumentKind, ...]
    layouts: tuple[PrintLayout, ...]
    chars_per_line: int
    dots_per_line: int
    paper_mm: int
    awaiting_fiscal: bool
    """The sale is paid but its fiscal receipt has not arrived yet (an offline slip is shown)."""


_profile_pool: ThreadPoolExecutor | None = None
_profile_pool_lock = threading.Lock()


async def checked_profile(settings: PrinterSettings) -> PrinterProfile:
    """``settings.profile()`` on a thread of its own (the first call loads python-escpos'
    printer database); raises ``PrinterSettingsError`` naming the key at fault."""
    global _profile_pool
    with _profile_pool_lock:
        if _profile_pool is None:
            _profile_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="printer-profile")
        pool = _profile_pool
    return await asyncio.wrap_future(pool.submit(settings.profile))


def document_kind(doc: SaleDocument) -> DocumentKind:
    if not isinstance(doc, FiscalReceiptDoc):
        return DocumentKind.SLIP
    return DocumentKind.REFUND if doc.operation is Operation.REFUND else DocumentKind.FISCAL


def merchant_requisites(info: MerchantFields) -> MerchantRequisites:
    """The requisites from ``[merchant]``; ``MerchantNotConfigured`` names what is missing."""
    try:
        return MerchantRequisites(
            legal_name=info.legal_name,
            inn=info.inn,
            address=info.address,
            place_of_settlement=info.place_of_settlement,
            tax_system=info.tax_system,
            cashier=info.cashier,
            kkt_serial=info.kkt_serial,
            ofd_name=info.ofd_name,
        )
    except ReceiptDataError as exc:
        raise MerchantNotConfigured(
            LocalizedText(
                "Реквизиты продавца для чека заполнены не полностью: дополните таблицу "
                f"[merchant] в файле настроек. {exc.text.ru}",
                "The seller's requisites for the receipt are incomplete: fill in the "
                f"[merchant] table of the settings file. {exc.text.en}",
            ),
            field=f"merchant.{exc.field}" if exc.field else "merchant",
        ) from exc


def merchant_is_empty(info: MerchantFields) -> bool:
    """Nothing but the default tax system is set (a demo may use its own requisites then)."""
    return not any(
        getattr(info, name).strip()
        for name in (
            "legal_name",
            "inn",
            "address",
            "place_of_settlement",
            "cashier",
            "kkt_serial",
            "ofd_name",
        )
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


class ReceiptPrinting:
    """Prints an order's receipts and opens the drawer; see the module docstring."""

    def __init__(
        self,
        store: StoreWorker,
        printer: PrintService | None,
        settings: PrinterSettings,
        merchant: MerchantRequisites | UserFacingError,
        *,
        clock: Callable[[], datetime] = _utc_now,
        tz: tzinfo | None = None,
    ) -> None:
        """``printer`` is None when no printer is configured (the preview still works);
        ``merchant`` is the requisites, or the error that says why there are none."""
        self._store = store
        self._printer = printer
        self._settings = settings
        self._merchant = merchant
        self._clock = clock
        self._tz = tz
        self._lock: asyncio.Lock | None = None
        self._profile: PrinterProfile | None = None

    # -- configuration ---------------------------------------------------------------------------
    @property
    def printer(self) -> PrintService | None:
        return self._printer

    @property
    def settings(self) -> PrinterSettings:
        return self._settings

    @property
    def configured(self) -> bool:
        return self._printer is not None

    @property
    def kicks_drawer_on_cash(self) -> bool:
        """A cash sale opens the drawer (``kick_drawer_on_cash`` with a printer configured)."""
        return self._printer is not None and self._settings.kick_drawer_on_cash

    def reconfigure(self, printer: PrintService | None, settings: PrinterSettings) -> None:
        """Use another printer and settings from now on (the settings dialog's «Сохранить»)."""
        old = self._printer
        self._printer, self._settings, self._profile = printer, settings, None
        if old is not None and old is not printer:
            old.close()
        log.info("receipt printer: %s", settings.description if printer is not None else "none")

    def close(self) -> None:
        if self._printer is not None:
            self._printer.close()

    async def profile(self) -> PrinterProfile:
        """The printer profile, built off the event loop once; ``PrinterSettingsError``."""
        if self._profile is None:
            settings = self._settings
            profile = await checked_profile(settings)
            if settings is self._settings:
                self._profile = profile
            return profile
        return self._profile

    # -- documents -------------------------------------------------------------------------------
    def merchant(self) -> MerchantRequisites:
        if isinstance(self._merchant, UserFacingError):
            raise self._merchant
        return self._merchant

    def chars_per_line(self) -> int:
        """The paper's characters per line (the profile's, once it was built)."""
        if self._profile is not None:
            return self._profile.chars_per_line
        settings = self._settings
        if settings.chars_per_line:
            return settings.chars_per_line
        dots = settings.dots_per_line or DEFAULT_DOTS.get(settings.paper_mm, 576)
        return min(DEFAULT_CHARS.get(settings.paper_mm, 48), dots // FONT_A_DOTS)

    def layout(self, doc: SaleDocument, chars_per_line: int | None = None) -> PrintLayout:
        return layout_document(doc, chars_per_line or self.chars_per_line())

    async def details(self, number: str) -> OrderDetails:
        return _found(number, await self._store.call(Store.load_details, number))

    async def documents(self, number: str, copy: bool = False) -> tuple[SaleDocument, ...]:
        """What «Печать чека» prints for the order (``documents_for``), all marked ``copy``."""
        details = await self.details(number)
        return documents_for(details, self.merchant(), copy=copy, tz=self._tz)

    async def _documents_as_printed(
        self, number: str, copy: bool | None
    ) -> tuple[OrderDetails, str, list[tuple[SaleDocument, DocumentKind]]]:
        """The order's documents, each a copy when printed before (or as ``copy`` says)."""
        details, sale_marks, refund_marks = await self._store.call(_details_and_marks, number)
        attempt_id = paid_attempt(details).attempt_id
        documents: list[tuple[SaleDocument, DocumentKind]] = []
        for doc in documents_for(details, self.merchant(), tz=self._tz):
            kind = document_kind(doc)
            match kind:
                case DocumentKind.FISCAL:
                    printed_before = sale_marks.printed_at is not None
                case DocumentKind.SLIP:
                    printed_before = sale_marks.slip_printed_at is not None
                case DocumentKind.REFUND:
                    printed_before = refund_marks.printed_at is not None
            marked = printed_before if copy is None else copy
            documents.append((replace(doc, copy=marked) if marked else doc, kind))
        return details, attempt_id, documents

    async def preview(self, number: str, copy: bool | None = None) -> ReceiptPreview:
        """The documents ``print_order(number, copy)`` would print now, laid out for the paper."""
        profile = await self.profile()
        details, _attempt, documents = await self._documents_as_printed(number, copy)
        width = profile.chars_per_line
        kinds = tuple(kind for _doc, kind in documents)
        return ReceiptPreview(
            number=number,
            documents=tuple(doc for doc, _kind in documents),
            kinds=kinds,
            layouts=tuple(self.layout(doc, width) for doc, _kind in documents),
            chars_per_line=width,
            dots_per_line=profile.dots_per_line,
            paper_mm=profile.paper_mm,
            awaiting_fiscal=DocumentKind.SLIP in kinds and _fiscal_pending(details),
        )

    # -- printing --------------------------------------------------------------------------------
    def _require_printer(self) -> PrintService:
        if self._printer is None:
            raise PrinterNotConfigured()
        return self._printer

    def _job_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def print_order(self, number: str, copy: bool | None = None) -> PrintReport:
        """Print the order's documents; ``copy=None``: a copy of what was printed before.

        Raises ``PrinterError`` (nothing marked for the document that failed),
        ``ReceiptNotReady`` or ``ReceiptDataError``.
        """
        printer = self._require_printer()
        async with self._job_lock():
            _details, attempt_id, documents = await self._documents_as_printed(number, copy)
            printed: list[PrintedDocument] = []
            for doc, kind in documents:
                outcome = await self._print(printer, number, doc, kind, attempt_id)
                printed.append(PrintedDocument(kind, doc.copy, outcome))
        return PrintReport(number, tuple(printed))

    async def print_fiscal_if_due(self, number: str) -> PrintReport | None:
        """Print the fiscal receipt of a sale whose offline slip was printed and whose receipt
        was not, once its fiscal data are here; None when there is nothing to do."""
        printer = self._printer
        if printer is None or not self._settings.auto_print_fiscal:
            return None
        async with self._job_lock():
            details = await self.details(number)
            try:
                attempt_id = paid_attempt(details).attempt_id
            except ReceiptNotReady:
                return None
            sale = details.receipt_of(attempt_id, SELL)
            if sale is None or sale.fiscal_state is not FiscalState.SUCCESS:
                return None
            marks = await self._store.call(Store.print_marks, attempt_id)
            if marks.slip_printed_at is None or marks.printed_at is not None:
                return None
            log.info("order %s: fiscal data arrived after the slip; printing the receipt", number)
            doc = fiscal_receipt(details, self.merchant(), tz=self._tz)
            outcome = await self._print(printer, number, doc, DocumentKind.FISCAL, attempt_id)
        return PrintReport(number, (PrintedDocument(DocumentKind.FISCAL, False, outcome),))

    async def on_order_state_changed(self, event: OrderStateChanged) -> PrintReport | None:
        """The sync worker stored new data for an order: print its fiscal receipt if due."""
        if event.fiscal_state is not FiscalState.SUCCESS:
            return None
        return await self.print_fiscal_if_due(event.order_number)

    async def _print(
        self,
        printer: PrintService,
        number: str,
        doc: SaleDocument,
        kind: DocumentKind,
        attempt_id: str,
    ) -> PrintOutcome:
        width = (await self.profile()).chars_per_line
        outcome = await printer.print_layout(self.layout(doc, width))
        what = f"{kind.value}{' copy' if doc.copy else ''}"
        if not outcome.confirmed:
            log.warning("order %s: %s sent, the printer's status is unknown", number, what)
            return outcome
        await self._store.call(
            Store.mark_receipt_printed,
            attempt_id,
            self._clock(),
            slip=kind is DocumentKind.SLIP,
            kind=SELL_REFUND if kind is DocumentKind.REFUND else SELL,
        )
        log.info("order %s: %s printed", number, what)
        return outcome

    # -- card slip -------------------------------------------------------------------------------
    async def card_slip(
        self, number: str, attempt_id: str | None = None, copy: bool | None = None
    ) -> CardSlipDoc:
        """The card slip of the order's newest card attempt (or of ``attempt_id``), from the
        stored data; ``copy=None``: a copy when it was printed before. ``ReceiptNotReady`` when
        the order has no card attempt with a final answer."""
        card = await self._store.call(_stored_card, number, attempt_id)
        marked = card.slip_printed_at is not None if copy is None else copy
        return card_slip(card, self.merchant(), copy=marked, tz=self._tz)

    async def print_card_slip(
        self, number: str, attempt_id: str | None = None, copy: bool | None = None
    ) -> PrintReport:
        """Print the card slip (``card_slip``); marked printed once the printer confirmed it.
        Raises ``PrinterError``, ``ReceiptNotReady`` or ``ReceiptDataError``."""
        printer = self._require_printer()
        async with self._job_lock():
            card = await self._store.call(_stored_card, number, attempt_id)
            marked = card.slip_printed_at is not None if copy is None else copy
            doc = card_slip(card, self.merchant(), copy=marked, tz=self._tz)
            width = (await self.profile()).chars_per_line
            outcome = await printer.print_layout(layout_document(doc, width))
            what = f"card slip{' copy' if doc.copy else ''}"
            if outcome.confirmed:
                await self._store.call(Store.mark_card_slip_printed, card.attempt_id, self._clock())
                log.info("order %s: %s printed", number, what)
            else:
                log.warning("order %s: %s sent, the printer's status is unknown", number, what)
        return PrintReport(number, (PrintedDocument(DocumentKind.CARD_SLIP, doc.copy, outcome),))

    async def kick_drawer(self) -> None:
        """Open the cash drawer; ``DrawerError`` (or ``PrinterNotConfigured``) on failure."""
        await self._require_printer().kick_drawer()


def _found(number: str, details: OrderDetails | None) -> OrderDetails:
    if details is None:
        raise ReceiptNotReady(
            LocalizedText(
                f"Заказ № {number} не найден в базе: печатать нечего.",
                f"Order {number} is not in the database: there is nothing to print.",
            ),
            field="order",
        )
    return details


def _details_and_marks(store: Store, number: str) -> tuple[OrderDetails, PrintMarks, PrintMarks]:
    """On the store thread, in one hop: the order and what of its sale was printed."""
    details = _found(number, store.load_details(number))
    attempt_id = paid_attempt(details).attempt_id
    return (
        details,
        store.print_marks(attempt_id, SELL),
        store.print_marks(attempt_id, SELL_REFUND),
    )


def _stored_card(store: Store, number: str, attempt_id: str | None) -> StoredCardPayment:
    """On the store thread: the card attempt ``attempt_id`` of the order, else its newest that
    reached the bank (an RRN or a final answer); an attempt ended on the reader before its
    authorization gets a slip only when asked for by its ``attempt_id`` or when it is the only one.
    """
    cards = store.card_payments_of_order(number)
    if attempt_id is not None:
        cards = [card for card in cards if card.attempt_id == attempt_id]
    else:
        authorized = [card for card in cards if _reached_bank(card)]
        cards = authorized or cards
    if not cards:
        raise ReceiptNotReady(
            LocalizedText(
                f"Заказ № {number}: оплаты картой не было, слипа нет.",
                f"Order {number}: there was no card payment, so there is no slip.",
            ),
            field="card_slip",
        )
    return cards[-1]


def _reached_bank(card: StoredCardPayment) -> bool:
    return card.billnumber is not None or card.rrn is not None


def _fiscal_pending(details: OrderDetails) -> bool:
    attempt = paid_attempt(details)
    sale = details.receipt_of(attempt.attempt_id, SELL)
    return sale is None or sale.fiscal_state is not FiscalState.SUCCESS
