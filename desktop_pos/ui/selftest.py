"""The self-test: drive the real widgets through each payment method and report.

Every check builds a fresh main window, finds the widgets by objectName and clicks and types as a
cashier would, waiting on the qasync loop (never blocking it) for the screens to change. It prints
one line per check, ``PASS <name>`` or ``FAIL <name>: <reason>``, and the exit code is 0 only if
every check passed. With an output directory it saves screenshots of each step (1280×800).

How the entry point calls it (``desktop-pos selftest [--only NAMES] [--out DIR]``)::

    app = QApplication(...)                       # offscreen when there is no display
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        code = loop.run_until_complete(
            run_selftest_async(make_window, only or None, out_dir, sys.stdout))

``make_window`` returns a new ``MainWindow`` over a throw-away store. ``run_selftest`` does the
``run_until_complete`` itself for a caller whose loop is set but not running.

The ``sync`` check needs the sandbox gateway process and the sync worker, which the app owns. The
app passes them as ``run_selftest_async(..., sync=SyncCheckSupport(stop_gateway, start_gateway,
sync_now))``: the windows' checkout and the sync worker must use the same throw-away store, and
the worker (and the checkout's gateway client) must point at that sandbox gateway, so that::

    gateway = <sandbox gateway subprocess on 127.0.0.1, port kept across restarts>
    worker = SyncWorker(db_url, gateway_settings, events, poll_interval_s=0.5, max_backoff_s=1)
    worker.start()
    sync = SyncCheckSupport(gateway.stop, gateway.start, worker.sync_now)

(``stop_gateway``/``start_gateway`` block until done; they run in a thread, not on the loop).
Without ``sync`` the check is not offered, so a plain ``selftest`` runs only what it can.

The ``print`` check needs the same and the virtual printer the windows print to
(``PrintCheckSupport(receipts)``, the printer's saved receipts): a cash sale with the gateway
down prints its offline slip from the preview; with the gateway back the fiscal receipt is
printed automatically. Both are read back from the virtual printer's decoder (ui/selftest_print.py).

Check names are fixed (``CHECKS``); only the ones in ``IMPLEMENTED`` exist in this version. With no
``only`` every implemented check runs; naming a check that is unknown or not implemented yet is a
usage error (exit code 2, the message lists the checks available).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from desktop_pos.models.money import change_due, format_amount, format_rub
from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.store import Store
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.result_screen import DATE_FORMAT, EMPTY_VALUE

if TYPE_CHECKING:
    from desktop_pos.sandbox.virtual_printer.server import SavedReceipt
    from desktop_pos.ui.selftest_api import ApiCheckSupport
    from desktop_pos.ui.selftest_card import CardCheckSupport
    from desktop_pos.ui.selftest_remote import RemoteCheckSupport


log = logging.getLogger(__name__)

CHECKS = ("cash", "sync", "print", "sbp", "softpos", "reader", "card", "api")
"""Every check the self-test will have, in the order they run."""
EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
DEFAULT_TIMEOUT = 20.0
"""Seconds a check waits for one screen change before it fails."""
SCREEN_SIZE = (1280, 800)
CASH_TENDERED = "20"
"""What the cash check types on the keypad for the sample order (14.24 руб. due)."""
_POLL_SECONDS = 0.02
_SYNC_POLL_SECONDS = 0.1
_KEY_NAMES = {".": "key_dot", ",": "key_comma"}
_DATE_PATTERN = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}")
_TRANSACTION_PATTERN = re.compile(r"[1-9]\d{15}")

W = TypeVar("W", bound=QWidget)


class CheckFailed(Exception):
    """A check found the program doing something else than expected; the message says what."""


@dataclass(frozen=True, slots=True)
class SyncCheckSupport:
    """What the ``sync`` check needs from the app (see the module docstring)."""

    stop_gateway: Callable[[], None]
    """Stop the sandbox gateway (blocking); its port is kept for ``start_gateway``."""
    start_gateway: Callable[[], None]
    """Start it again on the same port (blocking, until it accepts connections)."""
    sync_now: Callable[[], None]
    """Wake the sync worker."""


@dataclass(frozen=True, slots=True)
class PrintCheckSupport:
    """What the ``print`` check needs besides ``SyncCheckSupport``: the virtual printer."""

    receipts: Callable[[], Sequence[SavedReceipt]]
    """The receipts the virtual printer saved so far, oldest first."""


@dataclass(frozen=True, slots=True)
class CheckContext:
    make_window: Callable[[], MainWindow]
    out_dir: Path | None
    timeout: float
    sync: SyncCheckSupport | None = None
    printer: PrintCheckSupport | None = None
    remote: RemoteCheckSupport | None = None
    """The sandbox's buyer and SoftPOS phone, for ``sbp`` and ``softpos``."""
    api: ApiCheckSupport | None = None
    """The local API and its token, for ``api`` (``ui/selftest_api.py``)."""
    card: CardCheckSupport | None = None
    """The emulated readers and the printer's slips, for ``reader`` and ``card``."""


