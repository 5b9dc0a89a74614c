"""How many SQL statements each page costs, with query plans on and off, at two page sizes.

The app runs in this process (`api.app.create_app` behind httpx's ASGI transport, as
tests/api/test_query_count.py does), over the benchmark's database; a
`before_cursor_execute` listener on its engines counts what reaches the driver (BEGIN and
PRAGMA left out, as the tests do). A connection page whose count grows with its size
issues a statement per row somewhere (an N+1).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event

from api.app import create_app
from api.settings import Settings
from bench.load import bearer, graphql_data
from bench.query_plan_pages import SMALL_PAGE_SIZE, Page
from domain.access import Principal, Role
from persistence.database import Database

MODES = ("off", "on")


@dataclass(frozen=True)
class StatementCount:
    page: str
    mode: str
    small: int | None  # at SMALL_PAGE_SIZE; None for a page that is not a connection
    full: int  # at the page's own size

    @property
    def constant(self) -> bool:
        return self.small is None or self.small == self.full


@contextlib.contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    engines = [engine.sync_engine for engine in database.engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


async def count_statements(
    url: str, secret: str, pages: Sequence[Page], product_ids: Sequence[str]
) -> list[StatementCount]:
    counts = []
    for mode in MODES:
        database = Database(url)
        app = create_app(
            Settings(database_url=url, secret=secret, query_plans=mode), database=database
        )
        token = app.state.tokens.issue(Principal(Role.ADMIN, "bench"))
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                for page in pages:
                    headers = {} if page.anonymous else bearer(token)
                    request = _Request(http, database, headers, page, product_ids)
                    await request.statements(None)  # caches filled, as on a running server
                    small = await request.statements(SMALL_PAGE_SIZE) if page.first else None
                    full = await request.statements(None)
                    counts.append(StatementCount(page.name, mode, small, full))
        finally:
            await database.dispose()
    return counts


@dataclass(frozen=True)
class _Request:
    http: httpx.AsyncClient
    database: Database
    headers: dict[str, str]
    page: Page
    product_ids: Sequence[str]

    async def statements(self, first: int | None) -> int:
        """The statements one request of the page runs, at page size `first` (None: its own)."""
        body = self.page.bodies(self.product_ids, first)()
        with counting_statements(self.database) as statements:
            response = await self.http.post("/graphql", json=body, headers=self.headers)
        _, problem = graphql_data(response)
        if problem:
            raise SystemExit(f"counting statements of {self.page.name}: {problem}")
        return len(statements)
