"""The sandbox gateway: an aiohttp server implementing the gateway endpoints of
docs/gateway-api.md on loopback, with its own SQLite file (``ledger``), test-amount outcomes
(``outcomes``), fault injection (``faults``) and control endpoints under ``/_sandbox/``
(docs/sandbox.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import socket
import sqlite3
import struct
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from aiohttp import web

from desktop_pos.models.errors import OrderNumberError
from desktop_pos.models.order_number import validate_order_number
from desktop_pos.sandbox.gateway import replies
from desktop_pos.sandbox.gateway.card_authorization import (
    CardCheck,
    card_reply_fields,
    check_card,
)
from desktop_pos.sandbox.gateway.faults import Faults
from desktop_pos.sandbox.gateway.ledger import Delays, Ledger, Refusal, Registration, iso
from desktop_pos.sandbox.gateway.mailer import MAX_ATTEMPTS, SMTP_TIMEOUT_S, send_email
from desktop_pos.services.gateway import mpos_operations as mpos
from desktop_pos.services.gateway import protocol
from desktop_pos.services.gateway.errors import RejectCode

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ENDPOINT_BY_PATH = {
    protocol.ORDERSTATE_PATH: "orderstate",
    protocol.CANCEL_PATH: "cancel",
    protocol.FISCALIZE_PATH: "fiscalize",
    protocol.FISCALRECEIPT_PATH: "fiscalreceipt",
    mpos.CASH_REGISTER_PATH: "cash_register",
    mpos.SBP_REGISTER_PATH: "sbp_register",
    mpos.SOFTPOS_REGISTER_PATH: "softpos_register",
    mpos.CARD_AUTHORIZE_PATH: "card_authorize",
    "/": "ping",
}
_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")
_ATTEMPT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_EMAIL_RETRY_S = 1.0
IDEMPOTENCY_FIELD = " idempotency key"
"""Where ``_form`` puts the Idempotency-Key header (a name no form field can clash with)."""


@dataclass(frozen=True)
class SandboxConfig:
    db_path: Path
    delays: Delays = field(
        default_factory=lambda: Delays(fiscal_s=2.0, sbp_s=15.0, in_process_s=5.0)
    )
    merchant_id: str = "600000"
    login: str = "sandbox_login"
    password: str = field(default="sandbox_password", repr=False)
    smtp: tuple[str, int] | None = None
    faults: tuple[str, ...] = ()
    tick_s: float = 0.05


def _drop_connection(request: web.Request) -> None:
    """Reset the connection (RST, no reply)."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _missing(name: str) -> Refusal:
    return Refusal(RejectCode.MISSING_FIELD, f"{name} is required")


def _invalid(name: str, why: str) -> Refusal:
    return Refusal(RejectCode.INVALID_FIELD, f"{name}: {why}")


