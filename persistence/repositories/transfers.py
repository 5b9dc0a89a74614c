"""Transfers with their lines and history, saved as one aggregate.

`get()` locks the transfer's row and reads its version (the history's length) with the
lock (see locking.py), so two clerks shipping one transfer take turns: the second sees it
shipped. `save()` still writes only at that version.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.errors import InvalidTransition
from domain.events import DomainEvent
from domain.model.lifecycle import StatusChange
from domain.model.transfers import Transfer, TransferLine, TransferStatus
from persistence.records import LocationRecord, TransferLineRecord, TransferRecord
from persistence.repositories.documents import insert_status_changes, load_status_changes
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import rows_matched

DOCUMENT = "transfer"
ORIGIN = aliased(LocationRecord, name="origin")
DESTINATION = aliased(LocationRecord, name="destination")


def transfer_number(transfer_id: int) -> str:
    return f"TR-{transfer_id:06d}"


class SqlTransferRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # How many history entries each loaded transfer had: save() inserts only the new
        # ones, and only if the stored transfer still has that many.
        self._stored_history: dict[int, int] = {}

    async def add(self, transfer: Transfer) -> Transfer:
        record = TransferRecord(
            from_location_id=transfer.from_location_id,
            to_location_id=transfer.to_location_id,
            status=transfer.status.value,
            version=len(transfer.history),
            carrier=transfer.carrier,
            tracking_number=transfer.tracking_number,
            created_at=transfer.created_at,
            updated_at=transfer.created_at,
        )
        self.session.add(record)
        await self.session.flush()
        record.number = transfer_number(record.id)
        transfer.id, transfer.number = record.id, record.number
        line_records = [
            TransferLineRecord(
                transfer_id=record.id,
                variant_id=line.variant_id,
                sku=line.sku,
                quantity=line.quantity,
                received=line.received,
                lost=line.lost,
            )
            for line in transfer.lines
        ]
        self.session.add_all(line_records)
        await self.session.flush()
        for line, line_record in zip(transfer.lines, line_records, strict=True):
            line.id = line_record.id
        await self._insert_history(transfer, 0)
        return transfer

    async def get(self, transfer_id: int) -> Transfer | None:
        version = await lock_for_change(self.session, TransferRecord.version, transfer_id)
        if version is None:
            return None
        row = (
            await self.session.execute(
                select(TransferRecord, ORIGIN.code, DESTINATION.code)
                .join(ORIGIN, ORIGIN.id == TransferRecord.from_location_id)
                .join(DESTINATION, DESTINATION.id == TransferRecord.to_location_id)
                .where(TransferRecord.id == transfer_id)
            )
        ).first()
        if row is None:
            return None
        record, origin, destination = row
        lines = await self.session.scalars(
            select(TransferLineRecord)
            .where(TransferLineRecord.transfer_id == record.id)
            .order_by(TransferLineRecord.id)
        )
        history = await load_status_changes(self.session, DOCUMENT, record.id)
        transfer = Transfer(
            id=record.id,
            number=record.number,
            from_location_id=record.from_location_id,
            from_location_code=origin,
            to_location_id=record.to_location_id,
            to_location_code=destination,
            status=TransferStatus(record.status),
            carrier=record.carrier,
            tracking_number=record.tracking_number,
            created_at=record.created_at,
            lines=[
                TransferLine(
                    id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    received=line.received,
                    lost=line.lost,
                )
                for line in lines
            ],
            history=[
                StatusChange(
                    TransferStatus(change.from_status) if change.from_status else None,
                    TransferStatus(change.to_status),
                    change.actor,
                    change.occurred_at,
                    change.note,
                )
                for change in history
            ],
        )
        self._stored_history[record.id] = version
        return transfer

    async def save(self, transfer: Transfer) -> None:
        assert transfer.id is not None
        stored = self._stored_history[transfer.id]
        changed = await self.session.execute(
            update(TransferRecord)
            .where(TransferRecord.id == transfer.id, TransferRecord.version == stored)
            .values(
                status=transfer.status.value,
                version=len(transfer.history),
                carrier=transfer.carrier,
                tracking_number=transfer.tracking_number,
                updated_at=datetime.now(UTC),
            )
        )
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"transfer {transfer.number} changed meanwhile, so it",
                transfer.history[stored - 1].to_status,
                transfer.status,
            )
        await self.session.execute(
            update(TransferLineRecord),
            [
                {"id": line.id, "received": line.received, "lost": line.lost}
                for line in transfer.lines
            ],
        )
        await self._insert_history(transfer, stored)

    async def _insert_history(self, transfer: Transfer, stored: int) -> None:
        assert transfer.id is not None
        await insert_status_changes(
            self.session,
            self.events,
            document=DOCUMENT,
            document_id=transfer.id,
            changes=transfer.history[stored:],
            stored=stored,
            location_codes=transfer.location_codes,
        )
        self._stored_history[transfer.id] = len(transfer.history)
