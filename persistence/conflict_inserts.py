"""INSERT … ON CONFLICT in the dialect of the database a session is bound to: SQLite and
PostgreSQL each have their own `insert` construct for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def conflict_insert(session: AsyncSession, record: Any) -> Any:
    """An INSERT into `record`'s table that takes `on_conflict_do_nothing`/`_do_update`."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(record)
