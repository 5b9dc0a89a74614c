"""Fixtures shared by every test: databases on SQLite and PostgreSQL, the app, a client.

Each test gets a database of its own, copied from a template migrated once per session:
a file copy on SQLite, `CREATE DATABASE … TEMPLATE …` on PostgreSQL. Without a reachable
PostgreSQL its tests are skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from persistence.database import Database
from persistence.migrate import upgrade_to_head

POSTGRES_ADMIN_DSN = os.environ.get(
    "OMNIORDER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgresql"]


def _asyncpg_url(database: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{database}"


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await upgrade_to_head(database.write_engine)
    finally:
        await database.dispose()


class Templates:
    """Migrated template databases, made at most once per test session."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None
        self._postgres_error: str | None = None

    def sqlite(self) -> Path:
        if self._sqlite is None:
            path = self.directory / "template.db"
            asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
            self._sqlite = path
        return self._sqlite

    def postgres(self) -> str:
        if self._postgres is None and self._postgres_error is None:
            name = f"omniorder_template_{uuid.uuid4().hex[:8]}"
            try:
                asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            except (OSError, asyncpg.PostgresError) as error:
                self._postgres_error = f"PostgreSQL unreachable at {POSTGRES_ADMIN_DSN}: {error}"
            else:
                asyncio.run(_migrate(_asyncpg_url(name)))
                self._postgres = name
        if self._postgres is None:
            if IN_CI:
                pytest.fail(self._postgres_error or "PostgreSQL unavailable")
            pytest.skip(self._postgres_error or "PostgreSQL unavailable")
        return self._postgres

    def drop(self) -> None:
        if self._postgres is not None:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{self._postgres}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@contextlib.contextmanager
def fresh_database(backend: str, templates: Templates, directory: Path) -> Iterator[str]:
    """The URL of a new, migrated, empty database, dropped afterwards. Call it outside a
    running event loop (fixtures and sync tests)."""
    if backend == "sqlite":
        path = directory / f"omniorder-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(templates.sqlite(), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    with _postgres_database("omniorder_test", template=templates.postgres()) as url:
        yield url


@contextlib.contextmanager
def empty_database(backend: str, templates: Templates, directory: Path) -> Iterator[str]:
    """The URL of a new database with no tables at all (not migrated), dropped afterwards;
    on SQLite, a file not created yet."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / f'empty-{uuid.uuid4().hex[:8]}.db'}"
        return
    templates.postgres()  # skips, or fails under CI, without PostgreSQL
    with _postgres_database("omniorder_empty") as url:
        yield url


@contextlib.contextmanager
def _postgres_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (a copy of `template`, or empty), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    asyncio.run(_admin(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield _asyncpg_url(name)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, templates: Templates, tmp_path: Path
) -> Iterator[str]:
    """A fresh, migrated, empty database on each back-end."""
    with fresh_database(request.param, templates, tmp_path) as url:
        yield url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


# What a skip was for: the first service named in its reason.
MISSING_SERVICES = {
    "PostgreSQL": "PostgreSQL",
    "redis-server": "Redis",
    "node": "Node.js and the npm clients (`npm ci --prefix tests/clients`)",
    "chromium": "Chromium",
}


def _missing_service(reason: str) -> str:
    return next((what for key, what in MISSING_SERVICES.items() if key in reason), reason)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly which groups of tests did not run for want of a service, so that a green
    local run is not mistaken for a full one (under CI=true these are failures instead)."""
    skipped: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report)
        service = _missing_service(reason.removeprefix("Skipped: "))
        skipped[service] = skipped.get(service, 0) + 1
    if not skipped:
        return
    terminalreporter.section("NOT EVERYTHING RAN", sep="!", red=True, bold=True)
    for service, count in sorted(skipped.items(), key=lambda item: -item[1]):
        tests = "test" if count == 1 else "tests"
        terminalreporter.write_line(f"{count:>5} {tests} skipped: {service} missing", red=True)
    terminalreporter.write_line("Start what is missing (see README) and run `make test` again.")
