"""The merchant's system at the till: the order desk, the local API and the order lookup.

Built by the app from ``[merchant_api]`` (docs/integration-api.md). The desk always exists (the
window and ``desktop-pos pay`` use it); the API runs only when ``enabled`` and a token is found
(keyring or ``auth_file``); the lookup only with a ``lookup_url``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_pos.config import Config
from desktop_pos.models.texts import LocalizedText

if TYPE_CHECKING:
    from desktop_pos.app import Services
    from desktop_pos.services.merchant_api import MerchantApi
    from desktop_pos.services.order_desk import OrderDesk
    from desktop_pos.services.order_lookup import OrderLookup

log = logging.getLogger(__name__)


@dataclass
class MerchantLink:
    desk: OrderDesk
    api: MerchantApi | None = None
    lookup: OrderLookup | None = None
    problem: LocalizedText | None = None

    async def start(self) -> None:
        """Start listening (a port in use is logged and kept in ``problem``, not raised)."""
        if self.api is None:
            return
        try:
            await self.api.start()
        except OSError as exc:
            log.warning("local API not started on port %d: %s", self.api.port, exc.strerror)
            self.problem = LocalizedText(
                f"Локальный API не запущен: порт {self.api.port} занят ({exc.strerror}).",
                f"The local API is not started: port {self.api.port} is in use ({exc.strerror}).",
            )
            self.api = None

    async def close(self) -> None:
        if self.api is not None:
            await self.api.stop()
        if self.lookup is not None:
            await self.lookup.close()
        await self.desk.close()


def build_merchant_link(
    services: Services,
    config: Config,
    *,
    token: str | None = None,
    port: int | None = None,
    with_api: bool | None = None,
) -> MerchantLink:
    """The desk over the app's store, with the API (``enabled`` or ``with_api``) and the lookup.

    ``token`` and ``port`` override the keyring/``auth_file`` and ``port`` (the self-test)."""
    from desktop_pos.services.order_desk import OrderDesk

    settings = config.merchant_api
    desk = OrderDesk(services.store, services.events, queue_size=settings.queue_size)
    link = MerchantLink(desk)
    merchant_id = config.gateway.merchant_id
    clock = services.checkout.clock
    if settings.lookup_url:
        from desktop_pos.services.order_lookup import OrderLookup

        link.lookup = OrderLookup(
            settings.lookup_url,
            clock,
            timeout_s=settings.lookup_timeout_s,
            merchant_id=merchant_id,
        )
    if not (settings.enabled if with_api is None else with_api):
        return link
    if token is None:
        from desktop_pos.api_token import load_api_token

        token, link.problem = load_api_token(settings.auth_file)
        if token is None:
            log.warning("local API: %s", link.problem.en if link.problem else "no token")
            return link
    from desktop_pos.services.merchant_api import MerchantApi

    link.api = MerchantApi(
        desk,
        token,
        clock,
        port=settings.port if port is None else port,
        merchant_id=merchant_id,
    )
    return link
