"""Stock counts with their lines and history, saved as one aggregate.

`stock_counts` has no version column: a count changes status once (OPEN → SUBMITTED), so
its stored status is its version. `get()` locks the count's row (see locking.py), so a
second submission waits and then finds it SUBMITTED; `save()` updates the row only while it
still has the status it was loaded with.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidTransition
from domain.events import DomainEvent
from domain.model.counts import (
    DOCUMENT,
    Snapshot,
    StockCount,
    StockCountLine,
    StockCountStatus,
)
from domain.model.identity import id_of
from domain.model.lifecycle import StatusChange
from persistence.records import (
    LocationRecord,
    StockCountLineRecord,
    StockCountRecord,
    StockLevelRecord,
    VariantRecord,
)
from persistence.repositories.documents import insert_status_changes, load_status_changes
from persistence.repositories.locking import lock_for_change
from persistence.sql_types import rows_matched

COUNT = StockCountRecord
LINE = StockCountLineRecord


class SqlStockCountRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
        # The status and history length each count had when loaded: save() writes only the
        # new history entries, and only if the stored count is still as it was.
        self._stored: dict[int, tuple[StockCountStatus, int]] = {}

    async def snapshot(self, location_id: int, variant_ids: Sequence[int] | None) -> list[Snapshot]:
        query = (
            select(StockLevelRecord.variant_id, VariantRecord.sku, StockLevelRecord.on_hand)
            .join(VariantRecord, VariantRecord.id == StockLevelRecord.variant_id)
            .where(StockLevelRecord.location_id == location_id)
        )
        if variant_ids is None:
            rows = (await self.session.execute(query.order_by(VariantRecord.sku))).all()
            return [Snapshot(*row) for row in rows]
        query = query.where(StockLevelRecord.variant_id.in_(list(variant_ids)))
        found = {row.variant_id: Snapshot(*row) for row in await self.session.execute(query)}
        return [found[variant_id] for variant_id in variant_ids if variant_id in found]

    async def add(self, count: StockCount) -> StockCount:
        record = COUNT(
            location_id=count.location_id,
            status=count.status.value,
            started_by=count.started_by,
            started_at=count.started_at,
        )
        self.session.add(record)
        await self.session.flush()
        count.id = record.id
        line_records = [
            LINE(
                count_id=record.id,
                variant_id=line.variant_id,
                sku=line.sku,
                expected=line.expected,
                counted=line.counted,
            )
            for line in count.lines
        ]
        self.session.add_all(line_records)
        await self.session.flush()
        for line, line_record in zip(count.lines, line_records, strict=True):
            line.id = line_record.id
        await self._insert_history(count, 0)
        return count

    async def get(self, count_id: int) -> StockCount | None:
        if await lock_for_change(self.session, COUNT.status, count_id) is None:
            return None
        row = (
            await self.session.execute(
                select(COUNT, LocationRecord.code)
                .join(LocationRecord, LocationRecord.id == COUNT.location_id)
                .where(COUNT.id == count_id)
            )
        ).first()
        if row is None:
            return None
        record, location_code = row
        lines = await self.session.scalars(
            select(LINE).where(LINE.count_id == count_id).order_by(LINE.id)
        )
        history = await load_status_changes(self.session, DOCUMENT, count_id)
        count = StockCount(
            id=record.id,
            location_id=record.location_id,
            location_code=location_code,
            status=StockCountStatus(record.status),
            started_by=record.started_by,
            started_at=record.started_at,
            submitted_by=record.submitted_by,
            submitted_at=record.submitted_at,
            lines=[
                StockCountLine(
                    id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    expected=line.expected,
                    counted=line.counted,
                )
                for line in lines
            ],
            history=[
                StatusChange(
                    StockCountStatus(change.from_status) if change.from_status else None,
                    StockCountStatus(change.to_status),
                    change.actor,
                    change.occurred_at,
                    change.note,
                )
                for change in history
            ],
        )
        self._stored[id_of(count)] = (count.status, len(count.history))
        return count

    async def save(self, count: StockCount) -> None:
        assert count.id is not None
        stored_status, stored_history = self._stored[count.id]
        changed = await self.session.execute(
            update(COUNT)
            .where(COUNT.id == count.id, COUNT.status == stored_status.value)
            .values(
                status=count.status.value,
                submitted_by=count.submitted_by,
                submitted_at=count.submitted_at,
            )
            .execution_options(synchronize_session=False)
        )
        if rows_matched(changed) != 1:
            raise InvalidTransition(
                f"{count.label} changed meanwhile, so it", stored_status, count.status
            )
        counted = [{"id": line.id, "counted": line.counted} for line in count.lines]
        if counted:
            await self.session.execute(update(LINE), counted)
        await self._insert_history(count, stored_history)

    async def _insert_history(self, count: StockCount, stored: int) -> None:
        assert count.id is not None
        await insert_status_changes(
            self.session,
            self.events,
            document=DOCUMENT,
            document_id=count.id,
            changes=count.history[stored:],
            stored=stored,
            location_codes=[count.location_code],
        )
        self._stored[count.id] = (count.status, len(count.history))
