"""The self-test's ``sbp`` and ``softpos`` checks: a QR payment of the sample order, end to end.

Each check opens a window, presses «СБП» (or «SoftPOS»), waits for the QR screen and checks the
QR code shows the payload the gateway issued (an NSPK link, or the SoftPOS deep link with the
order number and amount), opens the order status («В процессе»), lets the sandbox's buyer (or
SoftPOS phone) pay and waits for «Оплачен» on the result screen. With ``--out`` it saves
``sbp-01-qr.png``, ``sbp-02-status.png`` and ``sbp-03-result.png`` (``softpos-…`` likewise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPushButton

from desktop_pos.models.money import format_amount, format_rub
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.sandbox.sample_order import sample_order
from desktop_pos.services.gateway.mpos_operations import NSPK_LINK, SOFTPOS_DEEP_LINK
from desktop_pos.services.remote_payment import PollSchedule

if TYPE_CHECKING:
    from desktop_pos.ui.main_window import MainWindow
    from desktop_pos.ui.selftest import CheckContext

SELFTEST_POLLS = PollSchedule(first_s=0.3, factor=1.5, max_s=1.0)


@dataclass(frozen=True, slots=True)
class RemoteCheckSupport:
    """What the ``sbp`` and ``softpos`` checks need: the sandbox's buyer and SoftPOS phone."""

    buyer_pays: Callable[[str], object]
    """The buyer pays the SBP QR of this billnumber (blocking)."""
    phone_pays: Callable[[str], object]
    """The SoftPOS phone takes the card for this billnumber (blocking)."""


async def check_sbp(context: CheckContext) -> None:
    await _remote_sale(context, PaymentMethod.SBP)


async def check_softpos(context: CheckContext) -> None:
    await _remote_sale(context, PaymentMethod.SOFTPOS)


async def _remote_sale(context: CheckContext, method: PaymentMethod) -> None:
    from desktop_pos.ui import selftest as base

    support = context.remote
    if support is None:
        raise base.CheckFailed(f"the {method.value} check needs the sandbox gateway")
    window = await base.open_window(context)
    prefix = method.value
    await _wait_for_gateway(window, context.timeout)
    try:
        language = window.language()
        order = sample_order(datetime.now().astimezone())
        window.order_screen.load_order(order)
        flow = window.payment_flow
        flow.service.schedule = SELFTEST_POLLS
        screen = flow.screen
        button = "sbpButton" if method is PaymentMethod.SBP else "softposButton"
        base.click(base.find(window.order_screen, QPushButton, button))
        await base.wait_until(
            lambda: screen.current_page() == "qrPage", "the QR code", context.timeout
        )
        payment = flow.payment
        if payment is None:
            raise base.CheckFailed("the QR screen shows no registered payment")
        shown = screen.qr_widget().payload()
        base.expect("the QR code", shown, payment.qr_payload)
        pattern = NSPK_LINK if method is PaymentMethod.SBP else SOFTPOS_DEEP_LINK
        if not pattern.fullmatch(shown):
            raise base.CheckFailed(f"the QR code shows {shown!r}, not a {method.value} link")
        if method is PaymentMethod.SBP:
            kopecks = int(order.due * 100)
            if f"&sum={kopecks}&" not in shown:
                raise base.CheckFailed(f"the SBP link {shown!r} is not for {order.due} руб.")
        elif f"&amount={format_amount(order.due)}&" not in shown:
            raise base.CheckFailed(f"the SoftPOS link {shown!r} is not for {order.due} руб.")
        base.save_screenshot(window, context.out_dir, f"{prefix}-01-qr.png")

        base.click(base.find(screen, QPushButton, "toStatusButton"))
        base.expect(
            "«Статус заказа»",
            base.find(screen, QLabel, "statusValue").text(),
            OrderState.IN_PROCESS.display.get(language),
        )
        base.expect(
            "«Сумма заказа»", base.find(screen, QLabel, "amountValue").text(), format_rub(order.due)
        )
        base.expect(
            "«Номер заказа»", base.find(screen, QLabel, "orderNumberValue").text(), order.number
        )
        base.save_screenshot(window, context.out_dir, f"{prefix}-02-status.png")

        pay = support.buyer_pays if method is PaymentMethod.SBP else support.phone_pays
        billnumber = payment.billnumber
        await base._in_thread(lambda: _discard(pay(billnumber)))
        await base.wait_until(
            lambda: window.current_screen() is window.result_screen,
            "«Оплачен» after the payment",
            context.timeout,
        )
        result = base.find(window.result_screen, QLabel, "statusValue").text()
        base.expect("«Статус заказа»", result, OrderState.APPROVED.display.get(language))
        base.expect(
            "«Способ оплаты»",
            base.find(window.result_screen, QLabel, "methodValue").text(),
            method.result_text.get(language),
        )
        if payment.attempt.amount != Decimal(order.due):
            raise base.CheckFailed("the payment's amount is not the order's due amount")
        base.save_screenshot(window, context.out_dir, f"{prefix}-03-result.png")
    finally:
        window.close()
        window.deleteLater()


def _discard(_reply: object) -> None:
    return None


async def _wait_for_gateway(window: MainWindow, timeout: float) -> None:
    """The sandbox starts with the app: wait until it answers (a payment needs it)."""
    import asyncio

    from desktop_pos.ui import selftest as base

    gateway = window.checkout.gateway
    if gateway is None:
        raise base.CheckFailed("no gateway client: the self-test runs against the sandbox")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await gateway.ping():
        if loop.time() > deadline:
            raise base.CheckFailed(f"the sandbox gateway did not answer within {timeout:g} s")
        await asyncio.sleep(0.1)
