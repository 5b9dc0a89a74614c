"""Returns with their lines and history, saved as one aggregate.

`get()` locks the return's row and reads its version (the history's length) with the lock
(see locking.py), so two clerks receiving one return take turns; `save()` writes only at
that version.
`of_order()` holds the order row until the transaction ends, so two returns of one order
cannot both claim its last returnable unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from domain.errors import Duplicate, InvalidTransition
from domain.events import DomainEvent
from domain.model.lifecycle import StatusChange
from domain.model.orders import paid_unit_price
from domain.model.returns import Return, ReturnLine, ReturnStatus
from persistence.mappers import from_cents, to_cents
from persistence.reads.documents import document_changes_by_ids
from persistence.records import (
    CustomerRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    ReturnLineRecord,
    ReturnRecord,
)
from persistence.repositories.documents import insert_status_changes
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import AnyRow, rows_matched

DOCUMENT = "return"
# The first key of the PostgreSQL advisory locks on counter returns' client ids.
CLIENT_RETURN_ID_LOCKS = 730_412_030


def return_number(return_id: int) -> str:
    return f"RT-{return_id:06d}"


class SqlReturnRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # How many history entries each loaded return had: save() inserts only the new
        # ones, and only if the stored return still has that many.
        self._stored_history: dict[int, int] = {}

    async def add(self, rma: Return) -> Return:
        record = ReturnRecord(
            order_id=rma.order_id,
            status=rma.status.value,
            version=len(rma.history),
            location_id=rma.location_id,
            currency=rma.currency,
            refund_cents=to_cents(rma.refund) if rma.refund else None,
            client_return_id=rma.client_return_id,
            created_at=rma.created_at,
            updated_at=rma.created_at,
        )
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            if rma.client_return_id is None:
                raise
            raise Duplicate(
                f"return {rma.client_return_id} was recorded meanwhile", field="clientReturnId"
            ) from error
        record.number = return_number(record.id)
        rma.id, rma.number = record.id, record.number
        line_records = [
            ReturnLineRecord(
                return_id=record.id,
                order_line_id=line.order_line_id,
                variant_id=line.variant_id,
                sku=line.sku,
                quantity=line.quantity,
                reason=line.reason,
                restocked=line.restocked,
                damaged=line.damaged,
            )
            for line in rma.lines
        ]
        self.session.add_all(line_records)
        await self.session.flush()
        for line, line_record in zip(rma.lines, line_records, strict=True):
            line.id = line_record.id
        await self._insert_history(rma, 0)
        return rma

    async def get(self, return_id: int) -> Return | None:
        version = await lock_for_change(self.session, ReturnRecord.version, return_id)
        if version is None:
            return None
        rma = (await self._load(ReturnRecord.id == return_id))[0]
        self._stored_history[return_id] = version
        return rma

    async def of_order(self, order_id: int) -> list[Return]:
        """The order's returns, with the order locked until the transaction ends: what is
        returned of it cannot change meanwhile."""
        await lock_for_change(self.session, OrderRecord.version, order_id)
        return await self._load(ReturnRecord.order_id == order_id)

    async def save(self, rma: Return) -> None:
        assert rma.id is not None
        stored = self._stored_history[rma.id]
        changed = await self.session.execute(
            update(ReturnRecord)
            .where(ReturnRecord.id == rma.id, ReturnRecord.version == stored)
            .values(
                status=rma.status.value,
                version=len(rma.history),
                location_id=rma.location_id,
                refund_cents=to_cents(rma.refund) if rma.refund else None,
                updated_at=datetime.now(UTC),
            )
        )
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"{rma.label} changed meanwhile, so it",
                rma.history[stored - 1].to_status,
                rma.status,
            )
        await self.session.execute(
            update(ReturnLineRecord),
            [
                {"id": line.id, "restocked": line.restocked, "damaged": line.damaged}
                for line in rma.lines
            ],
        )
        await self._insert_history(rma, stored)

    async def hold_client_ids(self, client_ids: Iterable[UUID]) -> None:
        # A PostgreSQL transaction lock per id, all taken in one order by one statement: two
        # batches naming the same new ids queue on the first instead of each inserting one
        # the other waits for. (On SQLite a write transaction holds the whole database.)
        if self.session.get_bind().dialect.name != "postgresql":
            return
        keys = sorted({client_id.int % 2**31 for client_id in client_ids})
        await self.session.execute(
            text(
                "SELECT pg_advisory_xact_lock(:space, key) "
                "FROM unnest(CAST(:keys AS integer[])) AS held(key)"
            ),
            {"space": CLIENT_RETURN_ID_LOCKS, "keys": keys},
        )

    async def ids_by_client_return_id(
        self, location_id: int, client_ids: Iterable[UUID]
    ) -> dict[UUID, int]:
        rows = await self.session.execute(
            select(ReturnRecord.client_return_id, ReturnRecord.id).where(
                ReturnRecord.location_id == location_id,
                ReturnRecord.client_return_id.in_(set(client_ids)),
            )
        )
        return {client_id: return_id for client_id, return_id in rows if client_id is not None}

    async def _insert_history(self, rma: Return, stored: int) -> None:
        assert rma.id is not None
        # Whoever works where the goods are received sees the return, and its events.
        received_at = {rma.location_code} if rma.location_code else set()
        await insert_status_changes(
            self.session,
            self.events,
            document=DOCUMENT,
            document_id=rma.id,
            changes=rma.history[stored:],
            stored=stored,
            location_codes=rma.order_location_codes | received_at,
            customer_email=rma.customer_email,
        )
        self._stored_history[rma.id] = len(rma.history)

    # -- loading -----------------------------------------------------------------------------
    async def _load(self, where: ColumnElement[bool]) -> list[Return]:
        """Returns matching `where`, oldest first, each with its lines, history, and who may
        see its order."""
        headers = (
            await self.session.execute(
                select(ReturnRecord, LocationRecord.code)
                .outerjoin(LocationRecord, LocationRecord.id == ReturnRecord.location_id)
                .where(where)
                .order_by(ReturnRecord.id)
            )
        ).all()
        if not headers:
            return []
        ids = [record.id for record, _ in headers]
        lines = await self._lines(ids)
        history: dict[int, list[StatusChange]] = defaultdict(list)
        for change in await document_changes_by_ids(self.session, DOCUMENT, ids):
            history[change.document_id].append(
                StatusChange(
                    ReturnStatus(change.from_status) if change.from_status else None,
                    ReturnStatus(change.to_status),
                    change.actor,
                    change.occurred_at,
                    change.note,
                )
            )
        orders = await self._orders({record.order_id for record, _ in headers})
        returns = []
        for record, location_code in headers:
            number, customer_email, location_codes = orders[record.order_id]
            rma = Return(
                id=record.id,
                number=record.number,
                order_id=record.order_id,
                order_number=number,
                currency=record.currency,
                created_at=record.created_at,
                customer_email=customer_email,
                order_location_codes=location_codes,
                status=ReturnStatus(record.status),
                location_id=record.location_id,
                location_code=location_code,
                refund=from_cents(record.refund_cents, record.currency)
                if record.refund_cents is not None
                else None,
                client_return_id=record.client_return_id,
                lines=lines[record.id],
                history=history[record.id],
            )
            self._stored_history[record.id] = len(rma.history)
            returns.append(rma)
        return returns

    async def _lines(self, return_ids: Sequence[int]) -> dict[int, list[ReturnLine]]:
        rows = await self.session.execute(
            select(
                ReturnLineRecord,
                OrderLineRecord.net_cents + OrderLineRecord.tax_cents,
                OrderLineRecord.quantity,
                OrderRecord.currency,
            )
            .join(OrderLineRecord, OrderLineRecord.id == ReturnLineRecord.order_line_id)
            .join(OrderRecord, OrderRecord.id == OrderLineRecord.order_id)
            .where(ReturnLineRecord.return_id.in_(return_ids))
            .order_by(ReturnLineRecord.id)
        )
        lines: dict[int, list[ReturnLine]] = defaultdict(list)
        for line, line_total_cents, ordered, currency in rows:
            lines[line.return_id].append(
                ReturnLine(
                    id=line.id,
                    order_line_id=line.order_line_id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=paid_unit_price(from_cents(line_total_cents, currency), ordered),
                    reason=line.reason,
                    restocked=line.restocked,
                    damaged=line.damaged,
                )
            )
        return lines

    async def _orders(
        self, order_ids: set[int]
    ) -> dict[int, tuple[str | None, str | None, frozenset[str]]]:
        """Per order: its number, and who may see it (customer email, location codes)."""
        pickup = select(LocationRecord.code).where(
            LocationRecord.id == OrderRecord.pickup_location_id
        )
        headers: Sequence[AnyRow] = (
            await self.session.execute(
                select(
                    OrderRecord.id,
                    OrderRecord.number,
                    CustomerRecord.email,
                    pickup.scalar_subquery().label("pickup_code"),
                )
                .outerjoin(CustomerRecord, CustomerRecord.id == OrderRecord.customer_id)
                .where(OrderRecord.id.in_(order_ids))
            )
        ).all()
        allocated = await self.session.execute(
            select(OrderAllocationRecord.order_id, LocationRecord.code)
            .join(LocationRecord, LocationRecord.id == OrderAllocationRecord.location_id)
            .where(OrderAllocationRecord.order_id.in_(order_ids))
        )
        codes: dict[int, set[str]] = defaultdict(set)
        for order_id, code in allocated:
            codes[order_id].add(code)
        for row in headers:
            if row.pickup_code:
                codes[row.id].add(row.pickup_code)
        return {row.id: (row.number, row.email, frozenset(codes[row.id])) for row in headers}
