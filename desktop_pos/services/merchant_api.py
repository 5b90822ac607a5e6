"""The local HTTP API for the merchant's system, on 127.0.0.1 only (docs/integration-api.md).

``POST /api/v1/orders`` hands over an Assist mPOS order JSON (plus an optional
``callback_url``): it is validated strictly (``models.order_import``) and queued on the
``OrderDesk`` for the cashier. ``GET /api/v1/orders/{ordernum}`` returns the result JSON
(``services.order_results``), ``GET /api/v1/status`` whether the till is busy. Every request
carries ``Authorization: Bearer <token>``; the token is kept in the OS keyring or a file of its
own, never in the settings file. Errors are JSON: ``{"error": code, "message": ru,
"message_en": en, ...}``.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from aiohttp import web

from desktop_pos.models.order_import import MAX_ORDER_JSON_BYTES, OrderImportError, import_order
from desktop_pos.models.order_import import load_order_json as load_json
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.order_desk import DeskRefusal, OrderDesk

if TYPE_CHECKING:
    from desktop_pos.models.order_import import ImportedOrder

log = logging.getLogger(__name__)

API_HOST = "127.0.0.1"
ORDERS_PATH = "/api/v1/orders"
STATUS_PATH = "/api/v1/status"
CALLBACK_KEY = "callback_url"
_MAX_URL_LENGTH = 2000


def _error(status: int, code: str, text: LocalizedText, **extra: object) -> web.Response:
    body = {"error": code, "message": text.ru, "message_en": text.en, **extra}
    headers = {"WWW-Authenticate": 'Bearer realm="desktop-pos"'} if status == 401 else None
    return web.json_response(body, status=status, headers=headers)


UNAUTHORIZED = LocalizedText(
    "Нужен заголовок Authorization: Bearer с ключом API кассы.",
    "An Authorization: Bearer header with the till's API token is required.",
)
NOT_FOUND = LocalizedText(
    "Заказ № {number} на этой кассе не найден.", "Order {number} is unknown here."
)
BAD_CALLBACK = LocalizedText(
    "callback_url должен быть адресом http:// или https://.",
    "callback_url must be an http:// or https:// URL.",
)
TOO_LARGE = LocalizedText("Слишком большой запрос.", "The request is too large.")


def check_callback_url(value: object) -> str | None:
    """The callback URL, or ``ValueError`` if it is not a plain http(s) URL."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _MAX_URL_LENGTH:
        raise ValueError(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(value)
    return value


class MerchantApi:
    """The aiohttp application on ``127.0.0.1:port``; ``start``/``stop`` on the running loop."""

    def __init__(
        self,
        desk: OrderDesk,
        token: str,
        clock: Callable[[], datetime],
        *,
        port: int,
        merchant_id: str = "",
    ) -> None:
        if not token:
            raise ValueError("the local API needs a token")
        self._desk = desk
        self._token = token.encode("utf-8")
        self._clock = clock
        self._port = port
        self._merchant_id = merchant_id
        self._runner: web.AppRunner | None = None
        self.app = web.Application(
            client_max_size=MAX_ORDER_JSON_BYTES + 4096, middlewares=[self._auth]
        )
        self.app.router.add_post(ORDERS_PATH, self._post_order)
        self.app.router.add_get(ORDERS_PATH + "/{number}", self._get_order)
        self.app.router.add_get(STATUS_PATH, self._get_status)

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{API_HOST}:{self._port}"

    async def start(self) -> None:
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, API_HOST, self._port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        if self._port == 0:  # a free port chosen by the system (tests)
            self._port = int(runner.addresses[0][1])
        log.info("local API listening on %s", self.url)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("local API stopped")

    # -- handlers --------------------------------------------------------------------------------
    @web.middleware
    async def _auth(
        self, request: web.Request, handler: Callable[[web.Request], object]
    ) -> web.StreamResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8"), self._token
        ):
            log.warning("local API: request without a valid token refused (%s)", request.path)
            return _error(401, "unauthorized", UNAUTHORIZED)
        try:
            response = await handler(request)  # type: ignore[misc]
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "too_large", TOO_LARGE)
        except web.HTTPException as exc:
            return _error(exc.status, "http_error", LocalizedText(exc.reason, exc.reason))
        assert isinstance(response, web.StreamResponse)
        return response

    async def _post_order(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            value = load_json(body)
            callback: str | None = None
            if isinstance(value, dict) and CALLBACK_KEY in value:
                value = dict(value)
                try:
                    callback = check_callback_url(value.pop(CALLBACK_KEY))
                except ValueError:
                    return _error(400, "invalid_order", BAD_CALLBACK, field=CALLBACK_KEY)
            imported: ImportedOrder = import_order(
                value, now=self._clock(), merchant_id=self._merchant_id
            )
        except OrderImportError as error:
            log.info("local API: order refused: %s", error.text.en)
            return web.json_response(error.as_json(), status=400)
        try:
            accepted = await self._desk.submit(imported, callback)
        except DeskRefusal as refusal:
            log.info("local API: order %s refused: %s", imported.order.number, refusal.code)
            return web.json_response(refusal.as_json(), status=refusal.http_status)
        return web.json_response(
            {
                "ordernum": accepted.number,
                "status": accepted.status.value,
                "position": accepted.position,
                "result_url": f"{ORDERS_PATH}/{quote(accepted.number, safe='')}",
            },
            status=202,
        )

    async def _get_order(self, request: web.Request) -> web.Response:
        number = request.match_info["number"]
        outcome = await self._desk.result(number)
        if outcome is None:
            return _error(404, "not_found", NOT_FOUND.format(number=number), ordernum=number)
        return web.json_response(outcome.data)

    async def _get_status(self, _request: web.Request) -> web.Response:
        return web.json_response(self._desk.status())


__all__ = ["DeskRefusal", "MerchantApi", "check_callback_url"]
