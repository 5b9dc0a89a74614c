"""Reads of a batch of rows by their keys, each statement built once.

A DataLoader's batch read is `SELECT … WHERE column IN (keys)`. Built on every call, the
statement cost more than running it on a warm connection: a comparison, a coercion and a
bound parameter per call, before SQLAlchemy's compiled cache is even asked. Built once with
an expanding parameter, a read only binds its keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.reads.pages import Rows
from persistence.sql_types import AnySelect

KEYS: BindParameter[Any] = bindparam("keys", expanding=True)  # the batch's keys, bound at each read


class KeyedRead:
    """`await read(session, keys)`: the rows of `statement`, whose filter names KEYS."""

    def __init__(self, statement: AnySelect) -> None:
        self.statement = statement

    async def __call__(self, session: AsyncSession, keys: Sequence[Any]) -> Rows:
        return (await session.execute(self.statement, {"keys": list(keys)})).all()
