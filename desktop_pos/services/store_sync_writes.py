"""The sync worker's writes: each change one or two UPDATEs, prepared once and run straight on
the cursor inside the caller's transaction (docs/sync.md).

The rules "an attempt only moves along allowed state changes" and "the order row follows its
newest attempt and receipt" are conditions inside these UPDATEs, so one statement both checks
and writes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    String,
    Text,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine

from desktop_pos.models.payment import OrderState, can_transition
from desktop_pos.models.schema import (
    OrderRow,
    OutboxRow,
    PaymentAttemptRow,
    ReceiptRow,
    UTCDateTime,
)
from desktop_pos.services.store_records import (
    FiscalChange,
    OutcomeChange,
    PostponeChange,
    StepChange,
    SyncChange,
)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


_FISCAL_COLUMNS = (
    "fiscal_receipt_id",
    "fn",
    "fd",
    "fp",
    "shift_number",
    "receipt_number",
    "kkt_reg_number",
    "fiscal_datetime",
    "qr_string",
    "error_text",
)


# The sync worker's writes, built once (bound parameters ``p_*``): executing a prepared Core
# statement costs a fraction of building one, and the compiled form is cached.
_ATTEMPT = PaymentAttemptRow


def _param(name: str, type_: TypeEngine[Any]) -> BindParameter[Any]:
    """A parameter given at execution (None unless given)."""
    return bindparam(name, None, type_=type_, required=False)


_P_NOW = _param("p_now", UTCDateTime())
_P_ORDER = _param("p_order", Integer())
_P_ATTEMPT = _param("p_attempt", Integer())
_P_ENTRY = _param("p_entry", Integer())
_NEWEST = ~exists().where(_ATTEMPT.order_id == _P_ORDER, _ATTEMPT.id > _P_ATTEMPT)
"""No newer attempt of the order exists (the order row follows its newest attempt)."""


def _of_attempt(column: InstrumentedAttribute[Any]) -> ScalarSelect[Any]:
    return select(column).where(_ATTEMPT.id == _P_ATTEMPT).scalar_subquery()


def _keep_if_null(column: InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    """The parameter ``p_<column>``, or the stored value when it is None."""
    return func.coalesce(_param(f"p_{column.key}", column.type), column)


_SET_STEP = (
    update(OutboxRow).where(OutboxRow.id == _P_ENTRY).values(payload=_param("p_payload", Text()))
)
_SET_DONE = _SET_STEP.values(done_at=_P_NOW, last_error=None)
_POSTPONE = (
    update(OutboxRow)
    .where(OutboxRow.id == _P_ENTRY)
    .values(
        next_attempt_at=_param("p_next", UTCDateTime()),
        last_error=_param("p_error", Text()),
    )
)
_SOURCES = {
    state: [old.value for old in OrderState if can_transition(old, state)] for state in OrderState
}
"""For each state, the stored states that may change to it."""


def _is_one_of(column: InstrumentedAttribute[str], values: list[str]) -> ColumnElement[bool]:
    """``column IN (...)`` with the (enum) values written into the SQL: no expanding parameter,
    so the statement compiles once for good."""
    return or_(false(), *(column == literal_column(f"'{value}'") for value in values))


def _set_outcome(state: OrderState) -> Update:
    return (
        update(_ATTEMPT)
        .where(_ATTEMPT.id == _P_ATTEMPT)
        .values(
            # never backwards: only a state that may become ``state`` changes
            state=case(
                (_is_one_of(_ATTEMPT.state, _SOURCES[state]), state.value), else_=_ATTEMPT.state
            ),
            billnumber=_keep_if_null(_ATTEMPT.billnumber),
            response_code=_keep_if_null(_ATTEMPT.response_code),
            updated_at=_P_NOW,
        )
    )


_SET_OUTCOME = {state: _set_outcome(state) for state in OrderState}
_FOLLOW_OUTCOME = (
    update(OrderRow)
    .where(OrderRow.id == _P_ORDER, _NEWEST)
    .values(
        state=_of_attempt(_ATTEMPT.state),
        billnumber=_of_attempt(_ATTEMPT.billnumber),
        method=_of_attempt(_ATTEMPT.method),
        updated_at=_P_NOW,
    )
)
_P_FISCAL_STATE = _param("p_fiscal_state", String())
_SET_FISCAL = (
    update(ReceiptRow)
    .where(ReceiptRow.id == _param("p_receipt", Integer()))
    .values(
        {
            "fiscal_state": _P_FISCAL_STATE,
            "updated_at": _P_NOW,
            **{name: _keep_if_null(getattr(ReceiptRow, name)) for name in _FISCAL_COLUMNS},
        }
    )
)
_FOLLOW_FISCAL = (
    update(OrderRow)
    .where(OrderRow.id == _P_ORDER, _NEWEST)
    .values(fiscal_state=_P_FISCAL_STATE, updated_at=_P_NOW)
)


class _Prepared:
    """A statement compiled once for a dialect and run straight on the DBAPI cursor of the
    current transaction: the sync worker's hot path, a few microseconds per statement instead of
    SQLAlchemy's per-execution work. Bound values go through the column types' bind processors
    (e.g. ``UTCDateTime``) as they would with ``Connection.execute``."""

    def __init__(self, statement: Update, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.defaults = compiled.construct_params()
        self.order = compiled.positiontup
        self.processors = [
            (name, processor)
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

    def _values(self, params: Mapping[str, object]) -> dict[str, object]:
        values = {**self.defaults, **params}
        for name, processor in self.processors:
            if name in values:
                values[name] = processor(values[name])
        return values

    def run(self, connection: Connection, params: Mapping[str, object]) -> int:
        return self.run_many(connection, [params])

    def run_many(self, connection: Connection, rows: Sequence[Mapping[str, object]]) -> int:
        """Run the statement once per parameter set (one ``executemany``); the rows changed
        in all."""
        values = [self._values(params) for params in rows]
        cursor = connection.connection.cursor()
        try:
            if self.order is None:
                cursor.executemany(self.sql, values)
            else:
                order = self.order
                cursor.executemany(self.sql, [[v[name] for name in order] for v in values])
            return int(cursor.rowcount)
        finally:
            cursor.close()


@functools.cache
def _prepared(statement: Update, dialect: Dialect) -> _Prepared:
    return _Prepared(statement, dialect)


def _run(connection: Connection, statement: Update, params: Mapping[str, object]) -> int:
    """Run a prepared UPDATE; the number of rows it changed."""
    return _prepared(statement, connection.dialect).run(connection, params)


def _updated(rowcount: int, what: str) -> None:
    if rowcount == 0:
        raise LookupError(f"no {what}")


def _apply_all(connection: Connection, changes: Sequence[SyncChange], now: datetime) -> None:
    """Store ``changes`` (in the caller's transaction) as if one after another, each prepared
    UPDATE run once for all the rows that use it (``executemany``): first the outbox entries,
    attempts and receipts, then the order rows that follow them. When the same columns of a row
    would be set by two different statements (their order could matter), or a receipt has to
    be made, the changes run one by one instead."""
    plan = _plan(changes, now)
    if plan is None:
        for change in changes:
            _apply(connection, change, now)
        return
    for statement, (whats, rows) in plan.items():
        rowcount = _prepared(statement, connection.dialect).run_many(connection, rows)
        if whats and rowcount < len(rows):
            if len(whats) == 1:
                raise LookupError(f"no {whats[0]}")
            missing = len(rows) - rowcount
            raise LookupError(f"{missing} of these are missing: {', '.join(whats)}")


_Plan = dict[Update, tuple[list[str], list[dict[str, object]]]]
"""Statement → what each row it must change is (for the error; empty: no check) and the
parameter sets."""


class _Planner:
    """Groups the statements of changes by statement, remembering which statement sets which
    columns of which row: a second statement for the same columns of a row spoils the plan."""

    def __init__(self) -> None:
        self.first: _Plan = {}
        self.follow: _Plan = {}
        self._setter: dict[tuple[str, int], Update] = {}
        self.spoilt = False

    def add(
        self,
        statement: Update,
        params: dict[str, object],
        *,
        sets: tuple[tuple[str, int], ...] = (),
        what: str | None = None,
        follows: bool = False,
    ) -> None:
        for columns in sets:
            if self._setter.setdefault(columns, statement) is not statement:
                self.spoilt = True
        whats, rows = (self.follow if follows else self.first).setdefault(statement, ([], []))
        rows.append(params)
        if what is not None:
            whats.append(what)


def _plan(changes: Sequence[SyncChange], now: datetime) -> _Plan | None:
    """The statements of ``changes`` grouped for ``executemany``, the order rows last; None if
    they must run one by one."""
    planner = _Planner()
    for change in changes:
        if isinstance(change, StepChange):
            entry = change.entry_id
            planner.add(
                _SET_DONE if change.done else _SET_STEP,
                {"p_entry": entry, "p_payload": change.payload, "p_now": now},
                # done also clears last_error, which a postponement sets
                sets=(("payload", entry), ("error", entry))
                if change.done
                else (("payload", entry),),
                what=f"outbox entry {entry}",
            )
        elif isinstance(change, PostponeChange):
            _require_aware(change.next_attempt_at, "next_attempt_at")
            planner.add(
                _POSTPONE,
                {
                    "p_entry": change.entry_id,
                    "p_next": change.next_attempt_at,
                    "p_error": change.error,
                },
                sets=(("error", change.entry_id),),
                what=f"outbox entry {change.entry_id}",
            )
        elif isinstance(change, OutcomeChange):
            params = _outcome_params(change, now)
            planner.add(
                _SET_OUTCOME[change.state],
                params,
                sets=(("attempt", change.attempt_pk),),
                what=f"payment attempt {change.attempt_pk}",
            )
            planner.add(_FOLLOW_OUTCOME, params, follows=True)
        else:
            if change.receipt_pk is None:
                return None  # the receipt may have to be made first
            params = _fiscal_params(change, now)
            planner.add(_SET_FISCAL, {**params, "p_receipt": change.receipt_pk})
            planner.add(_FOLLOW_FISCAL, params, follows=True)
    if planner.spoilt:
        return None
    return {**planner.first, **planner.follow}


def _outcome_params(change: OutcomeChange, now: datetime) -> dict[str, object]:
    return {
        "p_order": change.order_id,
        "p_attempt": change.attempt_pk,
        "p_billnumber": change.billnumber,
        "p_response_code": change.response_code,
        "p_now": now,
    }


def _fiscal_params(change: FiscalChange, now: datetime) -> dict[str, object]:
    data = change.data
    return {
        "p_order": change.order_id,
        "p_attempt": change.attempt_pk,
        "p_fiscal_state": data.fiscal_state.value,
        "p_now": now,
        **{f"p_{name}": getattr(data, name) for name in _FISCAL_COLUMNS},
    }


def _apply(connection: Connection, change: SyncChange, now: datetime) -> None:
    """Store one change: one or two prepared UPDATEs."""
    if isinstance(change, StepChange):
        statement = _SET_DONE if change.done else _SET_STEP
        params: dict[str, object] = {
            "p_entry": change.entry_id,
            "p_payload": change.payload,
            "p_now": now,
        }
        _updated(_run(connection, statement, params), f"outbox entry {change.entry_id}")
    elif isinstance(change, PostponeChange):
        _require_aware(change.next_attempt_at, "next_attempt_at")
        params = {
            "p_entry": change.entry_id,
            "p_next": change.next_attempt_at,
            "p_error": change.error,
        }
        _updated(_run(connection, _POSTPONE, params), f"outbox entry {change.entry_id}")
    elif isinstance(change, OutcomeChange):
        params = _outcome_params(change, now)
        _updated(
            _run(connection, _SET_OUTCOME[change.state], params),
            f"payment attempt {change.attempt_pk}",
        )
        _run(connection, _FOLLOW_OUTCOME, params)
    else:
        _apply_fiscal(connection, change, now)


def _apply_fiscal(connection: Connection, change: FiscalChange, now: datetime) -> None:
    data = change.data
    params = _fiscal_params(change, now)
    receipt_pk = change.receipt_pk or connection.scalar(
        select(func.max(ReceiptRow.id)).where(
            ReceiptRow.attempt_id == change.attempt_pk, ReceiptRow.kind == change.kind
        )
    )
    if receipt_pk is None:
        values = {name: getattr(data, name) for name in _FISCAL_COLUMNS}
        connection.execute(
            insert(ReceiptRow).values(
                {
                    "order_id": change.order_id,
                    "attempt_id": change.attempt_pk,
                    "kind": change.kind,
                    "fiscal_state": data.fiscal_state.value,
                    "created_at": now,
                    "updated_at": now,
                    **values,
                }
            )
        )
    else:
        _run(connection, _SET_FISCAL, {**params, "p_receipt": receipt_pk})
    _run(connection, _FOLLOW_FISCAL, params)
