"""The wholesale terms migration writes stored phones the one normalised way before it
makes them unique: what it cannot keep it clears, and says so in a service note."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from persistence.migrate import alembic_config
from tests.conftest import BACKENDS, Templates, _admin, _asyncpg_url
from tests.test_migrations import _run

BEFORE = "c5a1e0000004"
PHONES = [
    "+44 (20) 7946-0958",  # normalised
    "+44.20.7946.0958",  # the same number: cleared
    "ask reception",  # not a number: cleared
    "5550100199",  # already normalised: kept
    None,
]


def _migrate_to(revision: str):  # type: ignore[no-untyped-def]
    def step(connection) -> None:  # type: ignore[no-untyped-def]
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    return step


def _add_customers(connection) -> None:  # type: ignore[no-untyped-def]
    for index, phone in enumerate(PHONES, start=1):
        connection.execute(
            text(
                "INSERT INTO customers (id, email, name, phone, created_at) "
                "VALUES (:id, :email, :name, :phone, :at)"
            ),
            {
                "id": index,
                "email": f"c{index}@example.com",
                "name": f"C{index}",
                "phone": phone,
                "at": datetime.now(UTC),
            },
        )


def _phones_and_notes(connection):  # type: ignore[no-untyped-def]
    phones = connection.execute(text("SELECT phone FROM customers ORDER BY id")).scalars().all()
    notes = connection.execute(
        text("SELECT customer_id, note FROM customer_notes ORDER BY customer_id")
    ).all()
    return list(phones), [tuple(note) for note in notes]


@pytest.mark.parametrize("backend", BACKENDS)
def test_stored_phones_are_normalised_and_clashes_cleared_with_a_note(
    backend, tmp_path, templates: Templates
):
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'phones.db'}"
    else:
        templates.postgres()  # skips, or fails under CI, without PostgreSQL
        name = f"omniorder_phones_{uuid.uuid4().hex[:8]}"
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        url = _asyncpg_url(name)
    try:
        asyncio.run(_run(url, _migrate_to(BEFORE)))
        asyncio.run(_run(url, _add_customers))

        asyncio.run(_run(url, _migrate_to("head")))

        phones, notes = asyncio.run(_run(url, _phones_and_notes))
        assert phones == ["+442079460958", None, None, "5550100199", None]
        assert notes == [
            (
                2,
                "Phone '+44.20.7946.0958' was removed when phone numbers became unique: "
                "customer 1 has the same number.",
            ),
            (
                3,
                "Phone 'ask reception' was removed when phone numbers became unique: "
                "it is not a phone number.",
            ),
        ]
    finally:
        if backend == "postgresql":
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
