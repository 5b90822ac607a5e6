"""E-mail receipts: sent to the SMTP server given by ``--smtp HOST:PORT`` (plain SMTP, no
login; a loopback test server), otherwise only listed by ``GET /_sandbox/emails``."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

SENDER = "receipts@sandbox-gateway.localhost"
SMTP_TIMEOUT_S = 5.0
MAX_ATTEMPTS = 5
"""An e-mail the SMTP server refused this many times stays listed with its last error."""


class SmtpAddressError(ValueError):
    pass


def parse_smtp_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SmtpAddressError(f"--smtp {text!r}: expected HOST:PORT, e.g. 127.0.0.1:8025")
    return host, int(port)


def send_email(address: tuple[str, int], recipient: str, subject: str, body: str) -> None:
    """Blocking: run it in a worker thread. Raises ``OSError``/``smtplib.SMTPException``."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(address[0], address[1], timeout=SMTP_TIMEOUT_S) as smtp:
        smtp.send_message(message)
