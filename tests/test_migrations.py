"""The migrations build the schema the code expects, and can be rolled back and forth."""

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from persistence.migrate import alembic_config, upgrade_to_head
from persistence.records import Base
from persistence.records.search import described_by_the_models
from tests.conftest import BACKENDS, Templates, empty_database


async def _run(url: str, step) -> object:  # type: ignore[no-untyped-def]
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(step)
    finally:
        await engine.dispose()


def _downgrade_to_base(connection) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


def _differences(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": described_by_the_models}
    )
    return compare_metadata(context, Base.metadata)


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_go_up_down_and_up_again_to_the_models(backend, tmp_path, templates: Templates):
    with empty_database(backend, templates, tmp_path) as url:
        engine = create_async_engine(url)
        asyncio.run(upgrade_to_head(engine))
        asyncio.run(engine.dispose())
        asyncio.run(_run(url, _downgrade_to_base))
        engine = create_async_engine(url)
        asyncio.run(upgrade_to_head(engine))
        asyncio.run(engine.dispose())
        assert asyncio.run(_run(url, _differences)) == []
