"""The self-test's ``api`` check, and the window of ``desktop-pos pay``.

``api``: an order (the guide's sample, numbered ``API-…``, items fixed by its ``allow_*`` flags)
is POSTed to the running local API with the bearer token (and once without it: 401), the window
shows it with its number locked, the driver pays it in cash through the widgets, and the result
is fetched with ``GET /api/v1/orders/{ordernum}``: ``paid``, cash, the amounts and the transaction
number on the result screen. With ``--out``: ``api-01-order.png`` and ``api-02-result.png``.

``run_pay_window`` shows the order of ``pay --order-file`` and waits until the cashier is done;
a driver (``cash``, ``hand_back``, ``close``) can play the cashier for integration tests.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from desktop_pos.models.money import change_due, format_amount, format_rub
from desktop_pos.models.order import EditPermissions
from desktop_pos.models.order_import import ImportedOrder, order_to_json
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.order_desk import OrderDesk
from desktop_pos.services.order_results import OrderOutcome, PosStatus, waiting_result

if TYPE_CHECKING:
    from desktop_pos.ui.main_window import MainWindow
    from desktop_pos.ui.merchant_orders import MerchantOrders
    from desktop_pos.ui.selftest import CheckContext

log = logging.getLogger(__name__)

PAY_TIMEOUT_S = 30.0
_KEY_NAMES = {".": "key_dot", ",": "key_comma"}


@dataclass(frozen=True, slots=True)
class ApiCheckSupport:
    """What the ``api`` check needs: where the API listens, its token, and how to wire a
    window to the desk behind it."""

    url: str
    token: str
    attach: Callable[[MainWindow], MerchantOrders]


def api_sample_order_json(now: datetime, number: str) -> dict[str, object]:
    """The guide's sample order as the merchant's system would send it."""
    order = sample_order(now)
    permissions = EditPermissions(
        edit_item_quantity=True, remove_item=False, add_item=False, edit_item=False
    )
    imported = ImportedOrder(
        order=replace(order, number=number, permissions=permissions),
        amount=order.total,
        number_given=True,
        merchant_name="ООО Мерчант",
    )
    return order_to_json(imported)


async def pay_cash_through_widgets(window: MainWindow, received: Decimal, timeout: float) -> None:
    """«Наличные», the received amount on the keypad, ✓; ends on the result screen."""
    from desktop_pos.ui import selftest as base

    base.click(base.find(window.order_screen, QPushButton, "cashButton"))
    await base.wait_until(
        lambda: window.current_change_dialog() is not None, "the change dialog", timeout
    )
    dialog = window.current_change_dialog()
    assert dialog is not None
    await base.wait_until(dialog.isVisible, "the change dialog to show", timeout)
    for char in format_amount(received):
        base.click(base.find(dialog, QPushButton, _KEY_NAMES.get(char, f"key_{char}")))
    base.click(base.find(dialog, QPushButton, "key_confirm"))
    await base.wait_until(
        lambda: window.current_screen() is window.result_screen and not window.is_busy(),
        "the result screen after the cash payment",
        timeout,
    )


async def _drive(window: MainWindow, orders: MerchantOrders, driver: str) -> None:
    from desktop_pos.ui import selftest as base

    await base.wait_until(
        lambda: orders.shown_number() is not None, "the order on the screen", PAY_TIMEOUT_S
    )
    if driver == "cash":
        due = window.order_screen.current_order().due
        await pay_cash_through_widgets(window, due, PAY_TIMEOUT_S)
        base.click(base.find(window.result_screen, QPushButton, "backButton"))
    elif driver == "hand_back":
        base.click(base.find(window.order_screen, QPushButton, "handBackButton"))
    elif driver == "close":
        window.close()
    else:
        log.warning("unknown pay driver %r ignored", driver)


async def run_pay_window(
    window: MainWindow, orders: MerchantOrders, desk: OrderDesk, number: str, driver: str = ""
) -> OrderOutcome:
    """Show the window with the order; return its result once the cashier is done."""
    left: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def on_left(number_left: str) -> None:
        if not left.done():
            left.set_result(number_left)

    orders.left_to_merchant.connect(on_left)
    window.show()
    window.raise_()
    window.activateWindow()
    orders.show_next(force=True)
    driving = asyncio.ensure_future(_drive(window, orders, driver)) if driver else None
    while not left.done() and window.isVisible():
        await asyncio.sleep(0.05)
    if driving is not None and not driving.done():
        driving.cancel()
    if orders.shown_number() == number:  # the window was closed with the order on it
        desk.hand_back(number)
    window.close()
    window.deleteLater()
    outcome = await desk.result(number)
    return outcome if outcome is not None else waiting_result(number, PosStatus.RETURNED)


async def check_api(context: CheckContext) -> None:
    import httpx

    from desktop_pos.services.merchant_api import ORDERS_PATH
    from desktop_pos.ui import selftest as base

    support = context.api
    if support is None:
        raise base.CheckFailed("the api check needs the local API")
    window = await base.open_window(context)
    orders = support.attach(window)
    now = datetime.now().astimezone()
    number = f"API-{now:%Y%m%d%H%M%S}-{now.microsecond // 1000:03d}"
    body = api_sample_order_json(now, number)
    headers = {"Authorization": f"Bearer {support.token}"}
    try:
        async with httpx.AsyncClient(base_url=support.url, timeout=context.timeout) as http:
            refused = await http.post(ORDERS_PATH, json=body)
            base.expect("POST without a token", str(refused.status_code), "401")
            posted = await http.post(ORDERS_PATH, json=body, headers=headers)
            base.expect("POST with the token", str(posted.status_code), "202")
            await base.wait_until(
                lambda: orders.shown_number() == number, "the posted order", context.timeout
            )
            screen = window.order_screen
            number_edit = base.find(screen, QLineEdit, "orderNumberEdit")
            base.expect("«Номер заказа»", number_edit.text(), number)
            if not number_edit.isReadOnly():
                raise base.CheckFailed("the merchant's order number can be edited")
            if base.find(screen, QPushButton, "addItemButton").isEnabled():
                raise base.CheckFailed("«Добавить» is enabled though allow_add_item is false")
            order = screen.current_order()
            base.save_screenshot(window, context.out_dir, "api-01-order.png")

            received = Decimal(base.CASH_TENDERED)
            await pay_cash_through_widgets(window, received, context.timeout)
            transaction = base.find(window.result_screen, QLabel, "transactionValue").text()
            base.save_screenshot(window, context.out_dir, "api-02-result.png")

            fetched = await http.get(f"{ORDERS_PATH}/{number}", headers=headers)
            base.expect("GET the result", str(fetched.status_code), "200")
            result = fetched.json()
            expected = {
                "status": "paid",
                "method": "cash",
                "amount": format_amount(order.total),
                "amount_paid": format_amount(order.due),
                "change": format_amount(change_due(received, order.due)),
                "transaction_number": transaction,
            }
            shown = {key: result.get(key) for key in expected}
            if shown != expected:
                raise base.CheckFailed(f"the API result {shown} is not {expected}")
            log.info("api check: order %s paid, %s", number, format_rub(order.due))
    finally:
        window.close()
        window.deleteLater()
