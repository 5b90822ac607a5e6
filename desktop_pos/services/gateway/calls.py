"""One gateway call as data (path, body, idempotency key, reply parser), shared by both clients.

The sync and the async client differ only in how they send; what is sent, how the reply is
read and how failures are classified lives here once.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import quote, urlsplit

from desktop_pos.models.money import format_amount
from desktop_pos.models.texts import LocalizedText
from desktop_pos.services.gateway import mpos_operations as mpos
from desktop_pos.services.gateway import protocol
from desktop_pos.services.gateway.errors import (
    GatewayError,
    GatewayProtocolError,
    GatewayRejected,
    GatewayUnavailable,
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

log = logging.getLogger("desktop_pos.services.gateway")

T = TypeVar("T")

IDEMPOTENCY_HEADER = "Idempotency-Key"
PING_PATH = "/"


class GatewaySettingsError(GatewayError):
    """The gateway settings cannot work (no https, no host, a bad timeout, ...)."""


def _settings_error(ru: str, en: str, **params: object) -> GatewaySettingsError:
    return GatewaySettingsError(LocalizedText(ru, en).format(**params))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_settings(settings: GatewaySettings) -> None:
    """Raise ``GatewaySettingsError`` naming the setting that cannot work."""
    parts = urlsplit(settings.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _settings_error(
            "Адрес сервера Ассист «{url}» должен выглядеть как https://имя-сервера.",
            "The Assist server address {url!r} must look like https://host-name.",
            url=settings.base_url,
        )
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise _settings_error(
            "Адрес сервера Ассист «{url}» без шифрования: нужен https://.",
            "The Assist server address {url!r} is not encrypted: https:// is required.",
            url=settings.base_url,
        )
    if not settings.timeout_s > 0:
        raise _settings_error(
            "Время ожидания ответа сервера Ассист должно быть больше нуля.",
            "The Assist server timeout must be above zero.",
        )
    if not settings.merchant_id.strip() or not settings.login.strip():
        raise _settings_error(
            "Не заданы Merchant_ID и логин магазина для сервера Ассист.",
            "The shop's Merchant_ID and login for the Assist server are not set.",
        )


@dataclass(frozen=True)
class Call(Generic[T]):
    endpoint: str
    """A short name for log lines and error texts (``orderstate``, ``cash register``, …)."""
    path: str
    key: str
    """The idempotency key (sent as the ``Idempotency-Key`` header)."""
    subject: str
    """What the log line names: the order number or the billnumber (never a credential)."""
    parse: Callable[[bytes], T]
    form: dict[str, str] | None = None
    json_body: dict[str, Any] | None = None

    def request_kwargs(self) -> dict[str, Any]:
        # HTTP header values are ASCII: an order number may hold "№" or Cyrillic letters.
        headers = {IDEMPOTENCY_HEADER: quote(self.key, safe=":/_-.")}
        if self.json_body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
            return {"content": mpos.encode(self.json_body), "headers": headers}
        return {"data": self.form or {}, "headers": headers}

    def unavailable(self, exc: Exception) -> GatewayUnavailable:
        detail = f"{self.endpoint}: {type(exc).__name__}"
        log.warning("gateway %s for %s: no answer (%s)", self.endpoint, self.subject, detail)
        return GatewayUnavailable(detail)

    def unreadable(self, exc: Exception) -> GatewayProtocolError:
        log.warning("gateway %s for %s: unreadable reply (%s)", self.endpoint, self.subject, exc)
        return GatewayProtocolError(self.endpoint, f"unreadable HTTP reply ({type(exc).__name__})")

    def interpret(self, status: int, body: bytes) -> T:
        """The parsed reply, or the gateway error this answer means."""
        if status >= 500:
            log.warning("gateway %s for %s: HTTP %s", self.endpoint, self.subject, status)
            raise GatewayUnavailable(f"{self.endpoint}: HTTP {status}")
        try:
            result = self.parse(body)
        except GatewayRejected as exc:
            log.info(
                "gateway %s for %s: rejected with code %s", self.endpoint, self.subject, exc.code
            )
            raise
        except GatewayProtocolError as exc:
            if status != 200:
                raise GatewayProtocolError(
                    self.endpoint, f"HTTP {status} without an error reply"
                ) from None
            log.warning("gateway %s for %s: %s", self.endpoint, self.subject, exc.problem)
            raise
        if status != 200:
            raise GatewayProtocolError(self.endpoint, f"HTTP {status} without an error reply")
        log.debug("gateway %s for %s: done", self.endpoint, self.subject)
        return result


class CallFactory:
    """Builds the ``Call`` of every gateway operation for one set of settings."""

    def __init__(self, settings: GatewaySettings) -> None:
        check_settings(settings)
        self.settings = settings

    def order_state(self, order_number: str, since: datetime | None) -> Call[list[OperationState]]:
        return Call(
            "orderstate",
            protocol.ORDERSTATE_PATH,
            order_number,
            f"order {order_number}",
            protocol.parse_orderstate_reply,
            form=protocol.orderstate_request(self.settings, order_number, since=since),
        )

    def register_cash(self, registration: CashRegistration) -> Call[RegistrationResult]:
        return Call(
            "cash register",
            mpos.CASH_REGISTER_PATH,
            mpos.idempotency_key(registration.order_number, registration.attempt_id),
            f"order {registration.order_number}",
            mpos.parse_cash_register_reply,
            json_body=mpos.cash_register_request(self.settings, registration),
        )

    def fiscalize(
        self, billnumber: str, kind: str, email: str, phone: str, payment_id: str
    ) -> Call[str]:
        return Call(
            "fiscalize",
            protocol.FISCALIZE_PATH,
            payment_id or f"{billnumber}:{kind}",
            f"bill {billnumber}",
            protocol.parse_fiscalize_reply,
            form=protocol.fiscalize_request(
                self.settings,
                billnumber,
                kind=kind,
                email=email,
                phone=phone,
                payment_id=payment_id,
            ),
        )

    def fiscal_receipt(self, billnumber: str) -> Call[FiscalReceipt]:
        return Call(
            "fiscalreceipt",
            protocol.FISCALRECEIPT_PATH,
            billnumber,
            f"bill {billnumber}",
            protocol.parse_fiscalreceipt_reply,
            form=protocol.fiscalreceipt_request(self.settings, billnumber),
        )

    def cancel(
        self, billnumber: str, amount: Decimal | None, operation_id: str
    ) -> Call[OperationState]:
        shown = "full" if amount is None else format_amount(amount)
        return Call(
            "cancel",
            protocol.CANCEL_PATH,
            f"{billnumber}:cancel:{operation_id or shown}",
            f"bill {billnumber}",
            protocol.parse_cancel_reply,
            form=protocol.cancel_request(self.settings, billnumber, amount),
        )

    def register_sbp(
        self, order_number: str, attempt_id: str, amount: Decimal, email: str
    ) -> Call[SbpRegistration]:
        return Call(
            "SBP register",
            mpos.SBP_REGISTER_PATH,
            mpos.idempotency_key(order_number, attempt_id),
            f"order {order_number}",
            mpos.parse_sbp_register_reply,
            json_body=mpos.sbp_register_request(
                self.settings, order_number, attempt_id, amount, email=email
            ),
        )

    def register_softpos(
        self, order_number: str, attempt_id: str, amount: Decimal, email: str
    ) -> Call[SoftposRegistration]:
        return Call(
            "SoftPOS register",
            mpos.SOFTPOS_REGISTER_PATH,
            mpos.idempotency_key(order_number, attempt_id),
            f"order {order_number}",
            mpos.parse_softpos_register_reply,
            json_body=mpos.sbp_register_request(
                self.settings, order_number, attempt_id, amount, email=email
            ),
        )

    def authorize_card(self, authorization: CardAuthorization) -> Call[CardResult]:
        return Call(
            "card authorize",
            mpos.CARD_AUTHORIZE_PATH,
            mpos.idempotency_key(authorization.order_number, authorization.attempt_id),
            f"order {authorization.order_number}",
            mpos.parse_card_authorize_reply,
            json_body=mpos.card_authorize_request(self.settings, authorization),
        )
