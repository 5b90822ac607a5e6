"""Composition root: command line → config → store → services → UI, on a qasync event loop.

``desktop-pos [--demo] [--db URL] [--config FILE] [--lang ru|en]`` starts the counter;
``desktop-pos selftest [--only NAMES] [--out DIR]`` drives the real widgets offscreen through every
payment method and prints ``PASS <name>`` / ``FAIL <name>: <reason>`` per check.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_pos import version
from desktop_pos.config import AppPaths, Config, ConfigError, load_config
from desktop_pos.logging_setup import setup_logging
from desktop_pos.models.order import Order
from desktop_pos.models.order_number import generate_order_number
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.platform_check import display_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_pos.gateway_link import GatewayLink
    from desktop_pos.printer_link import PrinterLink
    from desktop_pos.reader_link import ReaderLinkSetup
    from desktop_pos.services.checkout import CheckoutService
    from desktop_pos.services.events import EventBus
    from desktop_pos.services.store import Store
    from desktop_pos.services.store_worker import StoreWorker
    from desktop_pos.ui.garbage_collector import GarbageCollector
    from desktop_pos.ui.main_window import MainWindow
    from desktop_pos.ui.print_actions import PrintingSetup

log = logging.getLogger("desktop_pos")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def local_now() -> datetime:
    """The time at the counter, timezone-aware."""
    return datetime.now().astimezone()


def empty_order() -> Order:
    now = local_now()
    return Order(number=generate_order_number(now), created_at=now)


def demo_order() -> Order:
    from desktop_pos.sandbox.sample_order import sample_order

    return sample_order(local_now())


class _VersionAction(argparse.Action):
    """``--version`` that reads the package metadata only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        parser.exit(message=f"desktop-pos {version()}\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="desktop-pos", description="Desktop point of sale (Assist mPOS compatible)."
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: sample order, separate demo database, DEMO banner",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: SQLite in the user data directory)",
    )
    parser.add_argument("--config", metavar="FILE", type=Path, help="settings file (TOML)")
    parser.add_argument(
        "--lang", choices=[lang.value for lang in Language], help="interface language (default ru)"
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")
    selftest = sub.add_parser("selftest", help="drive every payment method headless and report")
    selftest.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAMES",
        help="comma-separated check names (repeatable), e.g. cash",
    )
    selftest.add_argument("--out", type=Path, metavar="DIR", help="save a screenshot per screen")
    sub.add_parser("set-password", help="store the Assist gateway password in the system keyring")
    # -- orders from the merchant's system (docs/integration-api.md) --
    pay = sub.add_parser("pay", help="take the payment of an order file, print the result JSON")
    pay.add_argument("--order-file", type=Path, required=True, metavar="FILE.json")
    sub.add_parser("set-api-token", help="make a local API token, keep it in the keyring, show it")
    sub.add_parser(
        "sandbox-gateway",
        help="run the sandbox gateway server (see docs/sandbox.md for its options)",
        add_help=False,
    )
    return parser.parse_args(argv)


@dataclass
class Services:
    store: StoreWorker
    checkout: CheckoutService
    events: EventBus
    gateway: GatewayLink | None = None
    """Set once the link is built (after the window is up); None with no gateway at all."""
    printer: PrinterLink | None = None
    """Set once printing is set up (after the window is up)."""
    reader: ReaderLinkSetup | None = None
    """Set once the card reader's parts are built (after the window is up)."""

    def stop_printing(self) -> None:
        printer, self.printer = self.printer, None
        if printer is not None:
            printer.stop()

    def sync_now(self) -> None:
        if self.gateway is not None:
            self.gateway.worker.sync_now()

    async def order_state(self, number: str) -> Sequence[object]:
        from desktop_pos.models.errors import UserFacingError

        if self.gateway is None:
            raise UserFacingError(
                LocalizedText(
                    "Шлюз Ассист не настроен: задайте [gateway] в файле настроек.",
                    "The Assist gateway is not set up: fill in [gateway] in the settings file.",
                )
            )
        return await self.gateway.client.order_state(number)


def build_services(config: Config, *, start_store: bool = True) -> Services:
    """Open the store (on its own thread, migrating forward) and wire the services."""
    from desktop_pos.services.checkout import CheckoutService
    from desktop_pos.services.events import EventBus
    from desktop_pos.services.store_worker import StoreWorker

    url = config.database_url

    def open_store() -> Store:  # runs on the store thread, imports included
        from desktop_pos.services.store import Store

        return Store.open(url)

    store = StoreWorker(open_store, start=start_store)
    events = EventBus()
    checkout = CheckoutService(
        store, events, clock=local_now, source="demo" if config.demo else "manual"
    )
    return Services(store=store, checkout=checkout, events=events)


