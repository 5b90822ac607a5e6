"""Fetching an order from the merchant's web service by its number (``[merchant_api] lookup_url``).

The cashier types the order number; the till asks ``GET lookup_url`` with ``{ordernum}`` replaced
by the (URL-quoted) number and reads the answer as Assist mPOS order JSON, validated like every
other order (``models.order_import``). The answer's ``ordernum`` must be the number asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import quote

import httpx

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order_import import ImportedOrder, parse_order_json
from desktop_pos.models.order_number import validate_order_number
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)


class OrderLookupError(UserFacingError):
    """The merchant's service did not give a usable order."""


UNREACHABLE = LocalizedText(
    "Сервис заказов предприятия недоступен ({detail}).",
    "The merchant's order service cannot be reached ({detail}).",
)
NOT_FOUND = LocalizedText(
    "Заказ № {number} не найден в системе предприятия.",
    "Order {number} was not found in the merchant's system.",
)
BAD_STATUS = LocalizedText(
    "Сервис заказов предприятия ответил ошибкой HTTP {status}.",
    "The merchant's order service answered HTTP {status}.",
)
OTHER_NUMBER = LocalizedText(
    "Сервис заказов вернул заказ № {got} вместо № {number}.",
    "The order service returned order {got} instead of {number}.",
)


class OrderLookup:
    def __init__(
        self,
        url_template: str,
        clock: Callable[[], datetime],
        *,
        timeout_s: float = 10.0,
        merchant_id: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._template = url_template
        self._clock = clock
        self._merchant_id = merchant_id
        self._client = httpx.AsyncClient(
            timeout=timeout_s, follow_redirects=False, transport=transport
        )

    def url_for(self, number: str) -> str:
        return self._template.replace("{ordernum}", quote(number, safe=""))

    async def fetch(self, number: str) -> ImportedOrder:
        """The order ``number`` from the merchant's service; ``UserFacingError`` otherwise."""
        number = validate_order_number(number)
        url = self.url_for(number)
        try:
            reply = await self._client.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            log.warning("order lookup %s failed: %s", number, type(exc).__name__)
            raise OrderLookupError(UNREACHABLE.format(detail=type(exc).__name__)) from exc
        if reply.status_code == 404:
            raise OrderLookupError(NOT_FOUND.format(number=number))
        if reply.status_code != 200:
            raise OrderLookupError(BAD_STATUS.format(status=reply.status_code))
        imported = parse_order_json(reply.content, now=self._clock(), merchant_id=self._merchant_id)
        if imported.order.number != number:
            raise OrderLookupError(OTHER_NUMBER.format(got=imported.order.number, number=number))
        log.info("order %s fetched from the merchant's service", number)
        return imported

    async def close(self) -> None:
        await self._client.aclose()
