"""Stock counts: what the books say is on hand, snapshotted; what was found, counted.

    OPEN ──► SUBMITTED

A count is started at one location for some SKUs (or all of them there): each line keeps
the on-hand quantity the ledger showed at that moment, `expected`. When the count is
submitted, every counted line's variance (counted - expected) becomes one CORRECTION
adjustment of the level as it is then; lines nobody counted are left alone. A submitted
count is closed for good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput
from domain.model.inventory import AdjustmentReason, MovementKind, StockMovement
from domain.model.lifecycle import StatusChange, Tracked

DOCUMENT = "count"  # how counts are named in references ("count:7") and shared history


class StockCountStatus(StrEnum):
    OPEN = "OPEN"
    SUBMITTED = "SUBMITTED"


TRANSITIONS: dict[StockCountStatus, frozenset[StockCountStatus]] = {
    StockCountStatus.OPEN: frozenset({StockCountStatus.SUBMITTED}),
}


def count_number(count_id: int) -> str:
    return f"SC-{count_id:06d}"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One level's on-hand quantity when a count starts."""

    variant_id: int
    sku: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class CountedLine:
    """What a counter found: `counted` units of `sku` (already normalised)."""

    sku: str
    counted: int


@dataclass
class StockCountLine:
    variant_id: int
    sku: str
    expected: int
    counted: int | None = None
    id: int | None = None

    @property
    def variance(self) -> int | None:
        """Counted - expected: negative when units are missing; None until counted."""
        return None if self.counted is None else self.counted - self.expected


@dataclass
class StockCount(Tracked[StockCountStatus]):
    location_id: int
    location_code: str
    lines: list[StockCountLine]
    started_by: str
    started_at: datetime
    status: StockCountStatus = StockCountStatus.OPEN
    history: list[StatusChange] = field(default_factory=list)
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    id: int | None = None

    @classmethod
    def start(
        cls,
        location_id: int,
        location_code: str,
        snapshot: Sequence[Snapshot],
        actor: str,
        at: datetime,
    ) -> StockCount:
        """A new OPEN count expecting what the snapshot shows."""
        if not snapshot:
            raise InvalidInput(f"there is nothing to count at {location_code}", field="skus")
        count = cls(
            location_id=location_id,
            location_code=location_code,
            lines=[StockCountLine(s.variant_id, s.sku, s.on_hand) for s in snapshot],
            started_by=actor,
            started_at=at,
        )
        count.record_creation(actor, at)
        return count

    @property
    def number(self) -> str | None:
        return count_number(self.id) if self.id is not None else None

    @property
    def reference(self) -> str:
        return f"{DOCUMENT}:{self.id}"

    # -- the state machine -----------------------------------------------------------
    def allowed_transitions(self) -> dict[StockCountStatus, frozenset[StockCountStatus]]:
        return TRANSITIONS

    @property
    def label(self) -> str:
        return f"count {self.number or self.id}"

    def submit(
        self, counted: Sequence[CountedLine], actor: str, at: datetime
    ) -> list[StockMovement]:
        """Record what was counted and close the count; returns one CORRECTION adjustment
        per line whose count differs from what was expected. Nothing changes if any line
        is refused."""
        self.require_transition(StockCountStatus.SUBMITTED)
        by_sku = {line.sku: line for line in self.lines}
        found: dict[str, int] = {}
        if not counted:
            raise InvalidInput("submit at least one counted line", field="lines")
        for index, entry in enumerate(counted):
            if entry.sku not in by_sku:
                raise InvalidInput(
                    f"SKU {entry.sku} is not in {self.label}", field=f"lines.{index}.sku"
                )
            if entry.sku in found:
                raise InvalidInput(f"SKU {entry.sku} is counted twice", field=f"lines.{index}.sku")
            if entry.counted < 0:
                raise InvalidInput("a count cannot be negative", field=f"lines.{index}.counted")
            found[entry.sku] = entry.counted
        movements = []
        for sku, units in found.items():
            line = by_sku[sku]
            line.counted = units
            if line.variance:
                movements.append(self._correction(line, actor, at))
        self.submitted_by, self.submitted_at = actor, at
        self.transition(StockCountStatus.SUBMITTED, actor, at)
        return movements

    def _correction(self, line: StockCountLine, actor: str, at: datetime) -> StockMovement:
        assert line.variance is not None
        return StockMovement(
            variant_id=line.variant_id,
            location_id=self.location_id,
            kind=MovementKind.ADJUSTMENT,
            on_hand_delta=line.variance,
            reserved_delta=0,
            reference=self.reference,
            actor=actor,
            occurred_at=at,
            reason=AdjustmentReason.CORRECTION.value,
            note=f"{self.label}: counted {line.counted}, expected {line.expected}",
        )
