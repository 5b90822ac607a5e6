"""``desktop-pos pay --order-file FILE.json``: take the payment of one order, report the result.

A shop system calls the till as a program: the order file (Assist mPOS order JSON, validated as
in ``models.order_import``) opens in the window; when the cashier leaves the result screen («В
приложение предприятия»), hands the order back or closes the window, the result JSON
(``services.order_results``) is printed to stdout and the exit code says the outcome:

====  ===========================================================================
code  outcome
====  ===========================================================================
0     paid (``status`` ``paid``)
1     the till failed (see the log); nothing was printed, or an ``error`` JSON
2     usage: the file cannot be read, no display
3     the order was refused (``invalid_order``: every problem by field)
4     the order number is already paid or its payment is in process (``already_paid``)
5     not paid: the cashier handed the order back or closed the window (``returned``),
      or the last payment failed (``not_paid``)
6     the outcome is not known yet (``in_process``, an SBP/SoftPOS payment still open);
      ask again later (``GET /api/v1/orders/{ordernum}`` or the journal)
====  ===========================================================================

``set-api-token`` makes a local API token, keeps it in the keyring and prints it once.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path

from desktop_pos.config import Config
from desktop_pos.models.order_import import OrderImportError, parse_order_json
from desktop_pos.services.order_results import OrderOutcome, PosStatus

log = logging.getLogger(__name__)

EXIT_PAID = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID_ORDER = 3
EXIT_ALREADY_PAID = 4
EXIT_NOT_PAID = 5
EXIT_UNKNOWN = 6
EXIT_CODES = {
    PosStatus.PAID: EXIT_PAID,
    PosStatus.RETURNED: EXIT_NOT_PAID,
    PosStatus.NOT_PAID: EXIT_NOT_PAID,
    PosStatus.IN_PROCESS: EXIT_UNKNOWN,
    PosStatus.ON_SCREEN: EXIT_NOT_PAID,
    PosStatus.QUEUED: EXIT_NOT_PAID,
}
DRIVER_ENV = "DESKTOP_POS_PAY_DRIVER"
"""For automated tests of an integration: ``cash`` pays in cash through the widgets, ``hand_back``
presses «Вернуть заказ», ``close`` closes the window (docs/integration-api.md)."""


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2), flush=True)


def run_pay(config: Config, order_file: Path, log_path: Path | None) -> int:
    from desktop_pos.app import local_now

    try:
        data = order_file.read_bytes()
    except OSError as exc:
        print(f"desktop-pos: {order_file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        imported = parse_order_json(data, now=local_now(), merchant_id=config.gateway.merchant_id)
    except OrderImportError as error:
        _print_json(error.as_json())
        print(f"desktop-pos: {error.text.get(config.language)}", file=sys.stderr)
        return EXIT_INVALID_ORDER
    from desktop_pos.platform_check import display_problem

    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    return _run_window(config, imported, log_path)


def _run_window(config: Config, imported: object, log_path: Path | None) -> int:
    import asyncio

    import qasync

    from desktop_pos.app import (
        build_services,
        close_gateway,
        create_qapplication,
        link_gateway,
        make_main_window,
    )
    from desktop_pos.merchant_link import build_merchant_link
    from desktop_pos.models.order_import import ImportedOrder
    from desktop_pos.services.order_desk import DeskRefusal
    from desktop_pos.ui.i18n import apply_language
    from desktop_pos.ui.merchant_orders import attach_merchant_orders
    from desktop_pos.ui.selftest_api import run_pay_window

    assert isinstance(imported, ImportedOrder)
    app = create_qapplication()
    app.setQuitOnLastWindowClosed(False)
    apply_language(app, config.language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    services = build_services(config)
    link_gateway(services, config)
    merchant = build_merchant_link(services, replace(config), with_api=False)
    window = make_main_window(services, config, log_path)
    orders = attach_merchant_orders(window, merchant.desk, return_to_merchant=True)

    async def session() -> int:
        try:
            await merchant.desk.submit(imported)
        except DeskRefusal as refusal:
            _print_json(refusal.as_json())
            print(f"desktop-pos: {refusal.text.get(config.language)}", file=sys.stderr)
            return EXIT_ALREADY_PAID if refusal.code == "already_paid" else EXIT_FAILED
        outcome: OrderOutcome = await run_pay_window(
            window, orders, merchant.desk, imported.order.number, os.environ.get(DRIVER_ENV, "")
        )
        _print_json(outcome.data)
        return EXIT_CODES[outcome.status]

    try:
        with loop:
            code: int = loop.run_until_complete(session())
            loop.run_until_complete(merchant.close())
            loop.run_until_complete(close_gateway(services))
    finally:
        services.store.shutdown()
    return code


def set_api_token(config: Config) -> int:
    """Draw a new token, keep it in the keyring and print it once for the merchant's system."""
    from desktop_pos.api_token import new_api_token, store_api_token

    token = new_api_token()
    problem = store_api_token(token)
    if problem is not None:
        print(f"desktop-pos: {problem.get(config.language)}", file=sys.stderr)
        return EXIT_FAILED
    print(token)
    return EXIT_PAID
