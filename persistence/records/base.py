"""Declarative base with the constraint naming convention, and shared column types."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(record: type[Base]) -> Table:
    """The table a record class maps, for Core statements (no ORM work per row).
    SQLAlchemy types `__table__` as any FromClause, since a class may map a join; ours
    map tables."""
    table = record.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{record.__name__} maps {table!r}, not a table")
    return table


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite, which keeps no zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def write_time() -> datetime:
    """This server's clock when a row is written (`updated_at` columns)."""
    return datetime.now(UTC)


def updated_at_column() -> Mapped[datetime]:
    """When the row last changed: set by every INSERT and UPDATE made through SQLAlchemy
    that does not set it itself (an upsert's ON CONFLICT UPDATE must set it), and indexed
    for the lists' `updatedSince` filters, which an external system syncs by."""
    return mapped_column(UtcDateTime, default=write_time, onupdate=write_time, index=True)


# A JSON document: JSONB on PostgreSQL (its json has no equality, which DISTINCT needs),
# JSON text on SQLite.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")
