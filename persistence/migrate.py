"""Apply the Alembic migrations to a database, from code (CLI, app start-up, tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 730_412_002  # PostgreSQL advisory lock: one migrator at a time


@dataclass(frozen=True, slots=True)
class Revision:
    """One migration: its Alembic revision id and the first line of its docstring."""

    id: str
    message: str


class UnknownRevision(Exception):
    """The database was migrated by a newer Omniorder, to a revision this one lacks."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"the database is at revision {revision}, which this omniorder does not know"
            " (a newer version migrated it) — run that newer version"
        )
        self.revision = revision


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def pending_revisions(connection: Connection) -> list[Revision]:
    """The migrations this database lacks, oldest first (run with `run_sync`)."""
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_heads()
    try:
        pending = list(script.iterate_revisions("heads", current or "base"))
    except ResolutionError:
        raise UnknownRevision(", ".join(current)) from None
    return [Revision(s.revision, s.doc) for s in reversed(pending)]


async def pending_migrations(engine: AsyncEngine) -> list[Revision]:
    async with engine.connect() as connection:
        return await connection.run_sync(pending_revisions)


async def upgrade_to_head(engine: AsyncEngine) -> list[Revision]:
    """Run every pending migration on this engine's database, in one transaction; the
    migrations it ran, oldest first."""

    def upgrade(connection: Connection) -> list[Revision]:
        pending = pending_revisions(connection)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        return pending

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Replicas starting together would otherwise race to create the same tables.
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        return await connection.run_sync(upgrade)
