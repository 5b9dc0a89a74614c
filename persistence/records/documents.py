"""Status history shared by the stock documents (transfers, returns): one numbered row per
change, the source of their status events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class DocumentStatusChangeRecord(Base):
    __tablename__ = "document_status_changes"
    __table_args__ = (
        UniqueConstraint("document_type", "document_id", "sequence"),
        Index("ix_document_status_changes_document", "document_type", "document_id"),
        # The returns received in a period (sales reports).
        Index("ix_document_status_changes_to_status_occurred_at", "to_status", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
