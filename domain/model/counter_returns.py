"""Counter returns: goods a POS terminal takes back over the counter, settled in one go.

A customer brings units of an order to a store — bought online, in the app, wholesale or
at any till — and the terminal takes them back there and then. The return is requested,
approved, received at the store and refunded at once, through the very steps of a return
handled in stages (domain/model/returns.py), so the same rules hold: no more units than
left the building less those already back or on their way back; each unit restocked or
held as damaged at the store; the refund is the units at the order's prices. A counter
pays back on the spot, so a counter return ends REFUNDED, its refund given back through the
order's captured payments as a till does (`counter_refund`).

Terminals sync their returns in batches, possibly long after the fact (a till that was
offline): `occurred_at` is when the customer stood at the counter, and the time the
return, its movements and the order's change are recorded at. It may not lie in the
future (beyond a little clock skew), nor before the order was placed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import AmountExceedsBalance, InvalidInput, NotFound
from domain.model.catalog import normalise_sku
from domain.model.inventory import StockMovement
from domain.model.orders import Order
from domain.model.payments import Payment, PaymentMethod, RefundShare, split_refund
from domain.model.returns import (
    MAX_LINES,
    MAX_REASON_LENGTH,
    ReceiptLine,
    Return,
    ReturnDisposition,
    ReturnRequest,
)
from domain.money import Money

MAX_CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of ours a terminal's clock may run
MAX_COUNTER_LINES = 2 * MAX_LINES  # a SKU may come back partly restocked, partly damaged
MAX_NOTE_LENGTH = MAX_REASON_LENGTH
REFUND_NOTE = "paid back at the counter"


@dataclass(frozen=True, slots=True)
class CounterLine:
    """`quantity` units of `sku` on the counter, in a `condition` to restock or not."""

    sku: str
    quantity: int
    condition: ReturnDisposition = ReturnDisposition.RESTOCK


def check_occurred_at(occurred_at: datetime, order: Order, now: datetime) -> None:
    """A counter return happened after its order was placed, and not in the future."""
    if occurred_at.tzinfo is None:
        raise InvalidInput("occurredAt needs a time zone (UTC offset)", field="occurredAt")
    if occurred_at > now + MAX_CLOCK_SKEW:
        raise InvalidInput(
            f"occurredAt {occurred_at.isoformat()} is in the future", field="occurredAt"
        )
    if occurred_at < order.created_at:
        raise InvalidInput(
            f"occurredAt {occurred_at.isoformat()} is before order "
            f"{order.number or order.id} was placed",
            field="occurredAt",
        )


def check_note(note: str | None) -> None:
    """The clerk's note on the receipt, kept in the return's history."""
    if note is not None and len(note.strip()) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"a note has at most {MAX_NOTE_LENGTH} characters", field="note")


def take_back(
    order: Order,
    lines: Sequence[CounterLine],
    others: Iterable[Return],
    *,
    location_id: int,
    location_code: str,
    reason: str,
    actor: str,
    at: datetime,
) -> Return:
    """A REQUESTED return of the units on the counter, to be received at this store.

    Lines of one SKU are asked back together (a SKU may come back partly damaged); an
    error about them points at the first line of that SKU."""
    if len(lines) > MAX_COUNTER_LINES:
        raise InvalidInput(f"a counter return has at most {MAX_COUNTER_LINES} lines", field="lines")
    reason = reason.strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(f"a reason has at most {MAX_REASON_LENGTH} characters", field="reason")
    ordered = {line.sku for line in order.lines}
    units: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for index, line in enumerate(lines):
        sku = normalise_sku(line.sku, field=f"lines.{index}.sku")
        if sku not in ordered:
            raise NotFound(
                f"order {order.number or order.id} has no line for SKU {sku}",
                field=f"lines.{index}.sku",
            )
        if line.quantity <= 0:
            raise InvalidInput("quantity must be positive", field=f"lines.{index}.quantity")
        first_line.setdefault(sku, index)
        units[sku] = units.get(sku, 0) + line.quantity
    requests = [ReturnRequest(sku, quantity, reason) for sku, quantity in units.items()]
    try:
        rma = Return.request(order, requests, others, actor, at)
    except InvalidInput as error:
        raise _pointing_at_input(error, list(first_line.values())) from None
    rma.location_id, rma.location_code = location_id, location_code
    return rma


def settle(
    rma: Return, lines: Sequence[CounterLine], actor: str, at: datetime, note: str | None
) -> list[StockMovement]:
    """Approve a return just taken back, receive it at its store and refund it: the
    movements that put its units back on the shelf or hold them as damaged there."""
    assert rma.location_id is not None and rma.location_code is not None, "take_back first"
    rma.approve(actor, at, f"taken back at the counter of {rma.location_code}")
    movements = rma.receive(
        rma.location_id,
        rma.location_code,
        [ReceiptLine(line.sku, line.quantity, line.condition) for line in lines],
        actor,
        at,
        note.strip() if note and note.strip() else None,
    )
    rma.mark_refunded(actor, at, REFUND_NOTE)
    return movements


def counter_refund(amount: Money, payments: Sequence[Payment]) -> list[RefundShare]:
    """Which payments a counter return gives `amount` back through, as a till does: to the
    tender that paid. Card and other non-cash tenders first (largest refundable first), cash
    last, so cash goes out only for what came in as cash: paying out in cash what came by
    card is how refund fraud turns a stolen card into money. Nothing for an order that never
    had money captured (paid outside the ledger: nothing to give back through it); else
    never more than was captured and not refunded (AmountExceedsBalance)."""
    if not amount.amount or not any(p.captured.amount for p in payments):
        return []
    non_cash = [p for p in payments if p.method is not PaymentMethod.CASH]
    cash = [p for p in payments if p.method is PaymentMethod.CASH]
    refundable = sum((p.refundable.amount for p in payments), start=amount.amount * 0)
    if amount.amount > refundable:
        raise AmountExceedsBalance(
            f"the order has {refundable} {amount.currency} captured and not refunded; "
            f"{amount.amount} to give back",
            field="lines",  # what the lines are worth is the amount
        )
    shares: list[RefundShare] = []
    left = amount
    for group in (non_cash, cash):
        given = min(left.amount, sum((p.refundable.amount for p in group), start=left.amount * 0))
        if given:
            shares.extend(split_refund(Money(given, amount.currency), group))
            left = left - Money(given, amount.currency)
    return shares


def _pointing_at_input(error: InvalidInput, first_line: list[int]) -> InvalidInput:
    """The error of a request built from merged lines, pointed at the counter's own line:
    `lines.<merged>.x` becomes `lines.<first counter line of that SKU>.x`."""
    parts = (error.field or "").split(".")
    if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
        parts[1] = str(first_line[int(parts[1])])
    return InvalidInput(error.message, field=".".join(parts) if error.field else None)
