"""The minor units migration rescales stored amounts of currencies without two decimals,
and writes stored phones in E.164, reading national numbers in OMNIORDER_PHONE_REGION."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from persistence.migrate import alembic_config
from tests.conftest import BACKENDS, Templates, empty_database
from tests.test_migrations import _run
from tests.test_wholesale_terms_migration import _migrate_to

BEFORE = "e1d4a0000002"
# (sku, price_cents as stored before, currency, price_cents after)
PRICES = [
    ("FAN", 150000, "JPY", 1500),  # 1500 JPY
    ("ODD", 150050, "JPY", 1501),  # 1500.50 JPY, never valid: rounded half up
    ("LAMP", 125, "BHD", 1250),  # 1.25 BHD
    ("TEE", 1990, "USD", 1990),  # 19.90 USD, already right
    ("OLD", 1990, "XYZ", 1990),  # a code ISO does not list: left as it was
]
# (phone as stored before, after)
PHONES = [
    ("02079460958", "+442079460958"),  # national, read under GB
    ("+442079460958", None),  # the same number as customer 1's: cleared, with a note
    ("+12025550143", "+12025550143"),  # already E.164
    ("123456", "123456"),  # no valid number: left as typed
]


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path, templates: Templates) -> Iterator[str]:
    with empty_database(request.param, templates, tmp_path) as url:
        yield url


def _add_prices_and_phones(connection) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    connection.execute(
        text(
            "INSERT INTO products (id, name, description, status, kind, created_at, updated_at) "
            "VALUES (1, 'Things', '', 'ACTIVE', 'GOODS', :now, :now)"
        ),
        {"now": now},
    )
    for index, (sku, cents, currency, _) in enumerate(PRICES, start=1):
        connection.execute(
            text(
                "INSERT INTO variants (id, product_id, sku, name, price_cents, currency, "
                "updated_at) VALUES (:id, 1, :sku, :sku, :cents, :currency, :now)"
            ),
            {"id": index, "sku": sku, "cents": cents, "currency": currency, "now": now},
        )
    for index, (phone, _) in enumerate(PHONES, start=1):
        connection.execute(
            text(
                "INSERT INTO customers (id, email, name, phone, created_at) "
                "VALUES (:id, :email, :name, :phone, :now)"
            ),
            {
                "id": index,
                "email": f"c{index}@example.com",
                "name": "C",
                "phone": phone,
                "now": now,
            },
        )


def _downgrade_to_before(connection) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, BEFORE)


def _prices(connection) -> list[int]:  # type: ignore[no-untyped-def]
    query = text("SELECT price_cents FROM variants ORDER BY id")
    return list(connection.execute(query).scalars())


def _phones_and_notes(connection):  # type: ignore[no-untyped-def]
    phones = connection.execute(text("SELECT phone FROM customers ORDER BY id")).scalars()
    notes = connection.execute(text("SELECT customer_id, note FROM customer_notes")).all()
    return list(phones), [tuple(note) for note in notes]


def test_amounts_become_minor_units_and_phones_e164(url, monkeypatch):
    asyncio.run(_run(url, _migrate_to(BEFORE)))
    asyncio.run(_run(url, _add_prices_and_phones))
    monkeypatch.setenv("OMNIORDER_PHONE_REGION", "gb")

    asyncio.run(_run(url, _migrate_to("head")))

    assert asyncio.run(_run(url, _prices)) == [after for *_, after in PRICES]
    phones, notes = asyncio.run(_run(url, _phones_and_notes))
    assert phones == [after for _, after in PHONES]
    assert notes == [
        (
            2,
            "Phone '+442079460958' was removed when phone numbers were written in E.164: "
            "customer 1 has the same number.",
        )
    ]


def test_the_downgrade_scales_the_amounts_back(url):
    asyncio.run(_run(url, _migrate_to(BEFORE)))
    asyncio.run(_run(url, _add_prices_and_phones))
    asyncio.run(_run(url, _migrate_to("head")))

    asyncio.run(_run(url, _downgrade_to_before))

    assert asyncio.run(_run(url, _prices)) == [150000, 150100, 125, 1990, 1990]