def _amount(value: object, name: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise _missing(name)
        return None
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise _invalid(name, f"{value!r} is not an amount like 123.45")
    return Decimal(value)


def _window(form: dict[str, str], prefix: str, *, end: bool) -> float | None:
    names = ("year", "month", "day", "hour", "min")
    given = {n: form.get(f"{prefix}{n}", "") for n in names}
    if not any(given.values()):
        return None
    try:
        moment = datetime(
            int(given["year"]),
            int(given["month"]),
            int(given["day"]),
            int(given["hour"] or (23 if end else 0)),
            int(given["min"] or (59 if end else 0)),
            59 if end else 0,
            tzinfo=UTC,
        )
    except ValueError:
        raise _invalid(f"{prefix.capitalize()}*", "not a valid GMT date and time") from None
    return moment.timestamp()


class SandboxGateway:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.faults = Faults()
        for spec in config.faults:
            self.faults.apply_spec(spec)
        self.ledger = Ledger(config.db_path, config.delays)
        self._tick_task: asyncio.Task[None] | None = None
        self._email_next_try: dict[int, float] = {}
        self._unfinished: set[asyncio.Future[web.StreamResponse]] = set()

    # -- application ---------------------------------------------------------------------

    def make_app(self) -> web.Application:
        @web.middleware
        async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await self._with_faults(request, handler)

        app = web.Application(middlewares=[inject_faults])
        app.router.add_get("/", self._ping)
        app.router.add_post(protocol.ORDERSTATE_PATH, self._form_endpoint(self._orderstate))
        app.router.add_post(protocol.CANCEL_PATH, self._form_endpoint(self._cancel))
        app.router.add_post(protocol.FISCALIZE_PATH, self._json_endpoint(self._fiscalize))
        app.router.add_post(protocol.FISCALRECEIPT_PATH, self._json_endpoint(self._fiscalreceipt))
        app.router.add_post(mpos.CASH_REGISTER_PATH, self._mpos_endpoint("cash"))
        app.router.add_post(mpos.SBP_REGISTER_PATH, self._mpos_endpoint("sbp"))
        app.router.add_post(mpos.SOFTPOS_REGISTER_PATH, self._mpos_endpoint("softpos"))
        app.router.add_post(mpos.CARD_AUTHORIZE_PATH, self._mpos_endpoint("card"))
        app.router.add_get("/_sandbox/health", self._health)
        app.router.add_get("/_sandbox/faults", self._get_faults)
        app.router.add_post("/_sandbox/faults", self._set_faults)
        app.router.add_post("/_sandbox/sbp/pay", self._buyer_pays)
        app.router.add_post("/_sandbox/softpos/pay", self._phone_pays)
        app.router.add_post("/_sandbox/expire", self._expire)
        app.router.add_get("/_sandbox/registrations", self._registrations)
        app.router.add_get("/_sandbox/receipts", self._receipts)
        app.router.add_get("/_sandbox/emails", self._emails)
        app.router.add_post("/_sandbox/backdate", self._backdate)
        app.cleanup_ctx.append(self._background)
        return app

    async def _background(self, app: web.Application) -> AsyncIterator[None]:
        self._tick_task = asyncio.create_task(self._tick_forever())
        yield
        self._tick_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._tick_task
        self.ledger.close()

    async def _tick_forever(self) -> None:
        """Settle what is due and send e-mails, every ``tick_s`` until the server stops."""
        while True:
            try:
                self.ledger.settle(time.time())
                if self.config.smtp is not None:
                    await self._send_emails(self.config.smtp)
            except Exception:
                log.exception("sandbox gateway: the background tick failed")
            await asyncio.sleep(self.config.tick_s)

    async def _send_emails(self, address: tuple[str, int]) -> None:
        now = time.time()
        for email in self.ledger.unsent_emails(MAX_ATTEMPTS):
            if self._email_next_try.get(email.id, 0.0) > now:
                continue
            try:
                await asyncio.wait_for(
                    asyncio.to_thread(
                        send_email, address, email.recipient, email.subject, email.body
                    ),
                    timeout=SMTP_TIMEOUT_S * 2,
                )
            except OSError as exc:  # refused, timed out (TimeoutError), any smtplib error
                log.warning("sandbox gateway: e-mail %s not sent: %s", email.id, exc)
                self._email_next_try[email.id] = time.time() + _EMAIL_RETRY_S
                self.ledger.email_done(email.id, time.time(), f"{type(exc).__name__}: {exc}")
            else:
                log.info("sandbox gateway: e-mail %s sent to %s", email.id, email.recipient)
                self.ledger.email_done(email.id, time.time(), None)

    async def _with_faults(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        endpoint = ENDPOINT_BY_PATH.get(request.path)
        if endpoint is None:
            return await handler(request)
        if self.faults.down or self.faults.take(endpoint, "reset"):
            log.info("sandbox gateway: %s: connection dropped (fault)", endpoint)
            _drop_connection(request)
            return web.Response(status=503)  # never reaches the client
        # A client that gives up (its timeout) does not stop the operation: as at a real
        # gateway, it is finished and committed, and only the reply is lost. The body is read
        # first (aiohttp keeps it) so a dropped connection cannot cut it off.
        await request.read()
        task = asyncio.ensure_future(self._delayed(endpoint, request, handler))
        self._unfinished.add(task)
        task.add_done_callback(self._unfinished.discard)
        response = await asyncio.shield(task)
        if self.faults.take(endpoint, "lost_after_commit"):
            log.info("sandbox gateway: %s: reply lost after commit (fault)", endpoint)
            _drop_connection(request)
        return response

    async def _delayed(
        self, endpoint: str, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        latency = self.faults.for_endpoint(endpoint).latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        if self.faults.take(endpoint, "http_500"):
            log.info("sandbox gateway: %s: HTTP 500 (fault)", endpoint)
            return web.Response(status=500, text="Internal Server Error")
        return await handler(request)

    # -- request reading -----------------------------------------------------------------

    @staticmethod
    async def _form(request: web.Request) -> dict[str, str]:
        """The form fields with lower-case names (Assist's names are case-insensitive)."""
        try:
            data = await request.post()
        except ValueError:
            raise _invalid("body", "not form data") from None
        fields = {
            key.lower(): value.strip() for key, value in data.items() if isinstance(value, str)
        }
        fields[IDEMPOTENCY_FIELD] = request.headers.get("Idempotency-Key", "").strip()
        return fields

    def _check_credentials(self, fields: dict[str, Any]) -> None:
        for name in ("merchant_id", "login", "password"):
            if not fields.get(name):
                raise _missing(name)
        if (
            str(fields["merchant_id"]) != self.config.merchant_id
            or fields["login"] != self.config.login
            or fields["password"] != self.config.password
        ):
            raise Refusal(RejectCode.WRONG_CREDENTIALS, "wrong Merchant_ID, Login or Password")

    def _form_endpoint(
        self, body: Callable[[dict[str, str]], web.Response]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                form = await self._form(request)
                self._check_credentials(form)
                if form.get("format") != protocol.FORMAT_XML:
                    raise Refusal(RejectCode.UNKNOWN_FORMAT, "this sandbox answers Format=3 (XML)")
                self.ledger.settle(time.time())
                return body(form)
            except Refusal as exc:
                return replies.xml_error(exc.code, exc.message)

        return handle

    def _json_endpoint(
        self, body: Callable[[dict[str, str]], dict[str, Any]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                form = await self._form(request)
                self._check_credentials(form)
                if form.get("format") != protocol.FORMAT_JSON:
                    raise Refusal(RejectCode.UNKNOWN_FORMAT, "the fiscal services answer Format=5")
                self.ledger.settle(time.time())
                return replies.json_reply(body(form))
            except Refusal as exc:
                return replies.json_error(exc.code, exc.message, mpos=False)

        return handle

    def _mpos_endpoint(self, method: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            try:
                try:
                    data = await request.json()
                except ValueError:
                    raise _invalid("body", "not JSON") from None
                if not isinstance(data, dict):
                    raise _invalid("body", "not a JSON object")
                self._check_credentials(data)
                registration = self._registration(method, data)
                row, replayed = self.ledger.register(registration, time.time())
                reply = replies.operation_json(row, replayed=replayed)
                if method == "card":
                    reply.update(card_reply_fields(row, registration.cardholder))
                return replies.json_reply(reply)
            except Refusal as exc:
                return replies.json_error(exc.code, exc.message, mpos=True)

        return handle

    # -- gateway endpoints ---------------------------------------------------------------

    def _orderstate(self, form: dict[str, str]) -> web.Response:
        number = form.get("ordernumber")
        if not number:
            raise _missing("Ordernumber")
        start = _window(form, "start", end=False)
        end = _window(form, "end", end=True)
        if start is None:
            start = time.time() - protocol.ORDERSTATE_DEFAULT_WINDOW.total_seconds()
        return replies.xml_operations(self.ledger.operations_of(number, start, end))

    def _cancel(self, form: dict[str, str]) -> web.Response:
        billnumber = form.get("billnumber")
        if not billnumber:
            raise _missing("Billnumber")
        amount = _amount(form.get("amount"), "Amount", required=False)
        if amount is not None and amount <= 0:
            raise _invalid("Amount", "must be above zero")
        if form.get("currency", protocol.CURRENCY) != protocol.CURRENCY:
            raise _invalid("Currency", "must be RUB")
        key = form[IDEMPOTENCY_FIELD] or f"{billnumber}:cancel:{amount or 'full'}"
        cancel, payment = self.ledger.cancel(billnumber, amount, key, time.time())
        return replies.xml_cancel(cancel, payment)

    def _fiscalize(self, form: dict[str, str]) -> dict[str, Any]:
        billnumber = form.get("billnumber")
        if not billnumber:
            raise _missing("Billnumber")
        kind = form.get("type")
        if not kind:
            raise _missing("Type")
        if kind not in protocol.RECEIPT_KINDS:
            raise _invalid("Type", "must be sell or sell_refund")
        receipt = self.ledger.fiscalize(
            billnumber,
            kind,
            form.get("payment_id", ""),
            form.get("email", ""),
            form.get("phone", ""),
            time.time(),
        )
        return {
            "fiscalreceipt_ID": receipt["fiscalreceipt_id"],
            "billnumber": billnumber,
            "status": receipt["status"],
        }

    def _fiscalreceipt(self, form: dict[str, str]) -> dict[str, Any]:
        billnumber = form.get("billnumber")
        if not billnumber:
            raise _missing("BillNumber")
        return replies.receipt_json(self.ledger.receipt_of(billnumber))

    def _registration(self, method: str, data: dict[str, Any]) -> Registration:
        number = data.get("ordernumber")
        if not isinstance(number, str) or not number:
            raise _missing("ordernumber")
        try:
            number = validate_order_number(number)
        except OrderNumberError as exc:
            raise _invalid("ordernumber", exc.text.en) from None
        attempt_id = data.get("attempt_id")
        if not isinstance(attempt_id, str) or not attempt_id:
            raise _missing("attempt_id")
        if not _ATTEMPT_ID.fullmatch(attempt_id):
            raise _invalid("attempt_id", "1-64 letters, digits, '_', '.', ':' or '-'")
        amount = _amount(data.get("amount"), "amount")
        assert amount is not None
        if amount <= 0:
            raise _invalid("amount", "must be above zero")
        if data.get("currency") != protocol.CURRENCY:
            raise _invalid("currency", "must be RUB")
        email = data.get("clientemail") or ""
        phone = data.get("clientphone") or ""
        if not isinstance(email, str) or not isinstance(phone, str):
            raise _invalid("clientemail", "must be text")
        meantypename = {"cash": "Cash", "sbp": "SBP", "softpos": "SoftPOS"}.get(method, "")
        card: CardCheck | None = None
        if method == "cash":
            self._check_cash(data, amount)
        elif method == "card":
            card = check_card(data, number, amount)
            meantypename = card.meantypename
        request = {key: value for key, value in data.items() if key != "password"}
        return Registration(
            method,
            meantypename,
            number,
            attempt_id,
            amount,
            email,
            phone,
            request,
            outcome=None if card is None else card.outcome,
            cardholder="" if card is None else card.cardholder,
        )

    @staticmethod
    def _check_cash(data: dict[str, Any], amount: Decimal) -> None:
        total = _amount(data.get("total"), "total")
        prepaid = _amount(data.get("amount_prepaid") or "0.00", "amount_prepaid")
        assert total is not None and prepaid is not None
        if total - prepaid != amount:
            raise _invalid("amount", "is not total − amount_prepaid")
        items = data.get("items")
        if not isinstance(items, list) or not items:
            raise _missing("items")
        item_sum = Decimal("0.00")
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                raise _invalid(f"items[{index}]", "needs name, price, quantity and amount")
            _amount(item.get("price"), f"items[{index}].price")
            item_amount = _amount(item.get("amount"), f"items[{index}].amount")
            assert item_amount is not None
            item_sum += item_amount
        if item_sum != total:
            raise _invalid("total", "is not the sum of the items' amounts")

    # -- control endpoints ---------------------------------------------------------------

    async def _ping(self, request: web.Request) -> web.Response:
        return web.Response(text="sandbox gateway\n")

    async def _health(self, request: web.Request) -> web.Response:
        return replies.json_reply(
            {"status": "ok", "pid": os.getpid(), "merchant_id": self.config.merchant_id}
        )

    async def _get_faults(self, request: web.Request) -> web.Response:
        return replies.json_reply(self.faults.describe())

    async def _control_json(self, request: web.Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="the body is not JSON") from None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="the body is not a JSON object")
        return data

    async def _set_faults(self, request: web.Request) -> web.Response:
        data = await self._control_json(request)
        try:
            self.faults.apply(data)
        except ValueError as exc:
            return replies.json_reply({"error": str(exc)}, 400)
        log.info("sandbox gateway: faults now %s", self.faults.describe())
        return replies.json_reply(self.faults.describe())

    async def _buyer_pays(self, request: web.Request) -> web.Response:
        return await self._settle_remote(
            request, lambda bill: self.ledger.buyer_pays(bill, time.time())
        )

    async def _phone_pays(self, request: web.Request) -> web.Response:
        return await self._settle_remote(
            request, lambda bill: self.ledger.buyer_pays(bill, time.time(), method="softpos")
        )

    async def _expire(self, request: web.Request) -> web.Response:
        return await self._settle_remote(
            request, lambda bill: self.ledger.expire(bill, time.time())
        )

    async def _settle_remote(
        self, request: web.Request, action: Callable[[str], sqlite3.Row]
    ) -> web.Response:
        data = await self._control_json(request)
        billnumber = data.get("billnumber")
        if not isinstance(billnumber, str):
            return replies.json_reply({"error": "billnumber is required"}, 400)
        try:
            row = action(billnumber)
        except Refusal as exc:
            return replies.json_reply({"error": exc.message}, 404)
        return replies.json_reply(replies.operation_json(row, replayed=False))

    async def _registrations(self, request: web.Request) -> web.Response:
        number = request.query.get("ordernumber")
        if not number:
            return replies.json_reply({"error": "ordernumber is required"}, 400)
        self.ledger.settle(time.time())
        rows = self.ledger.operations_of(number)
        return replies.json_reply(
            {
                "registrations": [
                    {
                        "billnumber": row["billnumber"],
                        "ordernumber": row["ordernumber"],
                        "attempt_id": row["attempt_id"],
                        "method": row["method"],
                        "amount": row["amount"],
                        "canceled": row["canceled"],
                        "orderstate": row["state"],
                        "responsecode": row["responsecode"],
                        "created_at": iso(row["created_at"]),
                        "request": replies.json_loads(row["request"]),
                    }
                    for row in rows
                ]
            }
        )

    async def _receipts(self, request: web.Request) -> web.Response:
        number = request.query.get("ordernumber")
        if not number:
            return replies.json_reply({"error": "ordernumber is required"}, 400)
        self.ledger.settle(time.time())
        return replies.json_reply(
            {
                "receipts": [
                    {
                        "fiscalreceipt_id": row["fiscalreceipt_id"],
                        "billnumber": row["billnumber"],
                        "receipttype": row["kind"],
                        "payment_id": row["payment_id"],
                        "status": row["status"],
                        "total": row["total"],
                        "created_at": iso(row["created_at"]),
                    }
                    for row in self.ledger.receipts_of_order(number)
                ]
            }
        )

    async def _emails(self, request: web.Request) -> web.Response:
        self.ledger.settle(time.time())
        return replies.json_reply({"emails": self.ledger.emails()})

    async def _backdate(self, request: web.Request) -> web.Response:
        data = await self._control_json(request)
        number, seconds = data.get("ordernumber"), data.get("seconds")
        if not isinstance(number, str) or not isinstance(seconds, int | float) or seconds < 0:
            return replies.json_reply({"error": "ordernumber and seconds ≥ 0 are required"}, 400)
        return replies.json_reply({"moved": self.ledger.backdate(number, float(seconds))})
