"""Fault injection per endpoint: latency, HTTP 500, connection reset, reply lost after commit,
and "down" (every gateway endpoint drops the connection until cleared).

Set at start by ``--fault ENDPOINT:KIND[:ARG]`` and at run time by ``POST /_sandbox/faults``.
Counts (``http_500``, ``reset``, ``lost_after_commit``) go down by one per request they hit;
``latency_ms`` stays until cleared. Faults live in memory: a restart keeps only the flags' ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ENDPOINTS = (
    "orderstate",
    "cancel",
    "fiscalize",
    "fiscalreceipt",
    "cash_register",
    "sbp_register",
    "softpos_register",
    "card_authorize",
    "ping",
)
ALL = "all"
COUNTED_KINDS = ("http_500", "reset", "lost_after_commit")
KINDS = ("latency_ms", *COUNTED_KINDS, "down")


class FaultSpecError(ValueError):
    """A fault setting that cannot be understood; the message says which and why."""


@dataclass
class EndpointFaults:
    latency_ms: int = 0
    http_500: int = 0
    reset: int = 0
    lost_after_commit: int = 0

    def active(self) -> bool:
        return any(asdict(self).values())


class Faults:
    def __init__(self) -> None:
        self.down = False
        self._by_endpoint = {name: EndpointFaults() for name in ENDPOINTS}

    def for_endpoint(self, endpoint: str) -> EndpointFaults:
        return self._by_endpoint[endpoint]

    def take(self, endpoint: str, kind: str) -> bool:
        """True (and one less to come) if a counted fault of ``kind`` hits this request."""
        faults = self._by_endpoint[endpoint]
        left: int = getattr(faults, kind)
        if left <= 0:
            return False
        setattr(faults, kind, left - 1)
        return True

    def clear(self) -> None:
        self.down = False
        for name in ENDPOINTS:
            self._by_endpoint[name] = EndpointFaults()

    def set(self, endpoint: str, kind: str, value: int | bool) -> None:
        if kind == "down":
            self.down = bool(value)
            return
        if kind not in KINDS:
            raise FaultSpecError(f"unknown fault kind {kind!r} (known: {', '.join(KINDS)})")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FaultSpecError(f"{endpoint}.{kind} must be a whole number ≥ 0, not {value!r}")
        names = ENDPOINTS if endpoint == ALL else (endpoint,)
        if endpoint != ALL and endpoint not in ENDPOINTS:
            raise FaultSpecError(
                f"unknown endpoint {endpoint!r} (known: {', '.join(ENDPOINTS)}, {ALL})"
            )
        for name in names:
            setattr(self._by_endpoint[name], kind, value)

    def apply(self, settings: dict[str, Any]) -> None:
        """``{"clear": true, "down": false, "cash_register": {"http_500": 2}, "all": {...}}``"""
        if not isinstance(settings, dict):
            raise FaultSpecError("the faults must be a JSON object")
        if settings.get("clear") is True:
            self.clear()
        for key, value in settings.items():
            if key == "clear":
                continue
            if key == "down":
                if not isinstance(value, bool):
                    raise FaultSpecError(f"down must be true or false, not {value!r}")
                self.down = value
                continue
            if not isinstance(value, dict):
                raise FaultSpecError(f"{key} must be an object of fault kinds, not {value!r}")
            for kind, amount in value.items():
                if kind == "down":
                    raise FaultSpecError('down applies to every endpoint: use {"down": true}')
                self.set(key, kind, amount)

    def apply_spec(self, spec: str) -> None:
        """``ENDPOINT:KIND[:ARG]`` from the command line (``cash_register:http_500:2``,
        ``all:latency_ms:300``, ``all:down``); a counted kind without ARG means 1."""
        parts = spec.split(":")
        if len(parts) not in (2, 3):
            raise FaultSpecError(f"--fault {spec!r}: expected ENDPOINT:KIND[:ARG]")
        endpoint, kind = parts[0], parts[1]
        if kind == "down":
            if endpoint != ALL or len(parts) == 3:
                raise FaultSpecError(f"--fault {spec!r}: write all:down")
            self.down = True
            return
        if kind == "latency_ms" and len(parts) == 2:
            raise FaultSpecError(f"--fault {spec!r}: latency_ms needs milliseconds")
        try:
            amount = int(parts[2]) if len(parts) == 3 else 1
        except ValueError:
            raise FaultSpecError(f"--fault {spec!r}: {parts[2]!r} is not a number") from None
        self.set(endpoint, kind, amount)

    def describe(self) -> dict[str, Any]:
        return {
            "down": self.down,
            "endpoints": {
                name: asdict(faults)
                for name, faults in self._by_endpoint.items()
                if faults.active()
            },
        }