def link_gateway(services: Services, config: Config, *, password: str | None = None) -> None:
    """Build the gateway link and start the sync worker (and the sandbox in demo mode)."""
    from desktop_pos.gateway_link import build_gateway_link
    from desktop_pos.services.events import SaleCompleted

    link = build_gateway_link(config, services.events, password=password)
    if link is None:
        return
    services.gateway = link
    services.checkout.attach_gateway(link.client, link.worker.resync_done)
    services.events.subscribe(
        SaleCompleted, lambda _event: link.worker.sync_now(after_s=SALE_SYNC_DELAY_S)
    )
    link.start()
    if link.problem is not None:
        log.warning("gateway: %s", link.problem.en)


PREPARE_SALE_AFTER_MS = 1500
"""After start-up, when the change dialog and the result screen are built (``run_gui``)."""
SALE_SYNC_DELAY_S = 0.1
"""A new sale wakes the sync worker this much later, once the window has painted the result
screen: the upload's work would otherwise compete with that paint for the interpreter lock
(docs/performance.md)."""


async def close_gateway(services: Services) -> None:
    import asyncio

    link = services.gateway
    if link is None:
        return
    await asyncio.to_thread(link.stop)
    await link.client.close()


def create_qapplication() -> QApplication:
    from PySide6.QtWidgets import QApplication

    from desktop_pos.ui.qt_messages import route_qt_messages_to_log
    from desktop_pos.ui.theme import load_style_sheet

    route_qt_messages_to_log()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("desktop-pos")
    app.setApplicationDisplayName("desktop_pos")
    app.setStyleSheet(load_style_sheet())
    return app


def make_main_window(
    services: Services,
    config: Config,
    log_path: Path | None,
    printing: PrintingSetup | None = None,
) -> MainWindow:
    from desktop_pos.ui.main_window import MainWindow

    new_order: Callable[[], Order] = demo_order if config.demo else empty_order
    return MainWindow(
        services.checkout,
        new_order,
        language=config.language,
        demo=config.demo,
        version=version,  # read when the About box opens: the package metadata is slow to load
        log_path=log_path,
        sync_now=services.sync_now,
        events=services.events,
        order_state=services.order_state,
        printing=printing,
    )


def start_garbage_collector(window: MainWindow) -> GarbageCollector:
    """Python's collections on the GUI thread's timer; a full one only while no payment runs."""
    from desktop_pos.ui.garbage_collector import GarbageCollector

    collector = GarbageCollector(window.payment_in_progress, window)
    window.screen_changed.connect(collector.note_activity)
    collector.start()
    return collector


