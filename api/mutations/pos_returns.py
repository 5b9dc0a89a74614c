"""syncPosReturns: the returns a POS terminal took back at its counter, synced in batches."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from uuid import UUID

import strawberry

from api.context import Context
from api.errors import UserError, user_error
from api.mutations.runner import run_mutation
from api.observability.metrics import POS_SYNC_BATCH_SIZE
from api.types.nodes import key_behind
from api.types.returns import Return
from domain.commands.counter_returns import CounterReturn, SyncCounterReturns
from domain.model.counter_returns import CounterLine
from domain.model.pos_sync import SyncStatus
from domain.model.returns import ReturnDisposition
from domain.usecases.pos_returns import MAX_BATCH, CounterReturnResult, sync_pos_returns

NO_ORDER = 0  # the key looked up for an id that names no order: no order has it


@strawberry.input(description="Units of one SKU taken back, and the state they came back in.")
class PosReturnLineInput:
    sku: str = strawberry.field(description="The SKU, as ordered.")
    quantity: int = strawberry.field(description="Units, at least 1.")
    condition: ReturnDisposition = strawberry.field(
        default=ReturnDisposition.RESTOCK,
        description="RESTOCK (back on the store's shelf) or DAMAGED (held there as damaged).",
    )


@strawberry.input(
    description="One return taken back at the counter; name its order by id or by number."
)
class PosReturnInput:
    client_return_id: UUID = strawberry.field(
        description="The id the terminal gave the return; a return sent again under it at "
        "the same store is recorded once."
    )
    occurred_at: datetime = strawberry.field(
        description="When the customer brought it back (with a UTC offset); not in the "
        "future, nor before the order was placed."
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="The order, from any channel (or give orderNumber)."
    )
    order_number: str | None = strawberry.field(
        default=None, description="The order's number, e.g. SO-000042 (or give orderId)."
    )
    lines: list[PosReturnLineInput] = strawberry.field(
        description="What came back; a SKU may appear once per condition. Units of a SKU at "
        "most those that left the building, less those already back or being returned."
    )
    reason: str = strawberry.field(
        default="", description="Why, for every line (at most 500 characters)."
    )
    note: str | None = strawberry.field(
        default=None, description="The clerk's note, kept in the return's history."
    )


@strawberry.input(description="A batch of counter returns from one store.")
class SyncPosReturnsInput:
    returns: list[PosReturnInput] = strawberry.field(
        description=f"1 to {MAX_BATCH} returns, recorded in this order."
    )
    location_code: str | None = strawberry.field(
        default=None,
        description="The store they were taken back at. A POS terminal uses its own; staff "
        "bound to one location theirs; admins must name it.",
    )


@strawberry.type(description="What became of one counter return.")
class PosReturnResult:
    client_return_id: UUID = strawberry.field(description="The id the terminal gave it.")
    status: SyncStatus = strawberry.field(
        description="ACCEPTED (recorded now), DUPLICATE (recorded before) or REJECTED."
    )
    return_: Return | None = strawberry.field(
        name="return",
        description="The return recorded, now or before (REFUNDED: taken back, received at "
        "the store and paid back at once); null when rejected.",
    )
    error: UserError | None = strawberry.field(description="Why it was rejected; else null.")


@strawberry.type(description="Result of syncing counter returns.")
class SyncPosReturnsPayload:
    results: list[PosReturnResult] = strawberry.field(
        default_factory=list, description="One per return sent, in the order sent."
    )
    accepted: int = strawberry.field(default=0, description="Returns recorded now.")
    duplicates: int = strawberry.field(
        default=0, description="Returns recorded before; nothing changed."
    )
    rejected: int = strawberry.field(
        default=0, description="Returns refused; nothing recorded for them."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the whole batch was refused (nothing recorded); empty otherwise.",
    )


def _order_key(order_id: str | None, field: str) -> int | None:
    """The order a return names by id. Text that is no id refuses the batch (INVALID_INPUT
    on `field`); the id of no order rejects that return only, as an unknown order."""
    if order_id is None:
        return None
    key = key_behind(order_id, "Order", field)
    return NO_ORDER if key is None else key


def _command(input: SyncPosReturnsInput) -> SyncCounterReturns:
    return SyncCounterReturns(
        returns=tuple(
            CounterReturn(
                client_return_id=counter.client_return_id,
                occurred_at=counter.occurred_at,
                lines=tuple(
                    CounterLine(line.sku, line.quantity, line.condition) for line in counter.lines
                ),
                order_id=_order_key(counter.order_id, f"returns.{index}.orderId"),
                order_number=counter.order_number,
                reason=counter.reason,
                note=counter.note,
            )
            for index, counter in enumerate(input.returns)
        ),
        location_code=input.location_code,
    )


@strawberry.type
class PosReturnMutations:
    @strawberry.mutation(
        description="Record the returns a POS terminal took back at its store (POS; staff "
        "and admins name the store): each of an order from any channel, received there and "
        "refunded at once, in one transaction. Safe to send again: each clientReturnId is "
        "recorded once."
    )
    async def sync_pos_returns(
        self, info: strawberry.Info, input: SyncPosReturnsInput
    ) -> SyncPosReturnsPayload:
        POS_SYNC_BATCH_SIZE.labels("syncPosReturns").observe(len(input.returns))
        return await run_mutation(
            info,
            SyncPosReturnsPayload,
            sync_pos_returns(info.context.payment_gateways),
            lambda: _command(input),
            _show,
        )


async def _show(context: Context, results: list[CounterReturnResult]) -> SyncPosReturnsPayload:
    """The verdicts, with each return as the caller may see it."""
    shown = await context.loaders.returns.by_id.load_many(
        [r.return_id for r in results if r.return_id is not None]
    )
    by_id = {rma.id: rma for rma in shown if rma is not None}
    counts = Counter(r.status for r in results)
    return SyncPosReturnsPayload(
        results=[
            PosReturnResult(
                client_return_id=r.client_return_id,
                status=r.status,
                return_=by_id.get(r.return_id) if r.return_id is not None else None,
                error=user_error(r.error) if r.error is not None else None,
            )
            for r in results
        ],
        accepted=counts[SyncStatus.ACCEPTED],
        duplicates=counts[SyncStatus.DUPLICATE],
        rejected=counts[SyncStatus.REJECTED],
    )
