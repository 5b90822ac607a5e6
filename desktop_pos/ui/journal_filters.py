"""The journal window's filter bar as a ``JournalFilter``: the period, the state group or state,
the payment method and the order-number search.

The combo boxes of ``JournalWindow`` carry the keys below as their data; ``filter_of`` turns
their current values into the filter the journal's queries take (no Qt here).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.services.journal import JournalFilter

PERIOD_ALL, PERIOD_TODAY, PERIOD_3_DAYS, PERIOD_WEEK, PERIOD_MONTH, PERIOD_DATE = (
    "all",
    "today",
    "3days",
    "week",
    "month",
    "date",
)
STATES_ALL, STATES_TO_SYNC, STATES_FAILED = "all", "to_sync", "failed"
STATES_REFUND = "refund"
"""Orders with a payment flagged for refund (paid twice), whatever their state."""
_STATE_GROUPS: dict[str, frozenset[OrderState]] = {
    STATES_ALL: frozenset(),
    STATES_TO_SYNC: frozenset({OrderState.OFFLINE, OrderState.IN_PROCESS}),
    STATES_FAILED: frozenset({OrderState.DECLINED, OrderState.CANCELED, OrderState.TIMEOUT}),
    STATES_REFUND: frozenset(),
}


def period_bounds(period: str, now: datetime, day: date) -> tuple[datetime | None, datetime | None]:
    """``since`` and ``until`` (exclusive) of ``period`` at ``now`` (aware, local);
    ``PERIOD_DATE`` is the local day ``day``."""
    midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    if period == PERIOD_TODAY:
        return midnight, None
    if period == PERIOD_3_DAYS:
        return now - timedelta(days=3), None
    if period == PERIOD_WEEK:
        return now - timedelta(days=7), None
    if period == PERIOD_MONTH:
        return now - timedelta(days=30), None
    if period == PERIOD_DATE:
        start = datetime.combine(day, time()).astimezone()
        return start, datetime.combine(day + timedelta(days=1), time()).astimezone()
    return None, None


def filter_of(
    *, period: str, day: date, now: datetime, state_key: str, method: str, number: str
) -> JournalFilter:
    """The filter of the bar's values: ``state_key`` is a group (``STATES_…``) or an
    ``OrderState`` value; ``method`` a ``PaymentMethod`` value or "" (every method)."""
    since, until = period_bounds(period, now, day)
    states = _STATE_GROUPS.get(state_key)
    if states is None:
        states = frozenset({OrderState(state_key)})
    return JournalFilter(
        since=since,
        until=until,
        states=states,
        method=PaymentMethod(method) if method else None,
        number=number,
        refund_only=state_key == STATES_REFUND,
    )
