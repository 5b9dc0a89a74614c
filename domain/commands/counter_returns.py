"""Commands of POS terminals syncing the returns they took back at the counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.model.counter_returns import CounterLine


@dataclass(frozen=True)
class CounterReturn:
    """One return taken back at the counter, of the order named by id or by number."""

    client_return_id: UUID
    occurred_at: datetime
    lines: tuple[CounterLine, ...]
    order_id: int | None = None
    order_number: str | None = None
    reason: str = ""
    note: str | None = None


@dataclass(frozen=True)
class SyncCounterReturns:
    """A batch of counter returns; `location_code` names the store for callers not bound to
    exactly one (a POS terminal uses its own)."""

    returns: tuple[CounterReturn, ...]
    location_code: str | None = None
