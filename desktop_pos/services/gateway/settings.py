"""Where the gateway is and how we log in; the password comes from the OS keyring."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GatewaySettings:
    base_url: str
    """``http://127.0.0.1:8765`` (the sandbox) or ``https://payments.t.paysecure.ru``."""
    merchant_id: str
    login: str
    password: str = field(repr=False)
    """From the OS keyring; never logged, never shown by ``repr``."""
    timeout_s: float = 10.0
    """The limit of every phase of a call (connect, send, wait for the reply)."""
    verify_tls: bool = True