def run_gui(config: Config, log_path: Path | None) -> int:
    """Show the window first; asyncio, the database and the gateway come up behind it.

    The window is built and shown, then Qt's event loop runs. What is not needed for the first
    frame starts from there: asyncio and qasync are imported on a thread and the loop attached
    (``AsyncLoopAttacher``), the store is opened on its thread, and the gateway link is built on
    another.
    """
    from PySide6.QtCore import QTimer

    from desktop_pos.ui.async_loop import AsyncLoopAttacher, GuiThreadCall
    from desktop_pos.ui.crash import install_exception_hooks, report_exception, show_user_error
    from desktop_pos.ui.i18n import apply_language
    from desktop_pos.ui.tasks import set_loop_provider
    from desktop_pos.ui.theme import prepare_style_for_python

    app = create_qapplication()
    apply_language(app, config.language)
    if log_path is None:
        import tempfile

        log_path = Path(tempfile.gettempdir()) / "desktop-pos.log"
    install_exception_hooks(log_path)
    attacher = AsyncLoopAttacher(app)
    set_loop_provider(attacher.ensure_loop)
    in_gui_thread = GuiThreadCall()

    services = build_services(config, start_store=False)
    window = make_main_window(services, config, log_path)
    from desktop_pos.merchant_link import build_merchant_link  # orders from the merchant
    from desktop_pos.ui.merchant_orders import attach_merchant_orders

    merchant = build_merchant_link(services, config)
    attach_merchant_orders(window, merchant.desk, lookup=merchant.lookup)
    window.show()
    window.raise_()
    window.activateWindow()  # a counter kiosk may run without a window manager to do it
    collector = start_garbage_collector(window)

    def started() -> None:
        app.setApplicationVersion(version())
        log.info(
            "desktop-pos %s started (demo=%s, db=%s)",
            version(),
            config.demo,
            _redact_url(config.database_url),
        )

    def store_opened(future: Future[Store]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            return
        from desktop_pos.models.errors import UserFacingError

        def show() -> None:
            if isinstance(error, UserFacingError):
                log.error("the database cannot be used: %s", error)
                show_user_error(window, error, config.language)
            else:
                report_exception(error, parent=window)

        in_gui_thread(show)

    services.store.opened.add_done_callback(store_opened)

    if os.environ.get("DESKTOP_POS_EXIT_WHEN_READY") == "1":  # start-up benchmark (bench/)

        def ready() -> None:
            print("READY", flush=True)
            app.quit()

        QTimer.singleShot(0, ready)

    def link_and_offer_demo() -> None:
        link_gateway(services, config)
        link = services.gateway
        if link is not None and link.sandbox is not None:
            sandbox = link.sandbox
            in_gui_thread(lambda: window.set_demo_gateway(sandbox))

    linking = threading.Thread(target=link_and_offer_demo, name="gateway-link", daemon=True)

    def set_up_printing() -> None:
        from desktop_pos.printer_link import start_printing

        try:
            printer = start_printing(services.store, config)
        except Exception as exc:  # a bug: reported like any other
            error = exc
            in_gui_thread(lambda: report_exception(error, parent=window))
            return
        services.printer = printer
        in_gui_thread(lambda: window.set_printing(printer.setup))

    printing = threading.Thread(target=set_up_printing, name="printer-setup", daemon=True)

    def set_up_card_reader() -> None:
        # bleak (and in demo mode bumble) load on this thread; the manager is built on the loop.
        import desktop_pos.reader_link

        if config.demo:
            import desktop_pos.sandbox.card_reader.emulator
            import desktop_pos.sandbox.virtual_radio  # noqa: F401
        in_gui_thread(start_card_reader)

    def start_card_reader() -> None:
        from desktop_pos.reader_link import start_reader_link
        from desktop_pos.ui.tasks import run_task

        def started(setup: ReaderLinkSetup) -> None:
            services.reader = setup
            window.set_card_reader(setup, config.paths.config_file)

        run_task(start_reader_link(config), on_success=started)

    reader = threading.Thread(target=set_up_card_reader, name="reader-setup", daemon=True)

    def start_merchant_api() -> None:
        from desktop_pos.ui.tasks import run_task

        run_task(merchant.start(), on_success=lambda _none: None)

    for deferred in (
        lambda: prepare_style_for_python(app),
        attacher.load_in_background,
        services.store.start,
        linking.start,
        printing.start,
        reader.start,
        started,
        start_merchant_api,
    ):
        QTimer.singleShot(0, deferred)
    # Once the parts above have come up: the first cash sale as quick as the next ones.
    QTimer.singleShot(PREPARE_SALE_AFTER_MS, window.prepare_cash_sale)

    app.exec()
    collector.stop()
    loop = attacher.finish()
    try:
        for thread in (linking, printing, reader):
            if thread.ident is not None:  # started: let it finish before stopping its parts
                thread.join(timeout=10)
        loop.run_until_complete(close_gateway(services))
        loop.run_until_complete(merchant.close())
        if services.reader is not None:
            loop.run_until_complete(services.reader.close())
    finally:
        loop.close()
        set_loop_provider(None)
        services.stop_printing()
        services.store.shutdown()
    log.info("desktop-pos stopped")
    return EXIT_OK


def run_selftest(config: Config, only: list[str], out_dir: Path | None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import asyncio

    import qasync

    from desktop_pos.hardware.printer.settings import PrinterSettings
    from desktop_pos.printer_link import copy_receipts, start_printing
    from desktop_pos.ui.i18n import apply_language
    from desktop_pos.ui.selftest import PrintCheckSupport, SyncCheckSupport, run_selftest_async
    from desktop_pos.ui.selftest_remote import RemoteCheckSupport

    names = [name.strip() for chunk in only for name in chunk.split(",") if name.strip()]
    app = create_qapplication()
    app.setQuitOnLastWindowClosed(False)  # each check opens and closes a window of its own
    apply_language(app, config.language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="desktop-pos-selftest-") as tmp:
        # Everything the self-test writes stays in this folder: its own database and sandbox.
        test_config = replace(
            config,
            demo=True,
            db_url=f"sqlite:///{Path(tmp) / 'selftest.sqlite3'}",
            paths=replace(config.paths, data_dir=Path(tmp)),
        )
        services = build_services(test_config)
        link_gateway(services, test_config)
        link = services.gateway
        assert link is not None and link.sandbox is not None  # demo mode always has one
        sync = SyncCheckSupport(
            stop_gateway=link.sandbox.stop,
            start_gateway=link.sandbox.start,
            sync_now=link.worker.sync_now,
        )
        # The self-test prints to its own virtual printer, never to the counter's printer.
        printer = start_printing(services.store, replace(test_config, printer=PrinterSettings()))
        services.printer = printer
        from desktop_pos.api_token import new_api_token  # the api check: a loopback API of its own
        from desktop_pos.merchant_link import build_merchant_link
        from desktop_pos.ui.merchant_orders import attach_merchant_orders
        from desktop_pos.ui.selftest_api import ApiCheckSupport

        token = new_api_token()
        merchant = build_merchant_link(services, test_config, token=token, port=0, with_api=True)
        try:
            with loop:
                loop.run_until_complete(merchant.start())
                api_support = None
                if merchant.api is not None:
                    api_support = ApiCheckSupport(
                        merchant.api.url,
                        token,
                        lambda window: attach_merchant_orders(window, merchant.desk),
                    )
                from desktop_pos.reader_link import start_reader_link
                from desktop_pos.ui.selftest_card import CardCheckSupport

                reader = loop.run_until_complete(start_reader_link(test_config))
                services.reader = reader
                code: int = loop.run_until_complete(
                    run_selftest_async(
                        lambda: make_main_window(services, test_config, None, printer.setup),
                        names or None,
                        out_dir,
                        sys.stdout,
                        sync=sync,
                        printer=PrintCheckSupport(receipts=printer.receipts),
                        remote=RemoteCheckSupport(
                            buyer_pays=link.sandbox.buyer_pays,
                            phone_pays=link.sandbox.softpos_phone_pays,
                        ),
                        api=api_support,
                        card=CardCheckSupport(reader, printer.receipts),
                    )
                )
                loop.run_until_complete(reader.close())
                loop.run_until_complete(merchant.close())
                loop.run_until_complete(close_gateway(services))
        finally:
            if out_dir is not None:
                copy_receipts(printer.receipts(), out_dir)
            services.stop_printing()
            services.store.shutdown()
    return code


def set_gateway_password(config: Config) -> int:
    """Ask for the gateway password on the terminal and keep it in the keyring."""
    import getpass

    from desktop_pos.credentials import store_gateway_password

    gateway = config.gateway
    if not gateway.configured:
        print(
            f"desktop-pos: set [gateway] base_url, merchant_id and login in "
            f"{config.paths.config_file} first.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    password = getpass.getpass(f"Assist password for {gateway.login} ({gateway.merchant_id}): ")
    if not password:
        print("desktop-pos: no password entered; nothing changed.", file=sys.stderr)
        return EXIT_USAGE
    problem = store_gateway_password(gateway.merchant_id, gateway.login, password)
    if problem is not None:
        print(f"desktop-pos: {problem.get(config.language)}", file=sys.stderr)
        return EXIT_FAILED
    print("desktop-pos: the password is stored in the system keyring.")
    return EXIT_OK


def _redact_url(url: str) -> str:
    """Hide a password in a database URL before it is logged (``user:***@host``)."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox-gateway"]:  # its own flags: docs/sandbox.md
        from desktop_pos.sandbox.gateway.cli import main as sandbox_gateway_main

        return sandbox_gateway_main(arguments[1:])
    args = parse_args(arguments)
    paths = AppPaths.default()
    if args.config is not None:
        paths = replace(paths, config_file=args.config)
    log_path = setup_logging(paths.log_file, verbose=args.verbose)
    try:
        config = load_config(paths, db_url=args.db, language=args.lang, demo=args.demo)
    except ConfigError as exc:
        log.error("%s", exc)
        print(f"desktop-pos: {exc.text.get(args.lang or Language.RU)}", file=sys.stderr)
        return EXIT_USAGE
    if config.demo and not config.db_url:
        config = replace(config, db_url=f"sqlite:///{paths.data_dir / 'demo.sqlite3'}")

    if args.command == "selftest":
        return run_selftest(config, args.only, args.out)
    if args.command == "set-password":
        return set_gateway_password(config)
    if args.command in ("pay", "set-api-token"):
        from desktop_pos.pay_command import run_pay, set_api_token

        if args.command == "set-api-token":
            return set_api_token(config)
        return run_pay(config, args.order_file, log_path)

    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        log.info("no usable display: %s", problem.splitlines()[0])
        return EXIT_USAGE
    return run_gui(config, log_path)
