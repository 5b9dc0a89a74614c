"""The `omniorder` command: migrate, seed the demo, issue tokens, verify the stock ledger."""

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from api.auth import TokenService
from domain.access import Principal, Role
from domain.commands.accounts import DeactivatePosTerminal
from domain.commands.catalog import CreateLocation
from domain.commands.customers import CreateCustomer
from domain.commands.pos import RegisterPosTerminal
from domain.model.identity import id_of
from domain.model.locations import LocationKind
from domain.usecases import catalog, customers, pos_sales, sessions
from persistence.database import Database
from persistence.migrate import alembic_config
from persistence.uow import SqlUnitOfWork
from tests.conftest import BACKENDS, Templates, empty_database, fresh_database
from tests.test_cli_failures import refusal

SECRET = "cli-secret-of-at-least-32-characters"


def omniorder(*args: str, database: Path | str) -> subprocess.CompletedProcess[str]:
    """Run the command on a SQLite file (a path) or any database (a URL)."""
    url = database if isinstance(database, str) else f"sqlite+aiosqlite:///{database}"
    env = os.environ | {"DATABASE_URL": url, "OMNIORDER_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[1],
    )


@pytest.fixture(scope="module")
def demo_seeding(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A migrated database, and what `seed-demo` printed while loading the demo into it."""
    database = tmp_path_factory.mktemp("cli") / "demo.db"
    assert omniorder("migrate", database=database).returncode == 0
    seeded = omniorder("seed-demo", database=database)
    assert seeded.returncode == 0, seeded.stderr
    return database, seeded


@pytest.fixture(scope="module")
def demo_database(demo_seeding: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return demo_seeding[0]


@pytest.fixture(params=BACKENDS)
def unmigrated_database(
    request: pytest.FixtureRequest, templates: Templates, tmp_path: Path
) -> Iterator[str]:
    with empty_database(request.param, templates, tmp_path) as url:
        yield url


def test_migrate_lists_each_migration_it_applies_then_says_there_is_nothing_to_do(
    unmigrated_database,
):
    script = ScriptDirectory.from_config(alembic_config())
    oldest_first = list(reversed(list(script.walk_revisions())))
    head = script.get_current_head()

    first = omniorder("migrate", database=unmigrated_database)
    again = omniorder("migrate", database=unmigrated_database)

    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        *(f"applied {revision.revision}  {revision.doc}" for revision in oldest_first),
        f"database at {unmigrated_database} is now up to date at {head}",
    ]
    assert again.stdout.splitlines() == [
        f"database at {unmigrated_database} is already up to date at {head}"
    ]


def test_seed_demo_says_what_it_loads(demo_seeding):
    _database, seeded = demo_seeding

    assert seeded.stdout.splitlines() == [
        "loading 5 locations and the 4 channels they serve",
        "loading 3 customers and a trade customer group",
        "loading 20 products with 45 variants and their stock at 5 locations",
        "loading 2 suppliers and their prices, a gift box made from 3 components,"
        " and a service bookable at 2 stores",
        "loading 6 categories, sales tax in 4 states, shipping in the US and two promotions"
        " (voucher WELCOME10)",
        "demo data loaded",
    ]


def test_the_demo_data_loads_once_and_the_ledger_is_consistent(demo_database):
    again = omniorder("seed-demo", "--if-empty", database=demo_database)
    verified = omniorder("verify-stock", database=demo_database)
    assert "already has data" in again.stdout
    assert verified.returncode == 0, verified.stdout
    assert "0 stock levels disagree" in verified.stdout
    assert "0 reserved, in-transit or incoming quantities disagree" in verified.stdout
    with sqlite3.connect(demo_database) as db:
        counts = db.execute(
            "SELECT (SELECT COUNT(*) FROM locations), (SELECT COUNT(*) FROM products),"
            " (SELECT COUNT(*) FROM customers), (SELECT COUNT(*) FROM suppliers),"
            " (SELECT COUNT(*) FROM bom_components), (SELECT COUNT(*) FROM service_capacities)"
        ).fetchone()
    assert counts == (5, 23, 3, 2, 3, 2)


def test_the_demo_clothes_have_options_for_a_storefronts_picker_and_a_material(demo_database):
    with sqlite3.connect(demo_database) as db:
        tee_sizes = db.execute(
            "SELECT o.name, v.value FROM product_options o"
            " JOIN product_option_values v ON v.option_id = o.id"
            " JOIN products p ON p.id = o.product_id"
            " WHERE p.name = 'Organic cotton T-shirt' ORDER BY v.position"
        ).fetchall()
        counts = db.execute(
            "SELECT (SELECT COUNT(*) FROM product_options),"
            " (SELECT COUNT(*) FROM variant_option_combinations),"
            " (SELECT COUNT(*) FROM product_attribute_values)"
        ).fetchone()
    assert tee_sizes == [("Size", "S"), ("Size", "M"), ("Size", "L")]
    assert counts == (20, 45, 11)  # every variant of the 20 products has its value


def test_verify_stock_names_a_level_that_disagrees_with_its_movements(demo_database, tmp_path):
    broken = tmp_path / "broken.db"
    with sqlite3.connect(demo_database) as source, sqlite3.connect(broken) as target:
        source.backup(target)
        target.execute("UPDATE stock_levels SET on_hand = on_hand + 1 WHERE id = 1")
    result = omniorder("verify-stock", database=broken)
    assert result.returncode == 1
    assert "1 stock levels disagree" in result.stdout
    assert "TEE-S at" in result.stdout


def test_verify_stock_checks_incoming_units_against_the_ledger_too(demo_database, tmp_path):
    broken = tmp_path / "incoming.db"
    with sqlite3.connect(demo_database) as source, sqlite3.connect(broken) as target:
        source.backup(target)
        target.execute("UPDATE stock_levels SET incoming = 3 WHERE id = 1")
    result = omniorder("verify-stock", database=broken)
    assert result.returncode == 1
    assert "1 stock levels disagree" in result.stdout
    assert "incoming=3" in result.stdout
    assert "incoming=0" in result.stdout  # what the movements add up to


def test_verify_stock_names_a_service_slot_that_disagrees_with_its_bookings(
    demo_database, tmp_path
):
    broken = tmp_path / "slots.db"
    with sqlite3.connect(demo_database) as source, sqlite3.connect(broken) as target:
        source.backup(target)
        target.execute(
            "INSERT INTO service_slots (variant_id, location_id, slot_start, booked)"
            " SELECT variant_id, location_id, '2026-12-01 10:00:00.000000', 1"
            " FROM service_capacities LIMIT 1"
        )
    result = omniorder("verify-stock", database=broken)
    assert result.returncode == 1
    assert "0 stock levels disagree" in result.stdout
    assert "1 service slots disagree with their bookings" in result.stdout
    assert "MONOGRAM-TOTE at ST-" in result.stdout
    assert "2026-12-01 10:00 UTC counts 1 places taken; 0 bookings hold one" in result.stdout


def test_a_role_may_be_written_in_any_case(shop):
    printed = omniorder("token", "--role", "admin", database=shop)
    refused = omniorder("token", "--role", "boss", database=shop)

    assert issued(printed).role is Role.ADMIN
    assert refused.returncode == 2
    assert "'boss' is not a role — one of ADMIN, STAFF, POS, CUSTOMER, in any case" in (
        refused.stderr
    )


def test_version_prints_the_installed_package_version(tmp_path):
    printed = omniorder("--version", database=tmp_path / "x.db")

    assert printed.stdout == f"omniorder {version('omniorder')}\n"


@pytest.fixture(scope="module", params=BACKENDS)
def shop(request: pytest.FixtureRequest, templates: Templates, tmp_path_factory) -> Iterator[str]:
    """A migrated database with two stores, ST-MALL and ST-DOWNTOWN, the customer
    ada@example.com, POS terminal 1 at ST-MALL and terminal 2 there, deactivated; its URL."""
    directory = tmp_path_factory.mktemp("shop")
    with fresh_database(request.param, templates, directory) as url:
        asyncio.run(_stock_the_shop(url))
        yield url


async def _stock_the_shop(url: str) -> None:
    database = Database(url)
    admin = Principal.system("test")
    try:
        for code in ("ST-MALL", "ST-DOWNTOWN"):
            location = CreateLocation(code, code.title(), LocationKind.STORE)
            await catalog.create_location(SqlUnitOfWork(database), admin, location)
        customer = CreateCustomer("ada@example.com", "Ada Lovelace")
        await customers.create_customer(SqlUnitOfWork(database), admin, customer)
        till = RegisterPosTerminal("ST-MALL", "till 1")
        now = datetime.now(UTC)
        registered = await pos_sales.register_pos_terminal(
            SqlUnitOfWork(database), admin, till, now
        )
        assert registered.terminal.id == 1
        lost = await pos_sales.register_pos_terminal(
            SqlUnitOfWork(database), admin, RegisterPosTerminal("ST-MALL", "till 2"), now
        )
        deactivation = DeactivatePosTerminal(id_of(lost.terminal))
        await sessions.deactivate_pos_terminal(SqlUnitOfWork(database), admin, deactivation, now)
    finally:
        await database.dispose()


def issued(result: subprocess.CompletedProcess[str]) -> Principal:
    """Who the printed token stands for, checked with the secret the command signed it with."""
    assert result.returncode == 0, result.stderr
    return TokenService(SECRET, 60).verify(result.stdout.strip())


def test_a_token_names_its_role_and_the_locations_it_is_bound_to(shop):
    printed = omniorder(
        "token", "--role", "STAFF", "--location", "st-mall", "--location", "ST-DOWNTOWN",
        database=shop,
    )  # fmt: skip

    principal = issued(printed)
    assert principal.role is Role.STAFF
    assert principal.location_codes == {"ST-MALL", "ST-DOWNTOWN"}


def test_a_customer_token_names_the_customer_by_its_email_written_as_the_domain_writes_it(shop):
    principal = issued(
        omniorder("token", "--role", "customer", "--customer", " Ada@EXAMPLE.com ", database=shop)
    )

    assert (principal.customer_email, principal.subject) == ("ada@example.com", "ada@example.com")


def test_a_pos_token_may_name_a_terminal_registered_at_its_store(shop):
    pos = ["--role", "POS", "--location", "ST-MALL", "--terminal", "1", "--subject", "till-1"]

    principal = issued(omniorder("token", *pos, database=shop))

    assert (principal.terminal_id, principal.location_codes) == (1, {"ST-MALL"})


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (
            ("--role", "STAFF", "--location", "ST-MALL", "--location", "nope", "--location", "X"),
            "no location has the code NOPE, X — see the codes with the `locations` query",
        ),
        (
            ("--role", "CUSTOMER", "--customer", "Nobody@Example.com"),
            "no customer has the email nobody@example.com — create one with `createCustomer`",
        ),
        (
            ("--role", "POS", "--location", "ST-MALL", "--terminal", "99"),
            "no POS terminal has the id 99 — see them with the `posTerminals` query",
        ),
        (
            ("--role", "POS", "--location", "ST-DOWNTOWN", "--terminal", "1"),
            "POS terminal 1 stands at ST-MALL — give --location ST-MALL",
        ),
        (
            ("--role", "POS", "--location", "ST-MALL", "--terminal", "2"),
            "POS terminal 2 was deactivated — register the till again",
        ),
    ],
)
def test_a_token_naming_what_the_database_does_not_hold_is_refused(arguments, words, shop):
    result = omniorder("token", *arguments, database=shop)

    assert words in refusal(result)
    assert result.stdout == ""


def test_a_token_with_bindings_checks_the_database_first(tmp_path):
    result = omniorder(
        "token", "--role", "STAFF", "--location", "ST-MALL", database=tmp_path / "x.db"
    )

    assert "there is no SQLite database at" in refusal(result)


def test_printed_tokens_are_listed_and_one_revoked_leaves_the_list(shop):
    # Given two tokens printed by the command
    kept = issued(omniorder("token", "--role", "ADMIN", "--label", "backup job", database=shop))
    gone = issued(omniorder("token", "--role", "STAFF", "--subject", "kim", database=shop))

    # When one of them is revoked
    revoked = omniorder("tokens", "revoke", str(gone.session_id), database=shop)
    again = omniorder("tokens", "revoke", str(gone.session_id), database=shop)
    live = omniorder("tokens", "list", database=shop)
    every = omniorder("tokens", "list", "--all", database=shop)

    # Then the list of live tokens names only the other, and a second revoke finds nothing
    assert revoked.returncode == 0, revoked.stderr
    assert f"revoked session {gone.session_id}" in revoked.stdout
    assert again.returncode == 1
    live_ids = [line.split()[0] for line in live.stdout.splitlines()]
    assert str(kept.session_id) in live_ids and str(gone.session_id) not in live_ids
    assert "'backup job'" in live.stdout
    (gone_line,) = [
        line for line in every.stdout.splitlines() if line.startswith(f"{gone.session_id} ")
    ]
    assert (
        "STAFF kim" in gone_line
        and "revoked" in gone_line
        and "omniorder tokens revoke" in gone_line
    )


def test_revoking_a_session_no_token_printed_is_refused(shop):
    assert omniorder("tokens", "revoke", "999999", database=shop).returncode == 1
