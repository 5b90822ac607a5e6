"""Gateway clients: ``GatewayClient`` (httpx.Client, for the sync worker thread) and
``AsyncGatewayClient`` (httpx.AsyncClient, for the GUI thread's qasync loop).

Both send exactly the same requests (``desktop_pos.services.gateway.calls``): TLS verified, a
timeout on every phase of every call, the idempotency key in the ``Idempotency-Key`` header and
in the fields, the password only in the request body. Log lines name the endpoint and the order
(or billnumber), never a credential.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeVar

import httpx

from desktop_pos.services.gateway.calls import PING_PATH, Call, CallFactory, GatewaySettingsError
from desktop_pos.services.gateway.errors import (
    GatewayError,
    GatewayProtocolError,
    GatewayRejected,
    GatewayUnavailable,
    RejectCode,
)
from desktop_pos.services.gateway.results import (
    CardAuthorization,
    CardResult,
    CashRegistration,
    FiscalReceipt,
    OperationState,
    RegistrationResult,
    SbpRegistration,
    SoftposRegistration,
)
from desktop_pos.services.gateway.settings import GatewaySettings

__all__ = [
    "AsyncGatewayClient",
    "CardAuthorization",
    "CardResult",
    "CashRegistration",
    "FiscalReceipt",
    "GatewayClient",
    "GatewayError",
    "GatewayProtocolError",
    "GatewayRejected",
    "GatewaySettings",
    "GatewaySettingsError",
    "GatewayUnavailable",
    "OperationState",
    "RegistrationResult",
    "RejectCode",
    "SbpRegistration",
    "SoftposRegistration",
]

T = TypeVar("T")


def _timeout(settings: GatewaySettings) -> httpx.Timeout:
    return httpx.Timeout(settings.timeout_s)


class GatewayClient:
    """Synchronous client; one instance per thread (the sync worker owns one)."""

    def __init__(
        self, settings: GatewaySettings, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._calls = CallFactory(settings)
        self._http = httpx.Client(
            base_url=settings.base_url,
            timeout=_timeout(settings),
            verify=settings.verify_tls,
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> GatewayClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, call: Call[T]) -> T:
        try:
            response = self._http.post(call.path, **call.request_kwargs())
        except httpx.TransportError as exc:
            raise call.unavailable(exc) from exc
        except httpx.RequestError as exc:  # an undecodable body, a redirect loop
            raise call.unreadable(exc) from exc
        return call.interpret(response.status_code, response.content)

    def order_state(
        self, order_number: str, *, since: datetime | None = None
    ) -> list[OperationState]:
        """Every payment attempt of the order in the window (default now − 3 days); [] if none."""
        return self._send(self._calls.order_state(order_number, since))

    def register_cash(self, registration: CashRegistration) -> RegistrationResult:
        return self._send(self._calls.register_cash(registration))

    def fiscalize(
        self,
        billnumber: str,
        *,
        kind: str = "sell",
        email: str = "",
        phone: str = "",
        payment_id: str = "",
    ) -> str:
        """Ask for a receipt (``sell`` | ``sell_refund``); returns its ``fiscalreceipt_ID``."""
        return self._send(self._calls.fiscalize(billnumber, kind, email, phone, payment_id))

    def fiscal_receipt(self, billnumber: str) -> FiscalReceipt:
        return self._send(self._calls.fiscal_receipt(billnumber))

    def cancel(
        self, billnumber: str, *, amount: Decimal | None = None, operation_id: str = ""
    ) -> OperationState:
        """Cancel (refund) all or ``amount`` of a payment. ``operation_id`` tells two partial
        cancels of the same amount apart (otherwise the second is taken for a repeat)."""
        return self._send(self._calls.cancel(billnumber, amount, operation_id))

    def register_sbp(
        self, order_number: str, attempt_id: str, amount: Decimal, *, email: str = ""
    ) -> SbpRegistration:
        return self._send(self._calls.register_sbp(order_number, attempt_id, amount, email))

    def register_softpos(
        self, order_number: str, attempt_id: str, amount: Decimal, *, email: str = ""
    ) -> SoftposRegistration:
        return self._send(self._calls.register_softpos(order_number, attempt_id, amount, email))

    def authorize_card(self, authorization: CardAuthorization) -> CardResult:
        return self._send(self._calls.authorize_card(authorization))

    def ping(self) -> bool:
        """True when the gateway answers at all (any HTTP status below 500); never raises."""
        try:
            response = self._http.get(PING_PATH)
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    def close(self) -> None:
        self._http.close()


class AsyncGatewayClient:
    """The same calls as coroutines, for the GUI thread's event loop."""

    def __init__(
        self, settings: GatewaySettings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._calls = CallFactory(settings)
        self._http = httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=_timeout(settings),
            verify=settings.verify_tls,
            transport=transport,
            follow_redirects=False,
        )

    async def __aenter__(self) -> AsyncGatewayClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _send(self, call: Call[T]) -> T:
        try:
            response = await self._http.post(call.path, **call.request_kwargs())
        except httpx.TransportError as exc:
            raise call.unavailable(exc) from exc
        except httpx.RequestError as exc:  # an undecodable body, a redirect loop
            raise call.unreadable(exc) from exc
        return call.interpret(response.status_code, response.content)

    async def order_state(
        self, order_number: str, *, since: datetime | None = None
    ) -> list[OperationState]:
        return await self._send(self._calls.order_state(order_number, since))

    async def register_cash(self, registration: CashRegistration) -> RegistrationResult:
        return await self._send(self._calls.register_cash(registration))

    async def fiscalize(
        self,
        billnumber: str,
        *,
        kind: str = "sell",
        email: str = "",
        phone: str = "",
        payment_id: str = "",
    ) -> str:
        return await self._send(self._calls.fiscalize(billnumber, kind, email, phone, payment_id))

    async def fiscal_receipt(self, billnumber: str) -> FiscalReceipt:
        return await self._send(self._calls.fiscal_receipt(billnumber))

    async def cancel(
        self, billnumber: str, *, amount: Decimal | None = None, operation_id: str = ""
    ) -> OperationState:
        return await self._send(self._calls.cancel(billnumber, amount, operation_id))

    async def register_sbp(
        self, order_number: str, attempt_id: str, amount: Decimal, *, email: str = ""
    ) -> SbpRegistration:
        return await self._send(self._calls.register_sbp(order_number, attempt_id, amount, email))

    async def register_softpos(
        self, order_number: str, attempt_id: str, amount: Decimal, *, email: str = ""
    ) -> SoftposRegistration:
        return await self._send(
            self._calls.register_softpos(order_number, attempt_id, amount, email)
        )

    async def authorize_card(self, authorization: CardAuthorization) -> CardResult:
        return await self._send(self._calls.authorize_card(authorization))

    async def ping(self) -> bool:
        try:
            response = await self._http.get(PING_PATH)
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    async def close(self) -> None:
        await self._http.aclose()
