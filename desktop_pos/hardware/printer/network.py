"""A printer on the network: raw TCP (port 9100, "JetDirect"), with asyncio streams.

Nothing here blocks: connecting, writing and reading all run on the event loop with timeouts.
The printer answers the DLE EOT status queries on the same socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from desktop_pos.hardware.printer.connection import (
    CONNECTING,
    READING_STATUS,
    SENDING,
    timeout_error,
)
from desktop_pos.hardware.printer.errors import PrinterOffline
from desktop_pos.hardware.printer.status import (
    STATUS_QUERY,
    STATUS_REPLY_LENGTH,
    PrinterStatus,
    parse_status_replies,
)
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

_CLOSE_TIMEOUT_S = 1.0
_CLOSED = LocalizedText("принтер закрыл соединение", "the printer closed the connection")


def _unreachable(description: str, reason: str | LocalizedText) -> PrinterOffline:
    why = reason if isinstance(reason, LocalizedText) else LocalizedText(reason, reason)
    return PrinterOffline(
        LocalizedText(
            f"Принтер чеков {description} не отвечает ({why.ru}). Проверьте, что он включён и "
            "подключён к сети, и нажмите «Повторить».",
            f"The receipt printer {description} does not respond ({why.en}). Check that it is on "
            "and connected to the network, then press “Retry”.",
        )
    )


class NetworkConnection:
    """An open TCP connection to the printer."""

    def __init__(
        self, host: str, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._host = host
        self._port = port
        self._reader = reader
        self._writer = writer

    @property
    def description(self) -> str:
        return f"{self._host}:{self._port}"

    @classmethod
    async def open(cls, host: str, port: int, timeout_s: float) -> NetworkConnection:
        description = f"{host}:{port}"
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
        except TimeoutError:
            raise timeout_error(description, CONNECTING) from None
        except OSError as exc:
            raise _unreachable(description, exc.strerror or str(exc)) from exc
        return cls(host, port, reader, writer)

    async def send(self, data: bytes, timeout_s: float) -> None:
        try:
            self._writer.write(data)
            await asyncio.wait_for(self._writer.drain(), timeout_s)
        except TimeoutError:
            raise timeout_error(self.description, SENDING) from None
        except OSError as exc:
            raise _unreachable(self.description, exc.strerror or str(exc)) from exc

    async def query_status(self, timeout_s: float) -> PrinterStatus:
        await self.send(STATUS_QUERY, timeout_s)
        try:
            reply = await asyncio.wait_for(self._reader.readexactly(STATUS_REPLY_LENGTH), timeout_s)
        except TimeoutError:
            raise timeout_error(self.description, READING_STATUS) from None
        except asyncio.IncompleteReadError as exc:
            raise _unreachable(self.description, _CLOSED) from exc
        except OSError as exc:
            raise _unreachable(self.description, exc.strerror or str(exc)) from exc
        return parse_status_replies(reply)

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(self._writer.wait_closed(), _CLOSE_TIMEOUT_S)
