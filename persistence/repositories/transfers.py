"""Transfer repository."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import DomainEvent


class SqlTransferRepository:
    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self.session = session
        self.events = events
