"""A tiny real HTTP server on loopback that answers every gateway call with an unreadable reply.

Not a mock of the client: the real ``GatewayClient`` talks HTTP to it. It answers ``GET /`` (the
ping) normally, so the client sees a reachable gateway whose replies cannot be parsed.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from aiohttp import web

BROKEN_XML = '<result firstcode="0" secondcode="0"><order><billnumber>12'
BROKEN_JSON = '{"status": "Success", "fiscalreceipt_ID": '


class GarbageGateway:
    def __init__(self) -> None:
        self.port = 0
        self.requests: list[str] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _ping(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def _garbage(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        if request.path.endswith("orderstate.cfm") or request.path.endswith("cancel.cfm"):
            return web.Response(text=BROKEN_XML, content_type="text/xml")
        return web.Response(text=BROKEN_JSON, content_type="application/json")

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._ping)
        app.router.add_post("/{tail:.*}", self._garbage)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    def __enter__(self) -> GarbageGateway:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
