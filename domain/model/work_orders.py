"""Work orders: making units of a manufactured variant at one location, and a state machine.

    PLANNED ──► RELEASED ──► IN_PROGRESS ──► COMPLETED             (every unit made or scrapped)
       │           │              └───────► PARTIALLY_COMPLETED ──► COMPLETED
       │           │                              ▲    └─┘ (completes again)
       └───────────┴──────────────┴───────────────┴──► CANCELLED   (reservations released)

A work order takes a copy of its variant's bill of materials when it is created: its own
components, each with the units needed per unit made. What each step does to stock at the
production location (q = units to make, p + s = units produced and scrapped by a completion):

    release   each component  RESERVATION  reserved +per_unit x q     (all or nothing)
    complete  each component  CONSUMPTION  on_hand, reserved -per_unit x (p + s)
              the variant     PRODUCTION   on_hand +p                 (scrap is not stock)
    cancel    each component  RELEASE      reserved -what is still reserved

Every transition, and only a transition allowed here, appends to the work order's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.access import Principal, Role
from domain.errors import ComponentShortage, InvalidInput
from domain.model.boms import Component
from domain.model.inventory import MovementKind, StockLevel, StockMovement
from domain.model.lifecycle import StatusChange, Tracked

DOCUMENT = "work_order"  # its kind in the shared status history, and in its events
MAX_UNITS = 100_000
DUE_DATE_PAST, DUE_DATE_AHEAD = timedelta(days=365), timedelta(days=3653)


class WorkOrderStatus(StrEnum):
    PLANNED = "PLANNED"
    RELEASED = "RELEASED"
    IN_PROGRESS = "IN_PROGRESS"
    PARTIALLY_COMPLETED = "PARTIALLY_COMPLETED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


S = WorkOrderStatus
TRANSITIONS: dict[WorkOrderStatus, frozenset[WorkOrderStatus]] = {
    S.PLANNED: frozenset({S.RELEASED, S.CANCELLED}),
    S.RELEASED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.PARTIALLY_COMPLETED, S.COMPLETED, S.CANCELLED}),
    S.PARTIALLY_COMPLETED: frozenset({S.PARTIALLY_COMPLETED, S.COMPLETED, S.CANCELLED}),
}
OPEN = frozenset(TRANSITIONS)


@dataclass
class WorkOrderComponent:
    variant_id: int
    sku: str
    per_unit: int
    reserved: int = 0  # units held at the location for the units still to make
    consumed: int = 0  # units used up by completions, scrap included
    id: int | None = None


@dataclass
class WorkOrder(Tracked[WorkOrderStatus]):
    variant_id: int
    sku: str
    quantity: int
    location_id: int
    location_code: str
    due_date: date
    components: list[WorkOrderComponent]
    created_at: datetime
    status: WorkOrderStatus = WorkOrderStatus.PLANNED
    produced: int = 0
    scrapped: int = 0
    history: list[StatusChange] = field(default_factory=list)
    number: str | None = None
    id: int | None = None

    @classmethod
    def plan(
        cls,
        *,
        variant_id: int,
        sku: str,
        quantity: int,
        location_id: int,
        location_code: str,
        due_date: date,
        bill_of_materials: Iterable[Component],
        created_at: datetime,
    ) -> WorkOrder:
        """A PLANNED work order for `quantity` units, with a copy of the variant's BOM."""
        if not 0 < quantity <= MAX_UNITS:
            raise InvalidInput(f"quantity must be 1 to {MAX_UNITS:,}", field="quantity")
        today = created_at.date()
        if not today - DUE_DATE_PAST <= due_date <= today + DUE_DATE_AHEAD:
            raise InvalidInput(
                "a due date is at most a year ago and at most ten years ahead", field="dueDate"
            )
        components = [
            WorkOrderComponent(c.variant_id, c.sku, c.quantity) for c in bill_of_materials
        ]
        if not components:
            raise InvalidInput(f"SKU {sku} has no bill of materials", field="sku")
        return cls(
            variant_id=variant_id,
            sku=sku,
            quantity=quantity,
            location_id=location_id,
            location_code=location_code,
            due_date=due_date,
            components=components,
            created_at=created_at,
        )

    @property
    def remaining(self) -> int:
        """Units neither produced nor scrapped yet."""
        return self.quantity - self.produced - self.scrapped

    @property
    def reference(self) -> str:
        return f"{DOCUMENT}:{self.id}"

    # -- the state machine -----------------------------------------------------------
    def allowed_transitions(self) -> Mapping[WorkOrderStatus, frozenset[WorkOrderStatus]]:
        return TRANSITIONS

    @property
    def label(self) -> str:
        return f"work order {self.number or self.id}"

    def release(
        self,
        levels: Mapping[tuple[int, int], StockLevel],
        actor: str,
        at: datetime,
        note: str | None = None,
    ) -> list[StockMovement]:
        """Reserve every component for every unit at the location, or none: when any is
        short, say which, all of them (`levels` by (variant id, location id))."""
        self.require_transition(WorkOrderStatus.RELEASED)
        shortages = []
        for component in self.components:
            needed = component.per_unit * self.quantity
            level = levels.get((component.variant_id, self.location_id))
            available = max(level.available, 0) if level else 0
            if available < needed:
                shortages.append((component.sku, needed, available))
        if shortages:
            raise ComponentShortage(self.label, self.location_code, shortages, field="workOrderId")
        self.transition(WorkOrderStatus.RELEASED, actor, at, note)
        movements = []
        for component in self.components:
            component.reserved = component.per_unit * self.quantity
            movements.append(
                self._move(
                    component.variant_id,
                    MovementKind.RESERVATION,
                    actor,
                    at,
                    reserved=component.reserved,
                )
            )
        return movements

    def start(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        self.transition(WorkOrderStatus.IN_PROGRESS, actor, at, note)
        return []

    def complete(
        self, produced: int, scrapped: int, actor: str, at: datetime, note: str | None = None
    ) -> list[StockMovement]:
        """Units made (on hand) and scrapped (gone): both use up their components."""
        self.require_transition(WorkOrderStatus.COMPLETED)
        if produced < 0:
            raise InvalidInput("producedQuantity cannot be negative", field="producedQuantity")
        if scrapped < 0:
            raise InvalidInput("scrappedQuantity cannot be negative", field="scrappedQuantity")
        units = produced + scrapped
        if units == 0:
            raise InvalidInput(
                "a completion produces or scraps at least one unit", field="producedQuantity"
            )
        if units > self.remaining:
            raise InvalidInput(
                f"{self.label}: {self.remaining} units remain, {units} produced and scrapped",
                field="producedQuantity",
            )
        self.produced += produced
        self.scrapped += scrapped
        target = WorkOrderStatus.COMPLETED if self.remaining == 0 else S.PARTIALLY_COMPLETED
        self.transition(target, actor, at, note)
        movements = []
        for component in self.components:
            used = component.per_unit * units
            component.reserved -= used
            component.consumed += used
            movements.append(
                self._move(
                    component.variant_id,
                    MovementKind.CONSUMPTION,
                    actor,
                    at,
                    on_hand=-used,
                    reserved=-used,
                )
            )
        if produced:
            movements.append(
                self._move(self.variant_id, MovementKind.PRODUCTION, actor, at, on_hand=produced)
            )
        return movements

    def cancel(self, actor: str, at: datetime, note: str | None = None) -> list[StockMovement]:
        """Stop, giving back every component unit still reserved."""
        self.transition(WorkOrderStatus.CANCELLED, actor, at, note)
        movements = []
        for component in self.components:
            if component.reserved:
                movements.append(
                    self._move(
                        component.variant_id,
                        MovementKind.RELEASE,
                        actor,
                        at,
                        reserved=-component.reserved,
                    )
                )
                component.reserved = 0
        return movements

    # -- helpers -----------------------------------------------------------------------
    def _move(
        self,
        variant_id: int,
        kind: MovementKind,
        actor: str,
        at: datetime,
        *,
        on_hand: int = 0,
        reserved: int = 0,
    ) -> StockMovement:
        return StockMovement(
            variant_id=variant_id,
            location_id=self.location_id,
            kind=kind,
            on_hand_delta=on_hand,
            reserved_delta=reserved,
            reference=self.reference,
            actor=actor,
            occurred_at=at,
        )


# -- who may do what -------------------------------------------------------------------


def may_see(principal: Principal, location_code: str) -> bool:
    """ADMIN sees every work order; STAFF those at a location they work at; nobody else."""
    return principal.role in (Role.ADMIN, Role.STAFF) and principal.works_at(location_code)


def require_planner(principal: Principal, action: str) -> None:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF), action)