Check = Callable[[CheckContext], Awaitable[None]]


# -- helpers -------------------------------------------------------------------------------------
def find(parent: QWidget, kind: type[W], name: str) -> W:
    widget = parent.findChild(kind, name)
    if widget is None:
        raise CheckFailed(f"no {kind.__name__} named {name!r} in {parent.objectName()!r}")
    return widget


def click(button: QPushButton) -> None:
    if not button.isVisible() or not button.isEnabled():
        raise CheckFailed(f"button {button.objectName()!r} cannot be clicked (hidden or disabled)")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def expect(what: str, shown: str, expected: str) -> None:
    if shown != expected:
        raise CheckFailed(f"{what} shows {shown!r}, expected {expected!r}")


async def wait_until(condition: Callable[[], bool], what: str, timeout: float) -> None:
    """Let the loop (Qt events and asyncio tasks) run until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise CheckFailed(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(_POLL_SECONDS)


def save_screenshot(
    window: MainWindow, out_dir: Path | None, name: str, dialog: QWidget | None = None
) -> None:
    """Grab the window (and an open dialog drawn over it, centred, as it appears)."""
    if out_dir is None:
        return
    shot: QPixmap = window.grab()
    if dialog is not None:
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(0, 0, 0, 70))
        picture = dialog.grab()
        corner = QPoint(
            (shot.width() - picture.width()) // 2, (shot.height() - picture.height()) // 2
        )
        painter.drawPixmap(corner, picture)
        painter.end()
    path = out_dir / name
    if not shot.save(str(path), "PNG"):
        raise CheckFailed(f"could not write the screenshot {path}")
    log.info("self-test screenshot %s", path)


async def open_window(context: CheckContext) -> MainWindow:
    window = context.make_window()
    window.resize(*SCREEN_SIZE)
    window.show()
    window.activateWindow()
    await wait_until(window.isVisible, "the main window to appear", context.timeout)
    return window


# -- the cash check ------------------------------------------------------------------------------
async def check_cash(context: CheckContext) -> None:
    """A whole cash sale of the guide's sample order: 20 руб. received, 5.76 руб. change."""
    window = await open_window(context)
    try:
        await _cash_sale(window, context)
    finally:
        window.close()
        window.deleteLater()


