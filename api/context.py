"""The per-request context: who is calling, their loaders, and how to start a transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.loaders import Loaders
from domain.access import Principal
from persistence.database import Database
from persistence.uow import SqlUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    principal: Principal
    database: Database
    request: Any = None
    response: Any = None
    clock: Callable[[], datetime] = utc_now
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.database, self.principal)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database.write_sessions)

    def now(self) -> datetime:
        return self.clock()
