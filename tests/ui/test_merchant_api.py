"""The local API end to end: real HTTP on loopback to a window paying through the sandbox
gateway (a subprocess), the result fetched and POSTed to a callback server in the test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop_pos.models.order import Order
from desktop_pos.models.texts import Language
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.gateway.client import AsyncGatewayClient
from desktop_pos.services.merchant_api import ORDERS_PATH, STATUS_PATH, MerchantApi
from desktop_pos.services.order_desk import OrderDesk
from desktop_pos.services.remote_payment import PollSchedule
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.merchant_orders import MerchantOrders, attach_merchant_orders
from desktop_pos.ui.selftest_api import api_sample_order_json, pay_cash_through_widgets
from tests.sandbox_gateway import FAST_DELAYS, SandboxGatewayProcess
from tests.ui.conftest import local_now

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def run(qtbot: QtBot, coro: Coroutine[Any, Any, Any], timeout: int = 15_000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxGatewayProcess]:
    with SandboxGatewayProcess(tmp_path / "gateway.sqlite3", extra_args=FAST_DELAYS) as process:
        yield process


class Counter:
    """The merchant's side: the API's URL, a callback server that records what it gets."""

    def __init__(self, window: MainWindow, orders: MerchantOrders, api: MerchantApi) -> None:
        self.window, self.orders, self.api = window, orders, api
        self.callbacks: list[dict[str, Any]] = []
        self.callback_url = ""
        self.fail_first_callback = True


@pytest.fixture
def counter(
    qtbot: QtBot,
    qloop: object,
    checkout: CheckoutService,
    store_worker: StoreWorker,
    events: EventBus,
    sandbox: SandboxGatewayProcess,
) -> Iterator[Counter]:
    client = AsyncGatewayClient(sandbox.settings())
    checkout.attach_gateway(client)
    window = MainWindow(
        checkout,
        lambda: Order(number=f"{local_now():%H%M%S%f}", created_at=local_now()),
        language=Language.RU,
        demo=False,
        version="test",
        events=events,
        use_tray=False,
    )
    qtbot.addWidget(window)
    window.payment_flow.service.schedule = PollSchedule(first_s=0.2, factor=1.2, max_s=0.5)
    desk = OrderDesk(store_worker, events, queue_size=1, callback_delays_s=(0.1, 0.2))
    api = MerchantApi(desk, TOKEN, local_now, port=0)
    orders = attach_merchant_orders(window, desk)
    window.show()
    qtbot.waitExposed(window)
    shown = Counter(window, orders, api)

    async def record(request: web.Request) -> web.Response:
        if shown.fail_first_callback:
            shown.fail_first_callback = False
            return web.Response(status=500)
        shown.callbacks.append(await request.json())
        return web.Response(status=204)

    callback_app = web.Application()
    callback_app.router.add_post("/done", record)
    runner = web.AppRunner(callback_app)

    async def start() -> None:
        await api.start()
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        shown.callback_url = f"http://127.0.0.1:{runner.addresses[0][1]}/done"

    run(qtbot, start())
    yield shown
    window.close()
    run(qtbot, api.stop())
    run(qtbot, runner.cleanup())
    run(qtbot, desk.close())
    run(qtbot, client.close())


async def call(
    counter: Counter, method: str, path: str, *, headers: dict[str, str] | None = None, **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=counter.api.url, timeout=10) as http:
        return await http.request(method, path, headers=AUTH if headers is None else headers, **kw)


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def order_json(number: str) -> dict[str, object]:
    return api_sample_order_json(datetime.now().astimezone(), number)


def test_a_cash_order_posted_paid_and_its_result_fetched_and_called_back(
    qtbot: QtBot, counter: Counter
) -> None:
    body = order_json("API-CASH-1") | {"callback_url": counter.callback_url}
    posted = run(qtbot, call(counter, "POST", ORDERS_PATH, json=body))
    assert posted.status_code == 202, posted.text
    assert posted.json()["ordernum"] == "API-CASH-1"
    qtbot.waitUntil(lambda: counter.orders.shown_number() == "API-CASH-1")
    screen = counter.window.order_screen
    number_edit = screen.findChild(QLineEdit, "orderNumberEdit")
    assert number_edit is not None
    assert number_edit.text() == "API-CASH-1" and number_edit.isReadOnly()
    assert not button(counter.window, "addItemButton").isEnabled()
    assert not button(counter.window, "removeItemButton").isEnabled()
    waiting = run(qtbot, call(counter, "GET", f"{ORDERS_PATH}/API-CASH-1")).json()
    assert waiting["status"] == "on_screen" and waiting["paid"] is False

    run(qtbot, pay_cash_through_widgets(counter.window, screen.current_order().due, 15))
    qtbot.waitUntil(lambda: len(counter.callbacks) == 1, timeout=10_000)
    result = run(qtbot, call(counter, "GET", f"{ORDERS_PATH}/API-CASH-1")).json()
    assert result["status"] == "paid" and result["paid"] is True
    assert (result["method"], result["amount"], result["amount_paid"]) == ("cash", "14.24", "14.24")
    assert len(result["transaction_number"]) == 16
    assert counter.callbacks[0]["transaction_number"] == result["transaction_number"]
    assert counter.callbacks[0]["status"] == "paid"

    again = run(qtbot, call(counter, "POST", ORDERS_PATH, json=order_json("API-CASH-1")))
    assert again.status_code == 409
    assert again.json()["error"] == "already_paid"
    assert again.json()["result"]["status"] == "paid"
    assert "уже оплачен" in counter.orders.bar.error.text()


def test_an_sbp_order_posted_paid_by_the_buyer(
    qtbot: QtBot, counter: Counter, sandbox: SandboxGatewayProcess
) -> None:
    body = order_json("API-SBP-1") | {"callback_url": counter.callback_url}
    counter.fail_first_callback = False
    assert run(qtbot, call(counter, "POST", ORDERS_PATH, json=body)).status_code == 202
    qtbot.waitUntil(lambda: counter.orders.shown_number() == "API-SBP-1")
    button(counter.window, "sbpButton").click()
    flow = counter.window.payment_flow
    qtbot.waitUntil(lambda: flow.payment is not None, timeout=10_000)
    assert flow.payment is not None
    sandbox.buyer_pays(flow.payment.billnumber)
    qtbot.waitUntil(lambda: len(counter.callbacks) == 1, timeout=15_000)
    result = counter.callbacks[0]
    assert (result["status"], result["method"], result["state"]) == ("paid", "sbp", "Approved")
    assert result["billnumber"] == flow.payment.billnumber


def test_the_token_is_required_and_a_busy_till_refuses(qtbot: QtBot, counter: Counter) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        refused = run(qtbot, call(counter, "POST", ORDERS_PATH, headers=headers, json={}))
        assert refused.status_code == 401
        assert refused.json()["error"] == "unauthorized"
    assert run(qtbot, call(counter, "GET", STATUS_PATH, headers={})).status_code == 401

    first = run(qtbot, call(counter, "POST", ORDERS_PATH, json=order_json("BUSY-1")))
    assert first.status_code == 202
    qtbot.waitUntil(lambda: counter.orders.shown_number() == "BUSY-1")
    assert (
        run(qtbot, call(counter, "POST", ORDERS_PATH, json=order_json("BUSY-2"))).status_code == 202
    )
    full = run(qtbot, call(counter, "POST", ORDERS_PATH, json=order_json("BUSY-3")))
    assert full.status_code == 503 and full.json()["error"] == "busy"
    twice = run(qtbot, call(counter, "POST", ORDERS_PATH, json=order_json("BUSY-1")))
    assert twice.status_code == 409 and twice.json()["error"] == "already_queued"
    status = run(qtbot, call(counter, "GET", STATUS_PATH)).json()
    assert status == {"busy": True, "on_screen": "BUSY-1", "queued": 1, "queue_size": 1}

    button(counter.window, "handBackButton").click()
    qtbot.waitUntil(lambda: counter.orders.shown_number() == "BUSY-2")
    returned = run(qtbot, call(counter, "GET", f"{ORDERS_PATH}/BUSY-1")).json()
    assert returned["status"] == "returned" and returned["paid"] is False
    missing = run(qtbot, call(counter, "GET", f"{ORDERS_PATH}/NOPE"))
    assert missing.status_code == 404


def test_bad_orders_get_400_with_every_problem(qtbot: QtBot, counter: Counter) -> None:
    bad = order_json("BAD-1") | {"amount": "1.00", "currency": "EUR"}
    answer = run(qtbot, call(counter, "POST", ORDERS_PATH, json=bad))
    assert answer.status_code == 400
    assert {p["field"] for p in answer.json()["problems"]} == {"amount", "currency"}
    broken = run(qtbot, call(counter, "POST", ORDERS_PATH, content=b"{not json"))
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_order"
    callback = order_json("BAD-2") | {"callback_url": "file:///etc/passwd"}
    assert run(qtbot, call(counter, "POST", ORDERS_PATH, json=callback)).status_code == 400
    assert counter.orders.shown_number() is None


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_fuzzed_bodies_never_break_the_api(qtbot: QtBot, counter: Counter, body: bytes) -> None:
    answer = run(qtbot, call(counter, "POST", ORDERS_PATH, content=body))
    assert answer.status_code in (202, 400, 409, 503)
    json.loads(answer.text)