async def _cash_sale(window: MainWindow, context: CheckContext, *, new_order: bool = True) -> str:
    """Sell the sample order for cash through the widgets; returns its order number.

    With ``new_order`` it ends on a fresh order, else on the result screen."""
    language = window.language()
    screen = window.order_screen
    order = sample_order(datetime.now().astimezone())
    screen.load_order(order)
    await wait_until(lambda: window.current_screen() is screen, "the order screen", context.timeout)
    expect("«Всего»", find(screen, QLabel, "totalValue").text(), format_rub(order.total))
    expect("«К оплате»", find(screen, QLabel, "dueValue").text(), format_rub(order.due))
    expect("«Номер заказа»", find(screen, QLineEdit, "orderNumberEdit").text(), order.number)
    save_screenshot(window, context.out_dir, "cash-01-order.png")

    click(find(screen, QPushButton, "cashButton"))
    await wait_until(
        lambda: window.current_change_dialog() is not None, "the change dialog", context.timeout
    )
    dialog = window.current_change_dialog()
    assert dialog is not None
    await wait_until(dialog.isVisible, "the change dialog to show", context.timeout)
    expect("«Сдача» before typing", find(dialog, QLabel, "changeLabel").text(), "0.00")
    for char in CASH_TENDERED:
        click(find(dialog, QPushButton, _KEY_NAMES.get(char, f"key_{char}")))
    expect("«Получено»", find(dialog, QLineEdit, "receivedEdit").text(), CASH_TENDERED)
    received = Decimal(CASH_TENDERED)
    change = change_due(received, order.due)
    expect("«Сдача»", find(dialog, QLabel, "changeLabel").text(), format_amount(change))
    save_screenshot(window, context.out_dir, "cash-02-change.png", dialog)

    click(find(dialog, QPushButton, "key_confirm"))
    await wait_until(
        lambda: (
            window.current_screen() is window.result_screen
            or (window.current_change_dialog() is None and not window.is_busy())
        ),
        "the payment to finish",
        context.timeout,
    )
    if window.current_screen() is not window.result_screen:
        box = window.findChild(QMessageBox, "userErrorBox")
        reason = box.text() if box is not None else "no result screen after ✓"
        raise CheckFailed(f"payment failed: {reason}")
    await wait_until(lambda: not window.is_busy(), "the window to be ready", context.timeout)

    result_screen = window.result_screen

    def shown(name: str) -> str:
        return find(result_screen, QLabel, name).text()

    paid_texts = {state.display.get(language) for state in OrderState if state.is_paid}
    if shown("statusValue") not in paid_texts:
        raise CheckFailed(f"«Статус заказа» shows {shown('statusValue')!r}, not paid")
    expect("«Сумма заказа»", shown("amountValue"), format_rub(order.total))
    expect("«Предоплата»", shown("prepaidValue"), EMPTY_VALUE)
    expect("«Способ оплаты»", shown("methodValue"), PaymentMethod.CASH.result_text.get(language))
    _check_date(shown("dateValue"))
    expect("«Номер заказа»", shown("orderNumberValue"), order.number)
    transaction = shown("transactionValue")
    if not _TRANSACTION_PATTERN.fullmatch(transaction):
        raise CheckFailed(f"«Номер транзакции» {transaction!r} is not 16 digits")
    if format_rub(change) not in shown("infoValue"):
        raise CheckFailed(
            f"«Информация» {shown('infoValue')!r} lacks the change {format_rub(change)}"
        )
    save_screenshot(window, context.out_dir, "cash-03-result.png")

    stored = await window.checkout.store.call(Store.load_result, order.number)
    if stored is None:
        raise CheckFailed(f"order {order.number} is not in the store")
    if (
        (stored.method, stored.amount, stored.received, stored.change)
        != (PaymentMethod.CASH, order.due, received, change)
        or not stored.state.is_paid
        or stored.transaction_number != transaction
    ):
        raise CheckFailed(f"the stored sale differs from the screen: {stored}")
    if not new_order:
        return order.number

    click(find(result_screen, QPushButton, "backButton"))
    await wait_until(lambda: window.current_screen() is screen, "a new order", context.timeout)
    fresh_number = find(screen, QLineEdit, "orderNumberEdit").text()
    if not fresh_number or fresh_number == order.number:
        raise CheckFailed(f"the new order has number {fresh_number!r}")
    if window.focusWidget() is not find(screen, QLineEdit, "orderNumberEdit"):
        raise CheckFailed("the new order does not start with the focus on «Номер заказа»")
    save_screenshot(window, context.out_dir, "cash-04-new-order.png")
    return order.number


def _check_date(text: str) -> None:
    if not _DATE_PATTERN.fullmatch(text):
        raise CheckFailed(f"«Дата заказа» {text!r} is not DD.MM.YYYY HH:MM:SS")
    shown = datetime.strptime(text, DATE_FORMAT)
    if abs(datetime.now() - shown) > timedelta(minutes=5):
        raise CheckFailed(f"«Дата заказа» {text!r} is not the time of the sale")


