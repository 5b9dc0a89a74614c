"""The `omniorder` command: serve, migrate, seed-demo, token, tokens, export-schema,
import, export, verify-stock, verify-ledger, persisted-queries, expire-unpaid-orders.

Exit codes: 0 done; 1 the command ran and found something wrong (verify-stock or
verify-ledger found discrepancies, seed-demo without --if-empty found data,
persisted-queries remove found no such operation, tokens revoke found no such live
token, expire-unpaid-orders could not cancel some order, import found errors in the
file, each printed on stderr as FILE:LINE: COLUMN: what is wrong); 2 it could not start (bad
arguments, a bad environment variable, an unusable database, a busy port, the
development secret on a public address, a token naming what does not exist, a persisted
query manifest it refuses), with one line on stderr saying what to fix.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TextIO

from api import ledger_commands, token_commands
from api import persisted_query_commands as allow_list
from api.graphiql.page import graphiql_link
from api.notifier import load_notifier
from api.preflight import (
    DevelopmentSecretRefused,
    PortUnavailable,
    TokenRefused,
    check_database,
    check_port,
    check_secret,
    check_token_bindings,
    only_loopback,
)
from api.settings import Settings, SettingsError
from domain.access import Principal, Role
from domain.errors import InvalidInput
from domain.model.customers import normalise_email
from domain.model.locations import normalise_location_code
from domain.model.sessions import MAX_LABEL_LENGTH, MAX_SUBJECT_LENGTH
from persistence.database import Database
from persistence.database_checks import DatabaseUnusable
from persistence.migrate import Revision, UnknownRevision, head_revision, upgrade_to_head

SCHEMA_FILE = Path("schema.graphql")
# Commands that use the database, which is checked before they start.
DATABASE_COMMANDS = frozenset(
    {
        "serve",
        "migrate",
        "seed-demo",
        "tokens",
        "import",
        "export",
        "verify-stock",
        "verify-ledger",
        "persisted-queries",
        "expire-unpaid-orders",
    }
)
# What stops a command from starting (or migrate from running): one line, exit code 2.
STARTUP_ERRORS = (
    SettingsError,
    DatabaseUnusable,
    UnknownRevision,
    PortUnavailable,
    DevelopmentSecretRefused,
    TokenRefused,
    allow_list.ManifestRefused,
)
# Roles a token binds to locations: POS to its one store, STAFF to those it works at.
LOCATION_ROLES = frozenset({Role.STAFF, Role.POS})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="omniorder", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('omniorder')}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP/WebSocket server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument(
        "--dev",
        action="store_true",
        help="allow the development secret (OMNIORDER_SECRET unset) on a non-loopback --host",
    )

    commands.add_parser("migrate", help="apply database migrations")

    seed = commands.add_parser("seed-demo", help="load demo data")
    seed.add_argument("--if-empty", action="store_true", help="only into an empty database")

    token = commands.add_parser("token", help="print a bearer token")
    token.add_argument(
        "--role", required=True, type=_role, metavar="|".join(Role), help="in any case"
    )
    token.add_argument("--location", action="append", default=[], help="bind to a location")
    token.add_argument("--customer", help="bind a CUSTOMER token to this email")
    token.add_argument("--subject", help="who the token is for (shown as the actor)")
    token.add_argument(
        "--terminal", type=int, help="a POS token naming this registered terminal (its id)"
    )
    token.add_argument("--label", help="what the token is for, shown by `tokens list`")
    token.add_argument(
        "--graphiql-link",
        metavar="URL",
        help="print, instead of the token, a link to the GraphiQL page at URL (…/graphql) "
        "that fills in its Authorization header",
    )

    tokens = commands.add_parser("tokens", help="list or revoke the tokens `token` printed")
    token_actions = tokens.add_subparsers(dest="action", required=True)
    listing = token_actions.add_parser("list", help="the live tokens, oldest first")
    listing.add_argument("--all", action="store_true", help="also revoked and expired ones")
    revoke = token_actions.add_parser("revoke", help="revoke a token on every server")
    revoke.add_argument("session", type=int, help="its session id (the first column of list)")

    export = commands.add_parser("export-schema", help="write the printed GraphQL schema")
    export.add_argument("--output", type=Path, default=SCHEMA_FILE)

    importing = commands.add_parser(
        "import", help="create products from a product CSV (docs/import-export.md)"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--dry-run", action="store_true", help="check the whole file, keep nothing"
    )
    importing.add_argument(
        "--update",
        action="store_true",
        help="update the prices, status, categories and attributes of products already there "
        "(by SKU) instead of skipping them",
    )
    exporting = commands.add_parser("export", help="write the whole catalog as a product CSV")
    exporting.add_argument("--output", type=Path, help="a file (default: standard output)")

    commands.add_parser(
        "verify-stock",
        help="check every level against its movements and the documents holding its units, "
        "every slot against its bookings",
    )
    commands.add_parser(
        "verify-ledger",
        help="check every payment's balances against its entries, every order's paid and "
        "refunded amounts against its payments, every invoice's balance against its allocations",
    )

    commands.add_parser(
        "expire-unpaid-orders",
        help="cancel now the PENDING orders unpaid past their channel's unpaidOrderTtl "
        "(what the servers do every OMNIORDER_UNPAID_ORDER_SWEEP_SECONDS)",
    )

    persisted = commands.add_parser(
        "persisted-queries",
        help="the allow-list of operations that run with OMNIORDER_PERSISTED_ONLY=1",
    )
    persisted_actions = persisted.add_subparsers(dest="action", required=True)
    add = persisted_actions.add_parser("add", help="register an Apollo persisted query manifest")
    add.add_argument("manifest", type=Path)
    persisted_actions.add_parser("list", help="print every registered operation")
    remove = persisted_actions.add_parser("remove", help="unregister an operation")
    remove.add_argument("hash", help="the operation's id: the SHA-256 of its body")

    args = parser.parse_args(argv)
    handler = {
        "serve": _serve,
        "migrate": _migrate,
        "seed-demo": _seed_demo,
        "token": _token,
        "tokens": _tokens,
        "export-schema": _export_schema,
        "import": _import,
        "export": _export,
        "verify-stock": ledger_commands.verify_stock,
        "verify-ledger": ledger_commands.verify_ledger,
        "persisted-queries": _persisted_queries,
        "expire-unpaid-orders": ledger_commands.expire_unpaid_orders,
    }[args.command]
    try:
        settings = Settings.from_env()
        _check_before_starting(args, settings)
        return handler(args, settings)
    except STARTUP_ERRORS as error:
        print(f"omniorder: {error}", file=sys.stderr)
        return 2


def _role(text: str) -> Role:
    try:
        return Role(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a role — one of {', '.join(Role)}, in any case"
        ) from None


def _check_before_starting(args: argparse.Namespace, settings: Settings) -> None:
    """Once, up front: the port `serve` will listen on and the secret it signs with, the
    database the command uses (`token` checks its own, once it knows what to look up)."""
    if args.command == "serve":
        check_port(args.host, args.port)
        check_secret(args.host, development_secret=settings.uses_development_secret, dev=args.dev)
        load_notifier(settings.sessions.account_notifier)  # one that cannot load: exit 2
    if args.command in DATABASE_COMMANDS:
        asyncio.run(check_database(settings.database_url, migrating=args.command == "migrate"))


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    """Our access log replaces uvicorn's, and our log setup its own. Every run gets a
    fresh metrics directory that all its workers share (observability/multiprocess_dir.py)."""
    import uvicorn

    from api.observability.logs import configure_logging
    from api.observability.multiprocess_dir import fresh_multiprocess_dir

    configure_logging(settings)
    if settings.uses_development_secret and not only_loopback(args.host):
        logging.getLogger("omniorder.cli").warning(
            "DEVELOPMENT MODE (--dev) on %s: OMNIORDER_SECRET is not set, so anyone who can"
            " reach this port can sign themselves an ADMIN token with the published"
            " development secret; never run so where others can connect",
            args.host,
        )
    with fresh_multiprocess_dir():
        uvicorn.run(
            "api.app:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=True,
            log_config=None,
            access_log=False,
        )
    return 0


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Lists what it applies, one line per migration, oldest first."""

    async def run() -> tuple[str, list[Revision]]:
        database = Database(settings.database_url)
        try:
            applied = await upgrade_to_head(database.write_engine)
            return database.url.render_as_string(hide_password=True), applied
        finally:
            await database.dispose()

    where, applied = asyncio.run(run())
    for revision in applied:
        print(f"applied {revision.id}  {revision.message}")
    state = "is now up to date" if applied else "is already up to date"
    print(f"database at {where} {state} at {head_revision()}")
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from api.demo import database_is_empty, seed_demo

    async def run() -> bool:
        database = Database(settings.database_url)
        try:
            if not await database_is_empty(database):
                return False
            await seed_demo(database, report=print)
            return True
        finally:
            await database.dispose()

    seeded = asyncio.run(run())
    if not seeded:
        print("database already has data; demo data not loaded")
        return 0 if args.if_empty else 1
    print("demo data loaded")
    return 0


