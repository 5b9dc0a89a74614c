"""The structured addresses migration keeps every free-text address as the first line of
an address with no country, and its downgrade writes structured ones back as text."""

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from persistence.migrate import alembic_config
from tests.conftest import BACKENDS, Templates, empty_database
from tests.test_migrations import _run
from tests.test_wholesale_terms_migration import _migrate_to

BEFORE = "e1d4a0000012"
AFTER = "e1d4a0000015"
LEGACY = {
    "name": None,
    "company": None,
    "line1": "1 Main Street, Springfield",
    "line2": None,
    "city": None,
    "postal_code": None,
    "region": None,
    "country": None,
    "phone": None,
}


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path, templates: Templates) -> Iterator[str]:
    with empty_database(request.param, templates, tmp_path) as url:
        yield url


def _add_text_addresses(connection) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    connection.execute(
        text(
            "INSERT INTO customers (id, email, name, created_at, updated_at) "
            "VALUES (1, 'ada@example.com', 'Ada', :now, :now)"
        ),
        {"now": now},
    )
    connection.execute(
        text(
            "INSERT INTO customer_addresses (id, customer_id, label, address, created_at) "
            "VALUES (1, 1, 'Home', '1 Main Street, Springfield', :now)"
        ),
        {"now": now},
    )
    for order_id, address in ((1, "1 Main Street, Springfield"), (2, None)):
        connection.execute(
            text(
                "INSERT INTO orders (id, number, channel, fulfilment, status, currency, "
                "total_cents, customer_id, shipping_address, created_at, updated_at) VALUES "
                "(:id, :number, 'WEB', 'SHIPPING', 'PENDING', 'USD', 100, 1, :address, "
                ":now, :now)"
            ),
            {"id": order_id, "number": f"SO-{order_id}", "address": address, "now": now},
        )


def _addresses(connection):  # type: ignore[no-untyped-def]
    orders = connection.execute(text("SELECT shipping_address FROM orders ORDER BY id"))
    customers = connection.execute(text("SELECT address FROM customer_addresses ORDER BY id"))
    return [_parsed(value) for value in orders.scalars()], [
        _parsed(value) for value in customers.scalars()
    ]


def _parsed(value):  # type: ignore[no-untyped-def]
    """A JSON column's value: text on SQLite, a document on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) and value.startswith("{") else value


def _set_structured_address(connection) -> None:  # type: ignore[no-untyped-def]
    address = {**LEGACY, "line1": "10 Downing St", "city": "London", "country": "GB"}
    connection.execute(
        text("UPDATE customer_addresses SET address = :address WHERE id = 1"),
        {"address": json.dumps(address)},
    )


def _downgrade_to_before(connection) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, BEFORE)


def test_free_text_addresses_become_first_lines_without_a_country(url):
    # given
    asyncio.run(_run(url, _migrate_to(BEFORE)))
    asyncio.run(_run(url, _add_text_addresses))

    # when
    asyncio.run(_run(url, _migrate_to(AFTER)))

    # then
    orders, customers = asyncio.run(_run(url, _addresses))
    assert orders == [LEGACY, None]
    assert customers == [LEGACY]


def test_the_downgrade_writes_addresses_back_as_text(url):
    # given
    asyncio.run(_run(url, _migrate_to(BEFORE)))
    asyncio.run(_run(url, _add_text_addresses))
    asyncio.run(_run(url, _migrate_to(AFTER)))
    asyncio.run(_run(url, _set_structured_address))

    # when
    asyncio.run(_run(url, _downgrade_to_before))

    # then
    orders, customers = asyncio.run(_run(url, _addresses))
    assert orders == ["1 Main Street, Springfield", None]
    assert customers == ["10 Downing St, London, GB"]
