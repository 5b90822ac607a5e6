"""Fetching an order from the merchant's web service: a real HTTP server on loopback answers
the way a merchant's system might (the order, 404, an error, a wrong order, garbage, silence)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal

import pytest
from aiohttp import web

from desktop_pos.models.errors import OrderNumberError
from desktop_pos.models.order_import import OrderImportError
from desktop_pos.services.order_lookup import OrderLookup, OrderLookupError
from tests.async_helpers import run_coroutine

NOW = datetime(2024, 5, 6, 7, 8, 9).astimezone()

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def merchant_order(number: str) -> dict[str, object]:
    return {
        "ordernum": number,
        "amount": "8.34",
        "amount_prepaid": "1.35",
        "currency": "RUB",
        "merchant_name": "ООО Мерчант",
        "items": [
            {"name": "Товар 1", "price": "1.24", "quantity": "3", "amount": "3.72"},
            {"name": "Товар 2", "price": "2.31", "quantity": "2.000", "amount": "4.62"},
        ],
    }


@asynccontextmanager
async def merchant_service(handler: Handler) -> AsyncIterator[str]:
    """A merchant's order service on 127.0.0.1; yields the lookup URL template."""
    app = web.Application()
    app.router.add_get("/orders/{number}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/orders/{{ordernum}}"
    finally:
        await runner.cleanup()


async def fetch_with(handler: Handler, number: str, *, timeout_s: float = 5.0) -> object:
    async with merchant_service(handler) as template:
        lookup = OrderLookup(template, lambda: NOW, timeout_s=timeout_s)
        try:
            return await lookup.fetch(number)
        finally:
            await lookup.close()


async def serve_known_orders(request: web.Request) -> web.Response:
    number = request.match_info["number"]
    if number.startswith("known"):
        return web.json_response(merchant_order(number))
    return web.json_response({"error": "no such order"}, status=404)


def test_an_order_is_fetched_by_number_and_validated() -> None:
    imported = run_coroutine(fetch_with(serve_known_orders, "known_42"))
    order = imported.order  # type: ignore[attr-defined]
    assert order.number == "known_42"
    assert (order.total, order.prepaid, order.due) == (
        Decimal("8.34"),
        Decimal("1.35"),
        Decimal("6.99"),
    )
    assert [item.name for item in order.items] == ["Товар 1", "Товар 2"]


def test_the_number_is_quoted_in_the_url() -> None:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.raw_path)
        return web.json_response(merchant_order(request.match_info["number"]))

    run_coroutine(fetch_with(handler, "known/1"))
    assert seen == ["/orders/known%2F1"]


def test_an_unknown_number_says_not_found() -> None:
    with pytest.raises(OrderLookupError) as caught:
        run_coroutine(fetch_with(serve_known_orders, "missing_7"))
    assert "missing_7" in caught.value.text.ru
    assert "не найден" in caught.value.text.ru


def test_a_server_error_names_the_status() -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(status=502, text="bad gateway")

    with pytest.raises(OrderLookupError) as caught:
        run_coroutine(fetch_with(handler, "known_1"))
    assert "502" in caught.value.text.ru


def test_another_order_in_the_answer_is_refused() -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.json_response(merchant_order("known_other"))

    with pytest.raises(OrderLookupError) as caught:
        run_coroutine(fetch_with(handler, "known_1"))
    assert "known_other" in caught.value.text.ru


def test_a_malformed_answer_is_reported_by_field() -> None:
    async def handler(request: web.Request) -> web.Response:
        order = merchant_order(request.match_info["number"])
        order["amount"] = "9.99"  # disagrees with the items
        return web.json_response(order)

    with pytest.raises(OrderImportError) as caught:
        run_coroutine(fetch_with(handler, "known_1"))
    assert "amount" in {problem.field for problem in caught.value.problems}


def test_an_answer_that_is_not_json_is_refused() -> None:
    async def handler(_request: web.Request) -> web.Response:
        return web.Response(text="<html>login page</html>", content_type="text/html")

    with pytest.raises(OrderImportError):
        run_coroutine(fetch_with(handler, "known_1"))


def test_a_silent_service_times_out_with_a_message() -> None:
    async def handler(_request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({})

    with pytest.raises(OrderLookupError) as caught:
        run_coroutine(fetch_with(handler, "known_1", timeout_s=0.2))
    assert "недоступен" in caught.value.text.ru


def test_a_service_that_is_down_is_reported() -> None:
    async def fetch_from_closed_port() -> object:
        async with merchant_service(serve_known_orders) as template:
            pass  # the server is stopped: its port refuses connections
        lookup = OrderLookup(template, lambda: NOW, timeout_s=2.0)
        try:
            return await lookup.fetch("known_1")
        finally:
            await lookup.close()

    with pytest.raises(OrderLookupError):
        run_coroutine(fetch_from_closed_port())


def test_a_number_with_forbidden_characters_is_refused_before_any_request() -> None:
    asked: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.json_response({})

    with pytest.raises(OrderNumberError):
        run_coroutine(fetch_with(handler, "заказ<42>&"))
    assert asked == []