# -- the sync check ------------------------------------------------------------------------------
async def _in_thread(action: Callable[[], None]) -> None:
    """Run a blocking call off the loop on a thread of its own (finished before returning)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="selftest") as pool:
        await asyncio.get_running_loop().run_in_executor(pool, action)


async def check_sync(context: CheckContext) -> None:
    """A cash sale with the gateway down is stored Offline; once the gateway is back, the sync
    worker uploads and fiscalizes it (the result is read from the store)."""
    support = context.sync
    if support is None:
        raise CheckFailed("the sync check needs the sandbox gateway and the sync worker")
    loop = asyncio.get_running_loop()
    await _in_thread(support.stop_gateway)
    window = await open_window(context)
    store = window.checkout.store
    try:
        number = await _cash_sale(window, replace(context, out_dir=None))
    finally:
        window.close()
        window.deleteLater()
    stored = await store.call(Store.load_result, number)
    if stored is None or stored.state is not OrderState.OFFLINE:
        raise CheckFailed(
            f"with the gateway down the sale is {stored and stored.state}, not Offline"
        )
    await _in_thread(support.start_gateway)
    support.sync_now()
    deadline = loop.time() + context.timeout
    details = None
    while loop.time() < deadline:
        details = await store.call(Store.load_details, number)
        if (
            details is not None
            and details.state is OrderState.APPROVED
            and details.fiscal_state is FiscalState.SUCCESS
        ):
            return
        await asyncio.sleep(_SYNC_POLL_SECONDS)
    shown = (
        "not stored"
        if details is None
        else (
            f"state {details.state.value}, fiscal state "
            f"{details.fiscal_state.value if details.fiscal_state else None}"
        )
    )
    raise CheckFailed(
        f"order {number} was not fiscalized within {context.timeout:g} s "
        f"after the gateway came back ({shown})"
    )


async def _check_print(context: CheckContext) -> None:
    from desktop_pos.ui.selftest_print import check_print

    await check_print(context)


async def _check_sbp(context: CheckContext) -> None:
    from desktop_pos.ui.selftest_remote import check_sbp

    await check_sbp(context)


async def _check_softpos(context: CheckContext) -> None:
    from desktop_pos.ui.selftest_remote import check_softpos

    await check_softpos(context)


def _card_check(name: str) -> Check:  # ``reader`` and ``card`` (ui/selftest_card.py)
    async def check(context: CheckContext) -> None:
        from desktop_pos.ui import selftest_card

        await getattr(selftest_card, f"check_{name}")(context)

    return check


async def _check_api(context: CheckContext) -> None:
    from desktop_pos.ui.selftest_api import check_api

    await check_api(context)


IMPLEMENTED: dict[str, Check] = {
    "cash": check_cash,
    "sync": check_sync,
    "print": _check_print,
    "sbp": _check_sbp,
    "softpos": _check_softpos,
    "reader": _card_check("reader"),
    "card": _card_check("card"),
    "api": _check_api,
}
"""The checks of this version, by name (a subset of ``CHECKS``, in the same order)."""


# -- running -------------------------------------------------------------------------------------
def select_checks(
    only: Sequence[str] | None,
    *,
    with_sync: bool = False,
    with_print: bool = False,
    with_remote: bool = False,
    with_api: bool = False,
    with_card: bool = False,
) -> list[str]:
    """The names to run; ``ValueError`` (with the message for the user) for a bad name.

    ``sync`` is available only ``with_sync`` (the app gave ``SyncCheckSupport``), ``print``
    only with both ``with_sync`` and ``with_print`` (``PrintCheckSupport``), ``sbp`` and
    ``softpos`` only ``with_remote`` (``RemoteCheckSupport``)."""
    offered = [
        name
        for name in IMPLEMENTED
        if (with_sync or name != "sync")
        and ((with_sync and with_print) or name != "print")
        and (with_remote or name not in ("sbp", "softpos"))
        and (with_api or name != "api")
        and (with_card or name not in ("reader", "card"))
    ]
    available = ", ".join(offered)
    if not only:
        return offered
    names: list[str] = []
    for name in only:
        if name not in CHECKS:
            raise ValueError(f"unknown check {name!r}; available checks: {available}")
        if name not in offered:
            raise ValueError(
                f"check {name!r} is not available in this version; available checks: {available}"
            )
        if name not in names:
            names.append(name)
    return names


async def run_selftest_async(
    make_window: Callable[[], MainWindow],
    only: Sequence[str] | None = None,
    out_dir: Path | None = None,
    out: TextIO = sys.stdout,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    sync: SyncCheckSupport | None = None,
    printer: PrintCheckSupport | None = None,
    remote: RemoteCheckSupport | None = None,
    api: ApiCheckSupport | None = None,
    card: CardCheckSupport | None = None,
) -> int:
    """Run the checks on the running qasync loop; return the exit code (0, 1, or 2)."""
    try:
        names = select_checks(
            only,
            with_sync=sync is not None,
            with_print=printer is not None,
            with_remote=remote is not None,
            with_api=api is not None,
            with_card=card is not None,
        )
    except ValueError as exc:
        print(f"selftest: {exc}", file=out, flush=True)
        return EXIT_USAGE
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    context = CheckContext(
        make_window=make_window,
        out_dir=out_dir,
        timeout=timeout,
        sync=sync,
        printer=printer,
        remote=remote,
        api=api,
        card=card,
    )
    failed = 0
    for name in names:
        log.info("self-test %s: start", name)
        try:
            await IMPLEMENTED[name](context)
        except CheckFailed as exc:
            failed += 1
            reason = _one_line(str(exc))
            log.warning("self-test %s failed: %s", name, reason)
            print(f"FAIL {name}: {reason}", file=out, flush=True)
        except Exception as exc:  # a bug in the program: still one line, and the traceback logged
            failed += 1
            log.exception("self-test %s crashed", name)
            print(f"FAIL {name}: {type(exc).__name__}: {_one_line(str(exc))}", file=out, flush=True)
        else:
            log.info("self-test %s passed", name)
            print(f"PASS {name}", file=out, flush=True)
    return EXIT_FAILED if failed else EXIT_PASSED


def run_selftest(
    make_window: Callable[[], MainWindow],
    only: Sequence[str] | None = None,
    out_dir: Path | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Run the self-test on the current (qasync) event loop, which must not be running yet."""
    loop = asyncio.get_event_loop_policy().get_event_loop()
    if loop.is_running():
        raise RuntimeError("the event loop is running: await run_selftest_async() instead")
    return loop.run_until_complete(run_selftest_async(make_window, only, out_dir, out))


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "no reason given"
