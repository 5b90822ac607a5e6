"""Demo mode: a «Демо» menu that plays the buyer and the SoftPOS phone against the sandbox.

«Покупатель оплатил QR СБП» (Ctrl+Shift+1), «Телефон SoftPOS принял оплату» (Ctrl+Shift+2) and
«Не оплачивать: истекло время» (Ctrl+Shift+3) act on the payment shown on the QR screen through
the sandbox's control endpoints (docs/sandbox.md); the calls block, so they run on a thread of
their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop_pos.models.payment import PaymentMethod
from desktop_pos.services.remote_payment import RemotePayment
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.sandbox.gateway_process import SandboxGatewayProcess
    from desktop_pos.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def build_demo_menu(
    window: MainWindow,
    sandbox: SandboxGatewayProcess,
    current_payment: Callable[[], RemotePayment | None],
) -> QMenu:
    menu = QMenu(window)
    menu.setObjectName("demoMenu")

    def act(action: str) -> None:
        payment = current_payment()
        if payment is None:
            window.statusBar().showMessage(
                QCoreApplication.translate(
                    "DemoControls", "Нет платежа СБП или SoftPOS на экране."
                ),
                4000,
            )
            return
        if action == "sbp" and payment.method is not PaymentMethod.SBP:
            action = "softpos"
        elif action == "softpos" and payment.method is not PaymentMethod.SOFTPOS:
            action = "sbp"
        call = {
            "sbp": sandbox.buyer_pays,
            "softpos": sandbox.softpos_phone_pays,
            "expire": sandbox.let_expire,
        }[action]
        log.info("demo: %s for order %s", action, payment.order_number)
        run_task(_off_the_loop(call, payment.billnumber), on_success=lambda _reply: None)

    items = (
        ("actionDemoBuyerPays", "sbp", "Ctrl+Shift+1"),
        ("actionDemoPhonePays", "softpos", "Ctrl+Shift+2"),
        ("actionDemoExpire", "expire", "Ctrl+Shift+3"),
    )
    actions: dict[str, QAction] = {}
    for name, action, keys in items:
        item = QAction(menu)
        item.setObjectName(name)
        item.setShortcut(QKeySequence(keys))
        item.triggered.connect(lambda _checked=False, chosen=action: act(chosen))
        menu.addAction(item)
        actions[name] = item

    def retranslate() -> None:  # (the menu shown is the window's «Демо»: only its actions)
        actions["actionDemoBuyerPays"].setText(
            QCoreApplication.translate("DemoControls", "Покупатель оплатил QR СБП")
        )
        actions["actionDemoPhonePays"].setText(
            QCoreApplication.translate("DemoControls", "Телефон SoftPOS принял оплату")
        )
        actions["actionDemoExpire"].setText(
            QCoreApplication.translate("DemoControls", "Не оплачивать: истекло время")
        )

    retranslate()
    window.language_changed.connect(retranslate)
    return menu


async def _off_the_loop(call: Callable[[str], object], billnumber: str) -> object:
    """Run a blocking sandbox call on a thread of its own (not the loop's default executor,
    whose thread would outlive the app)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-control") as pool:
        return await asyncio.get_running_loop().run_in_executor(pool, call, billnumber)
