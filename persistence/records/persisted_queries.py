"""Documents an operator registered for the persisted-queries allow-list (docs/api.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class PersistedQueryRecord(Base):
    """One operation of an Apollo persisted query manifest: `id` is the SHA-256 of `body`
    (64 lowercase hex digits), the hash clients send instead of the document."""

    __tablename__ = "persisted_queries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    operation_type: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
