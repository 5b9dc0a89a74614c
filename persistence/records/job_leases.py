"""Leases of scheduled jobs (persistence/job_leases.py): which process runs a job now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from persistence.records.base import Base, UtcDateTime


class JobLeaseRecord(Base):
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    leased_until: Mapped[datetime] = mapped_column(UtcDateTime)
