"""Use cases for transfers: creating one, and moving it through its lifecycle.

Who may do what: an ADMIN everything; STAFF and POS create a transfer if they work at its
origin or destination, request, ship and cancel it if they work at the origin, and receive
it if they work at the destination. A caller who may not see a transfer is told it does
not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.access import Principal
from domain.commands.transfers import (
    ChangeTransferStatus,
    CreateTransfer,
    ReceiveTransfer,
    ShipTransfer,
)
from domain.errors import InvalidInput, NotFound
from domain.model.catalog import normalise_sku
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import normalise_location_code
from domain.model.transfers import (
    ReceivedLine,
    Transfer,
    TransferLine,
    may_see,
    require_operator,
    validate_lines,
)
from domain.ports import UnitOfWork
from domain.usecases.backorders import apply_movements
from domain.usecases.catalog import known_variants


async def create_transfer(
    uow: UnitOfWork, principal: Principal, command: CreateTransfer, now: datetime
) -> Transfer:
    """A DRAFT transfer; nothing is reserved until it is requested."""
    require_operator(principal, "create transfers")
    origin = normalise_location_code(command.from_location_code, field="fromLocationCode")
    destination = normalise_location_code(command.to_location_code, field="toLocationCode")
    if origin == destination:
        raise InvalidInput(
            f"a transfer goes between two locations, not from {origin} to itself",
            field="toLocationCode",
        )
    principal.require(
        principal.works_at(origin) or principal.works_at(destination),
        f"create transfers between {origin} and {destination}",
    )
    skus = [
        normalise_sku(line.sku, field=f"lines.{index}.sku")
        for index, line in enumerate(command.lines)
    ]
    validate_lines(zip(skus, (line.quantity for line in command.lines), strict=True))
    async with uow:
        locations = await uow.locations.by_code([origin, destination])
        for code, field in ((origin, "fromLocationCode"), (destination, "toLocationCode")):
            if code not in locations:
                raise NotFound.of("location", code, field=field)
        variants = await known_variants(uow, skus, field="lines.{}.sku", goods_only=True)
        lines = [
            TransferLine(id_of(variants[sku]), sku, line.quantity)
            for sku, line in zip(skus, command.lines, strict=True)
        ]
        transfer = Transfer(
            from_location_id=id_of(locations[origin]),
            from_location_code=origin,
            to_location_id=id_of(locations[destination]),
            to_location_code=destination,
            lines=lines,
            created_at=now,
        )
        transfer.record_creation(principal.subject, now, command.note)
        transfer = await uow.transfers.add(transfer)
        await uow.commit()
    return transfer


Step = Callable[[UnitOfWork, Transfer], Awaitable[list[StockMovement]]]


async def _change_transfer(
    uow: UnitOfWork,
    principal: Principal,
    transfer_id: int,
    *,
    at_origin: bool,
    action: str,
    step: Step,
    now: datetime,
) -> Transfer:
    """Load a visible transfer, check the caller works where this step happens (the origin,
    or the destination), take the step, and write transfer and stock at once."""
    require_operator(principal, action)
    async with uow:
        transfer = await uow.transfers.get(transfer_id)
        if transfer is None or not may_see(principal, transfer.location_codes):
            raise NotFound.no_such("transfer", field="transferId")
        where = transfer.from_location_code if at_origin else transfer.to_location_code
        principal.require_works_at(where, action)
        movements = await step(uow, transfer)
        await uow.transfers.save(transfer)
        await apply_movements(uow, movements, principal.subject, now)
        await uow.commit()
    return transfer


async def request_transfer(
    uow: UnitOfWork, principal: Principal, command: ChangeTransferStatus, now: datetime
) -> Transfer:
    """DRAFT → REQUESTED: reserve every line at the origin, or nothing."""

    async def step(uow: UnitOfWork, transfer: Transfer) -> list[StockMovement]:
        levels = await uow.stock.levels(
            [line.variant_id for line in transfer.lines], [transfer.from_location_id]
        )
        return transfer.request(levels, principal.subject, now, command.note)

    return await _change_transfer(
        uow,
        principal,
        command.transfer_id,
        at_origin=True,
        action="request transfers",
        step=step,
        now=now,
    )


async def ship_transfer(
    uow: UnitOfWork, principal: Principal, command: ShipTransfer, now: datetime
) -> Transfer:
    """REQUESTED → IN_TRANSIT: the reserved units leave the origin."""

    async def step(uow: UnitOfWork, transfer: Transfer) -> list[StockMovement]:
        return transfer.ship(
            command.carrier, command.tracking_number, principal.subject, now, command.note
        )

    return await _change_transfer(
        uow,
        principal,
        command.transfer_id,
        at_origin=True,
        action="ship transfers",
        step=step,
        now=now,
    )


async def receive_transfer(
    uow: UnitOfWork, principal: Principal, command: ReceiveTransfer, now: datetime
) -> Transfer:
    """IN_TRANSIT → RECEIVED or PARTIALLY_RECEIVED, at the destination."""

    async def step(uow: UnitOfWork, transfer: Transfer) -> list[StockMovement]:
        received = [
            ReceivedLine(normalise_sku(line.sku, field=f"lines.{index}.sku"), line.quantity)
            for index, line in enumerate(command.lines)
        ]
        return transfer.receive(received, principal.subject, now, command.note)

    return await _change_transfer(
        uow,
        principal,
        command.transfer_id,
        at_origin=False,
        action="receive transfers",
        step=step,
        now=now,
    )


async def cancel_transfer(
    uow: UnitOfWork, principal: Principal, command: ChangeTransferStatus, now: datetime
) -> Transfer:
    """DRAFT or REQUESTED → CANCELLED, releasing what was reserved."""

    async def step(uow: UnitOfWork, transfer: Transfer) -> list[StockMovement]:
        return transfer.cancel(principal.subject, now, command.note)

    return await _change_transfer(
        uow,
        principal,
        command.transfer_id,
        at_origin=True,
        action="cancel transfers",
        step=step,
        now=now,
    )