def _token(args: argparse.Namespace, settings: Settings) -> int:
    """A token in a session of its own (so that it can be revoked), for a principal whose
    locations, customer and terminal exist."""
    principal = _token_principal(args)  # arguments that cannot make a token: refused first
    asyncio.run(check_token_bindings(settings.database_url, principal))
    issued = asyncio.run(token_commands.issue_token(settings, principal, args.label))
    print(graphiql_link(args.graphiql_link, issued) if args.graphiql_link else issued)
    return 0


def _tokens(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "list":
        now = datetime.now(UTC)
        listed = asyncio.run(token_commands.command_line_sessions(settings, every=args.all))
        for session in listed:
            print(token_commands.describe(session, now))
        return 0
    if asyncio.run(token_commands.revoke_command_line_session(settings, args.session)):
        print(f"revoked session {args.session}: its token no longer works")
        return 0
    print(f"no live token has session {args.session} (see `omniorder tokens list --all`)")
    return 1


def _token_principal(args: argparse.Namespace) -> Principal:
    """Who the token is for, its bindings written as the domain writes them; a binding
    its role does not take, or a subject or label longer than its session keeps, is
    refused."""
    role: Role = args.role
    if role is Role.CUSTOMER and not args.customer:
        raise TokenRefused("a CUSTOMER token needs --customer EMAIL")
    if args.customer and role is not Role.CUSTOMER:
        raise TokenRefused("only a CUSTOMER token names a --customer")
    if role is Role.POS and len(args.location) != 1:
        raise TokenRefused("a POS token needs exactly one --location")
    if args.location and role not in LOCATION_ROLES:
        raise TokenRefused("only STAFF and POS tokens are bound to a --location")
    if args.terminal is not None and role is not Role.POS:
        raise TokenRefused("only a POS token names a --terminal")
    if args.subject and len(args.subject) > MAX_SUBJECT_LENGTH:
        raise TokenRefused(f"a --subject has at most {MAX_SUBJECT_LENGTH} characters")
    if args.label and len(args.label) > MAX_LABEL_LENGTH:
        raise TokenRefused(f"a --label has at most {MAX_LABEL_LENGTH} characters")
    try:
        codes = frozenset(
            normalise_location_code(code, field="--location") for code in args.location
        )
        email = normalise_email(args.customer, field="--customer") if args.customer else None
    except InvalidInput as error:
        raise TokenRefused(error.message) from None
    return Principal(
        role=role,
        subject=args.subject or email or f"{role.value.lower()}-cli",
        location_codes=codes,
        customer_email=email,
        terminal_id=args.terminal,
    )


def _export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from api.schema import schema

    args.output.write_text(schema.as_str() + "\n")
    print(f"wrote {args.output}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    """Every error of the file on stderr and exit 1, nothing imported; else a summary."""
    from api import catalog_csv, catalog_transfer

    async def run(products: list[catalog_csv.ProductRows]) -> catalog_transfer.ImportSummary:
        database = Database(settings.database_url)
        try:
            return await catalog_transfer.import_products(
                database, products, update=args.update, dry_run=args.dry_run
            )
        finally:
            await database.dispose()

    try:
        with args.file.open(newline="", encoding="utf-8-sig") as lines:
            products = catalog_csv.group_products(catalog_csv.read_rows(lines))
        summary = asyncio.run(run(products))
    except OSError as error:
        print(f"omniorder: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, csv.Error) as error:
        print(f"omniorder: {args.file} is not a UTF-8 CSV file: {error}", file=sys.stderr)
        return 2
    except catalog_csv.CsvRefused as refused:
        for row_error in refused.errors:
            print(row_error.describe(str(args.file)), file=sys.stderr)
        print(f"{len(refused.errors)} errors: nothing imported", file=sys.stderr)
        return 1
    for handle in summary.skipped:
        print(f"skipped {handle}: its SKUs exist (--update to update it)")
    print(summary.describe(dry_run=args.dry_run))
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from api import catalog_transfer

    async def run(out: TextIO) -> int:
        database = Database(settings.database_url)
        try:
            return await catalog_transfer.export_products(database, out)
        finally:
            await database.dispose()

    if args.output is None:
        asyncio.run(run(sys.stdout))
        return 0
    with args.output.open("w", newline="", encoding="utf-8") as out:
        written = asyncio.run(run(out))
    print(f"wrote {written} products to {args.output}")
    return 0


def _persisted_queries(args: argparse.Namespace, settings: Settings) -> int:
    """add: registers what is new (ManifestRefused for a bad manifest, exit 2); remove:
    exit 1 if the hash was not registered."""
    from api.schema import schema

    queries = allow_list.read_manifest(args.manifest, schema) if args.action == "add" else []

    async def run() -> int:
        database = Database(settings.database_url)
        try:
            if args.action == "add":
                added = await allow_list.add(database, queries)
                print(f"{len(added)} operations added, {len(queries) - len(added)} already there")
            elif args.action == "list":
                registered = await allow_list.listed(database)
                for query in registered:
                    print(f"{query.id}  {query.operation_type:<12}  {query.name}")
                print(f"{len(registered)} operations registered")
            elif not await allow_list.remove(database, args.hash):
                print(f"no operation {args.hash} is registered", file=sys.stderr)
                return 1
            else:
                print(f"removed {args.hash}")
            return 0
        finally:
            await database.dispose()

    return asyncio.run(run())


if __name__ == "__main__":
    raise SystemExit(main())
