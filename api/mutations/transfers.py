"""Mutations that create transfers and move them through their lifecycle."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.transfers import Transfer as TransferType
from domain.commands.transfers import (
    ChangeTransferStatus,
    CreateTransfer,
    ReceiveTransfer,
    ShipTransfer,
    TransferLineRequest,
)
from domain.model.transfers import ReceivedLine, Transfer
from domain.usecases import transfers


@strawberry.type(description="Result of a mutation on a transfer.")
class TransferPayload:
    transfer: TransferType | None = strawberry.field(
        default=None, description="The transfer, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="Units of one SKU.")
class TransferLineInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Units.")


@strawberry.input(description="A new transfer, created as a DRAFT.")
class CreateTransferInput:
    from_location_code: str = strawberry.field(description="Where the stock comes from.")
    to_location_code: str = strawberry.field(description="Where it goes; not the origin.")
    lines: list[TransferLineInput] = strawberry.field(
        description="What to send: SKUs unique, quantities at least 1."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Move a transfer one step in its lifecycle.")
class TransferStatusInput:
    transfer_id: strawberry.ID = strawberry.field(description="The transfer.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Hand a requested transfer to a carrier.")
class ShipTransferInput:
    transfer_id: strawberry.ID = strawberry.field(description="The transfer.")
    carrier: str = strawberry.field(description="Carrier name.")
    tracking_number: str = strawberry.field(description="The carrier's tracking number.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="What arrived of a transfer in transit.")
class ReceiveTransferInput:
    transfer_id: strawberry.ID = strawberry.field(description="The transfer.")
    lines: list[TransferLineInput] = strawberry.field(
        description="Units that arrived per SKU, at most what was shipped; a line left out "
        "arrived with none."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


def _transfer_id(input: TransferStatusInput | ShipTransferInput | ReceiveTransferInput) -> int:
    return key_of(input.transfer_id, "Transfer", "transferId")


async def _show(context: Context, transfer: Transfer) -> TransferPayload:
    return TransferPayload(transfer=await reload(context.loaders.transfers.transfer, transfer.id))


@strawberry.type
class TransferMutations:
    @strawberry.mutation(
        description="Create a DRAFT transfer (ADMIN; STAFF or POS at its origin or destination)."
    )
    async def create_transfer(
        self, info: strawberry.Info, input: CreateTransferInput
    ) -> TransferPayload:
        return await run_mutation(
            info,
            TransferPayload,
            transfers.create_transfer,
            lambda: CreateTransfer(
                from_location_code=input.from_location_code,
                to_location_code=input.to_location_code,
                lines=tuple(TransferLineRequest(line.sku, line.quantity) for line in input.lines),
                note=input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="DRAFT → REQUESTED: reserve every line at the origin, all or nothing "
        "(ADMIN; STAFF or POS at the origin)."
    )
    async def request_transfer(
        self, info: strawberry.Info, input: TransferStatusInput
    ) -> TransferPayload:
        return await run_mutation(
            info,
            TransferPayload,
            transfers.request_transfer,
            lambda: ChangeTransferStatus(_transfer_id(input), input.note),
            _show,
        )

    @strawberry.mutation(
        description="REQUESTED → IN_TRANSIT: the reserved units leave the origin and are in "
        "transit to the destination (ADMIN; STAFF or POS at the origin)."
    )
    async def ship_transfer(
        self, info: strawberry.Info, input: ShipTransferInput
    ) -> TransferPayload:
        return await run_mutation(
            info,
            TransferPayload,
            transfers.ship_transfer,
            lambda: ShipTransfer(
                _transfer_id(input), input.carrier, input.tracking_number, input.note
            ),
            _show,
        )

    @strawberry.mutation(
        description="IN_TRANSIT → RECEIVED, or PARTIALLY_RECEIVED when units are missing: "
        "what arrived goes on hand at the destination, the rest is recorded as lost "
        "(ADMIN; STAFF or POS at the destination)."
    )
    async def receive_transfer(
        self, info: strawberry.Info, input: ReceiveTransferInput
    ) -> TransferPayload:
        return await run_mutation(
            info,
            TransferPayload,
            transfers.receive_transfer,
            lambda: ReceiveTransfer(
                _transfer_id(input),
                tuple(ReceivedLine(line.sku, line.quantity) for line in input.lines),
                input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="DRAFT or REQUESTED → CANCELLED; a reservation is released "
        "(ADMIN; STAFF or POS at the origin)."
    )
    async def cancel_transfer(
        self, info: strawberry.Info, input: TransferStatusInput
    ) -> TransferPayload:
        return await run_mutation(
            info,
            TransferPayload,
            transfers.cancel_transfer,
            lambda: ChangeTransferStatus(_transfer_id(input), input.note),
            _show,
        )
