"""Is DATABASE_URL usable? Checked once, up front, by the `omniorder` command, so that a
mistyped URL or an unreachable database is one line saying what to fix instead of a
driver's traceback from deep inside a migration.

`check_url` reads the URL alone (scheme, driver, the SQLite file's directory);
`check_connection` connects once, with a time limit, and names the usual reasons a
connection fails (nothing listening, an unknown host, a missing database or role);
`check_schema` refuses a database that lacks migrations.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from persistence.database import Database
from persistence.migrate import UnknownRevision, pending_migrations

SQLITE_EXAMPLE = "sqlite+aiosqlite:///./omniorder.db"
POSTGRES_EXAMPLE = "postgresql+asyncpg://user@host/db"
SUPPORTED_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
CONNECT_TIMEOUT_SECONDS = 10.0
# PostgreSQL error codes (SQLSTATE) a wrong URL typically meets while connecting.
MISSING_DATABASE = "3D000"
REFUSED_ROLE = "28000"
WRONG_PASSWORD = "28P01"


class DatabaseUnusable(Exception):
    """The database named by DATABASE_URL cannot be used; the message, one line, says why
    and how to fix it."""


def check_url(raw: str, *, must_exist: bool) -> URL:
    """The parsed URL, if Omniorder can run on it. `must_exist`: a SQLite file that is not
    there yet is refused (only `migrate` creates one)."""
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseUnusable(
            f"DATABASE_URL is not a database URL — write {SQLITE_EXAMPLE} or {POSTGRES_EXAMPLE}"
        ) from None
    backend = "postgresql" if url.get_backend_name() == "postgres" else url.get_backend_name()
    supported = SUPPORTED_DRIVERS.get(backend)
    if supported is None:
        raise DatabaseUnusable(
            f"DATABASE_URL uses {url.drivername}://, which Omniorder does not run on"
            f" — write {SQLITE_EXAMPLE} or {POSTGRES_EXAMPLE}"
        )
    if url.drivername != supported:
        fixed = url.set(drivername=supported).render_as_string(hide_password=True)
        raise DatabaseUnusable(f"DATABASE_URL uses {url.drivername}:// — write {fixed}")
    if backend == "sqlite":
        _check_sqlite_file(url, must_exist=must_exist)
    return url


def _check_sqlite_file(url: URL, *, must_exist: bool) -> None:
    if url.database in (None, "", ":memory:"):
        raise DatabaseUnusable(
            "DATABASE_URL names an in-memory SQLite database, which every connection sees"
            f" empty — name a file: {SQLITE_EXAMPLE}"
        )
    path = Path(url.database or "")
    if not path.parent.is_dir():
        raise DatabaseUnusable(
            f"the directory {path.parent} of the SQLite database in DATABASE_URL does not"
            f" exist — create it (mkdir -p {path.parent}) or name another file"
        )
    if must_exist and not path.exists():
        raise DatabaseUnusable(
            f"there is no SQLite database at {path} yet — create it with `omniorder migrate`"
            " or fix DATABASE_URL"
        )


async def check_connection(database: Database, timeout: float = CONNECT_TIMEOUT_SECONDS) -> None:
    """Connect once and run a query; a failure becomes a `DatabaseUnusable` naming its cause."""
    try:
        async with asyncio.timeout(timeout):
            await database.ping()
    except TimeoutError:
        raise DatabaseUnusable(
            f"no answer from the database at {_where(database.url)} within {timeout:g} s"
            " — check the host and port in DATABASE_URL, and any firewall between"
        ) from None
    except (OSError, DBAPIError) as error:
        raise DatabaseUnusable(_explain(error, database.url)) from None


async def check_schema(database: Database) -> None:
    """Every migration is applied. A revision this code does not know passes: a newer
    version migrated the database, and refusing it would stop every older replica still
    running during a rolling upgrade."""
    try:
        pending = await pending_migrations(database.read_engine)
    except UnknownRevision:
        return
    if pending:
        newest = pending[-1]
        raise DatabaseUnusable(
            f"the database at {_where(database.url)} lacks {len(pending)} migration(s),"
            f" up to {newest.id} ({newest.message}) — run `omniorder migrate` first"
        )


def _explain(error: OSError | DBAPIError, url: URL) -> str:
    where = _where(url)
    if isinstance(error, socket.gaierror):
        return f"cannot resolve the host {url.host!r} in DATABASE_URL — check its spelling"
    if isinstance(error, OSError):
        if error.errno == errno.ECONNREFUSED:
            return (
                f"nothing is listening at {url.host}:{url.port or 5432} — start PostgreSQL"
                " or fix the host and port in DATABASE_URL"
            )
        return (
            f"cannot reach the database at {where}: {error.strerror or error}"
            " — check the host and port in DATABASE_URL"
        )
    cause = error.orig
    detail = str(cause).splitlines()[0] if cause is not None else str(error)
    code = getattr(cause, "sqlstate", None)
    if code == MISSING_DATABASE:
        return (
            f"PostgreSQL has no database {url.database!r} — create it"
            f" ({_createdb(url)}) or fix DATABASE_URL"
        )
    if code in (REFUSED_ROLE, WRONG_PASSWORD):
        return f"PostgreSQL refused the login at {where}: {detail} — fix the user or password"
    if url.get_backend_name() == "sqlite":
        return (
            f"cannot use the SQLite database {url.database}: {detail}"
            " — check that it is an Omniorder database and that the file and its directory"
            " are writable"
        )
    return f"cannot use the database at {where}: {detail} — check DATABASE_URL"


def _createdb(url: URL) -> str:
    """The shell command that creates the database the URL names."""
    options = [("-h", url.host), ("-p", url.port), ("-U", url.username)]
    return " ".join(
        ["createdb", *(f"{flag} {value}" for flag, value in options if value), str(url.database)]
    )


def _where(url: URL) -> str:
    return url.render_as_string(hide_password=True)
