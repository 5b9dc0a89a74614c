"""POS terminals and the sales they synced, with their payments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate
from domain.model.pos import CounterSale, PosTerminal
from persistence.mappers import to_cents
from persistence.records import (
    LocationRecord,
    PosPaymentRecord,
    PosSaleRecord,
    PosTerminalRecord,
)

TERMINAL = PosTerminalRecord


class SqlPosRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_terminal(self, terminal: PosTerminal) -> PosTerminal:
        try:
            terminal.id = await self.session.scalar(
                insert(TERMINAL)
                .values(
                    name=terminal.name,
                    location_id=terminal.location_id,
                    registered_at=terminal.registered_at,
                    last_synced_at=terminal.last_synced_at,
                )
                .returning(TERMINAL.id)
            )
        except IntegrityError as error:
            raise Duplicate(
                f"{terminal.location_code} already has a terminal named {terminal.name!r}",
                field="name",
            ) from error
        return terminal

    async def terminal(self, terminal_id: int) -> PosTerminal | None:
        """The terminal, held until the transaction ends: one terminal syncs one batch at
        a time, so a batch sent again while the first is still being written waits for it
        and then finds its sales recorded."""
        row = (
            await self.session.execute(
                select(TERMINAL, LocationRecord.code)
                .join(LocationRecord, LocationRecord.id == TERMINAL.location_id)
                .where(TERMINAL.id == terminal_id)
                .with_for_update(of=TERMINAL)
            )
        ).first()
        if row is None:
            return None
        record, code = row
        return PosTerminal(
            id=record.id,
            name=record.name,
            location_id=record.location_id,
            location_code=code,
            registered_at=record.registered_at,
            last_synced_at=record.last_synced_at,
            deactivated_at=record.deactivated_at,
        )

    async def recorded_sales(
        self, location_id: int, client_sale_ids: Iterable[UUID]
    ) -> dict[UUID, int]:
        rows = await self.session.execute(
            select(PosSaleRecord.client_sale_id, PosSaleRecord.order_id).where(
                PosSaleRecord.location_id == location_id,
                PosSaleRecord.client_sale_id.in_(list(client_sale_ids)),
            )
        )
        return {client_sale_id: order_id for client_sale_id, order_id in rows}

    async def add_sales(
        self, terminal: PosTerminal, sales: Sequence[CounterSale], synced_at: datetime
    ) -> None:
        """Record the orders just added as the terminal's sales, with their payments.

        Rows go in in client-sale-id order, so two transactions recording overlapping
        batches wait for each other in the same order rather than deadlock; the loser gets
        Duplicate once the winner commits.
        """
        if not sales:
            return
        try:
            await self.session.execute(
                insert(PosSaleRecord),
                [
                    {
                        "client_sale_id": sale.client_sale_id,
                        "location_id": terminal.location_id,
                        "terminal_id": terminal.id,
                        "order_id": sale.order.id,
                        "occurred_at": sale.order.created_at,
                        "synced_at": synced_at,
                    }
                    for sale in sorted(sales, key=lambda sale: sale.client_sale_id)
                ],
            )
        except IntegrityError as error:
            raise Duplicate(
                "another sync recorded some of these sales meanwhile", field="clientSaleId"
            ) from error
        payments = [
            {
                "order_id": sale.order.id,
                "method": payment.method.value,
                "amount_cents": to_cents(payment.amount),
            }
            for sale in sales
            for payment in sale.payments
        ]
        if payments:
            await self.session.execute(insert(PosPaymentRecord), payments)

    async def mark_synced(self, terminal_id: int, at: datetime) -> None:
        await self.session.execute(
            update(TERMINAL).where(TERMINAL.id == terminal_id).values(last_synced_at=at)
        )

    async def deactivate(self, terminal_id: int, at: datetime) -> bool:
        deactivated = await self.session.execute(
            update(TERMINAL)
            .where(TERMINAL.id == terminal_id, TERMINAL.deactivated_at.is_(None))
            .values(deactivated_at=at)
            .returning(TERMINAL.id)
        )
        return deactivated.first() is not None
