"""«Загрузить заказ»: the cashier types an order number and the window fetches the order from the
merchant's web service (a real HTTP server on loopback) and shows it, or says why not."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_pos.models.texts import Language
from desktop_pos.services.events import EventBus
from desktop_pos.services.order_desk import OrderDesk
from desktop_pos.services.order_lookup import OrderLookup
from desktop_pos.services.store_worker import StoreWorker
from desktop_pos.ui.main_window import MainWindow
from desktop_pos.ui.merchant_orders import MerchantOrders, attach_merchant_orders
from tests.ui.conftest import local_now
from tests.unit.services.test_order_lookup import merchant_order


def run(qtbot: QtBot, coro: Coroutine[Any, Any, Any]) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=10_000)
    return task.result()


class Service:
    """The merchant's order service: ``orders`` by number; anything else is 404."""

    def __init__(self) -> None:
        self.orders: dict[str, object] = {}
        self.asked: list[str] = []
        self.runner: web.AppRunner | None = None

    async def answer(self, request: web.Request) -> web.Response:
        number = request.match_info["number"]
        self.asked.append(number)
        if number not in self.orders:
            return web.json_response({"error": "not found"}, status=404)
        return web.json_response(self.orders[number])

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/orders/{number}", self.answer)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        return f"http://127.0.0.1:{self.runner.addresses[0][1]}/orders/{{ordernum}}"


@pytest.fixture
def counter(
    qtbot: QtBot,
    qloop: object,
    make_window: Callable[..., MainWindow],
    store_worker: StoreWorker,
    events: EventBus,
) -> Iterator[tuple[MainWindow, MerchantOrders, Service]]:
    service = Service()
    template = run(qtbot, service.start())
    window = make_window()
    desk = OrderDesk(store_worker, events, queue_size=2)
    orders = attach_merchant_orders(window, desk, lookup=OrderLookup(template, local_now))
    yield window, orders, service
    window.close()
    run(qtbot, desk.close())
    assert service.runner is not None
    run(qtbot, service.runner.cleanup())


def test_a_typed_number_is_fetched_and_shown_with_enter(
    qtbot: QtBot, counter: tuple[MainWindow, MerchantOrders, Service]
) -> None:
    window, orders, service = counter
    service.orders["SHOP-7"] = merchant_order("SHOP-7")
    bar = orders.bar
    assert bar.isVisible() and bar.lookup_button.text() == "Загрузить"

    bar.lookup_edit.setFocus()
    qtbot.keyClicks(bar.lookup_edit, "SHOP-7")
    qtbot.keyClick(bar.lookup_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: orders.shown_number() == "SHOP-7")
    shown = window.order_screen.current_order()
    assert shown.number == "SHOP-7" and len(shown.items) == 2
    assert str(shown.due) == "6.99"  # 8.34 less 1.35 paid before
    assert bar.lookup_edit.text() == "" and bar.error.text() == ""
    assert service.asked == ["SHOP-7"]


def test_an_unknown_number_and_an_empty_field_are_said_plainly(
    qtbot: QtBot, counter: tuple[MainWindow, MerchantOrders, Service]
) -> None:
    window, orders, service = counter
    before = window.order_screen.current_order().number
    bar = orders.bar

    bar.lookup_button.click()
    assert bar.error.text() == "Введите номер заказа." and service.asked == []

    qtbot.keyClicks(bar.lookup_edit, "NOPE-1")
    bar.lookup_button.click()
    qtbot.waitUntil(lambda: bar.error.text() != "")
    assert bar.error.text() == "Заказ № NOPE-1 не найден в системе предприятия."
    assert bar.lookup_edit.text() == "NOPE-1"
    assert window.focusWidget() is bar.lookup_edit  # to correct the number at once
    assert orders.shown_number() is None
    assert window.order_screen.current_order().number == before


def test_an_order_that_disagrees_with_its_items_is_refused_by_field(
    qtbot: QtBot, counter: tuple[MainWindow, MerchantOrders, Service]
) -> None:
    _window, orders, service = counter
    service.orders["SHOP-8"] = merchant_order("SHOP-8") | {"amount": "9.00"}
    bar = orders.bar
    qtbot.keyClicks(bar.lookup_edit, "SHOP-8")
    bar.lookup_button.click()
    qtbot.waitUntil(lambda: bar.error.text() != "")
    assert (
        bar.error.text()
        == "Заказ не принят. amount: сумма заказа 9.00 не равна сумме позиций 8.34."
    )
    assert orders.shown_number() is None


@pytest.mark.usefixtures("russian_ui")
def test_the_bar_follows_the_window_into_english_and_back(
    qtbot: QtBot, counter: tuple[MainWindow, MerchantOrders, Service]
) -> None:
    window, orders, _service = counter
    bar = orders.bar
    window.set_language(Language.EN)
    qtbot.waitUntil(lambda: bar.lookup_button.text() == "Load")
    assert bar.lookup_label.text() == "Order from the merchant's system No."
    window.set_language(Language.RU)
    qtbot.waitUntil(lambda: bar.lookup_button.text() == "Загрузить")
    assert bar.lookup_label.text() == "Заказ из системы предприятия №"
