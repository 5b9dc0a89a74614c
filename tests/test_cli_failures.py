"""The `omniorder` command refuses a bad setting before it starts: one line on stderr that
says what is wrong and how to fix it, exit code 2, no traceback, nothing created."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from api.preflight import only_loopback
from persistence.database_checks import DatabaseUnusable, check_url
from tests.conftest import Templates, _asyncpg_url, empty_database, fresh_database
from tests.ports import free_port

DATABASE_COMMANDS = ["serve", "migrate", "seed-demo", "verify-stock"]


def omniorder(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=os.environ | {"OMNIORDER_SECRET": "cli-secret-of-at-least-32-characters"} | env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command printed, after checking that it was refused so."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("omniorder: ")
    return lines[0]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgresql://kim:secret@db.example/shop",
            "DATABASE_URL uses postgresql:// — write postgresql+asyncpg://kim:***@db.example/shop",
        ),
        ("sqlite:///shop.db", "DATABASE_URL uses sqlite:// — write sqlite+aiosqlite:///shop.db"),
    ],
)
def test_a_database_url_omniorder_cannot_use_is_one_line_naming_the_fix(url, words, tmp_path):
    result = omniorder("migrate", cwd=tmp_path, DATABASE_URL=url)

    assert words in refusal(result)
    assert "secret" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (
            "postgres://kim@db.example/shop",
            "DATABASE_URL uses postgres:// — write postgresql+asyncpg://kim@db.example/shop",
        ),
        (
            "postgresql+psycopg2://kim@db.example/shop",
            "DATABASE_URL uses postgresql+psycopg2:// — write postgresql+asyncpg://kim@db.example",
        ),
        ("mysql://kim@db.example/shop", "uses mysql://, which Omniorder does not run on — write"),
        ("not a url at all", "DATABASE_URL is not a database URL — write sqlite+aiosqlite:///"),
        ("sqlite+aiosqlite://", "in-memory SQLite database, which every connection sees empty"),
        ("sqlite+aiosqlite:///:memory:", "in-memory SQLite database"),
        (
            "sqlite+aiosqlite:///missing/dir/shop.db",
            "the directory missing/dir of the SQLite database in DATABASE_URL does not exist"
            " — create it (mkdir -p missing/dir)",
        ),
    ],
)
def test_each_kind_of_unusable_url_gets_its_own_fix(url, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseUnusable) as refused:
        check_url(url, must_exist=False)

    assert words in str(refused.value)


@pytest.mark.parametrize("command", DATABASE_COMMANDS)
def test_every_database_command_checks_the_database_before_it_starts(command, tmp_path):
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/shop"

    result = omniorder(command, cwd=tmp_path, DATABASE_URL=url)

    assert "nothing is listening at 127.0.0.1:" in refusal(result)
    assert "start PostgreSQL or fix the host and port in DATABASE_URL" in result.stderr


def test_an_unknown_database_host_is_named(tmp_path):
    url = "postgresql+asyncpg://postgres@no-such-host.invalid/shop"

    line = refusal(omniorder("migrate", cwd=tmp_path, DATABASE_URL=url))

    assert "cannot resolve the host 'no-such-host.invalid' in DATABASE_URL" in line


@pytest.mark.parametrize("command", ["seed-demo", "serve"])
def test_a_missing_sqlite_file_is_not_created_by_commands_that_need_a_migrated_one(
    command, tmp_path
):
    result = omniorder(command, cwd=tmp_path, DATABASE_URL="sqlite+aiosqlite:///./shop.db")

    assert "there is no SQLite database at shop.db yet" in refusal(result)
    assert "omniorder migrate" in result.stderr
    assert not (tmp_path / "shop.db").exists()


def test_a_database_without_the_migrations_is_refused(tmp_path):
    sqlite3.connect(tmp_path / "shop.db").close()

    result = omniorder("seed-demo", cwd=tmp_path, DATABASE_URL="sqlite+aiosqlite:///./shop.db")

    assert "the database at sqlite+aiosqlite:///./shop.db lacks" in refusal(result)
    assert "run `omniorder migrate` first" in result.stderr


def test_a_database_migrated_by_a_newer_version_is_named_by_migrate(tmp_path, templates):
    with fresh_database("sqlite", templates, tmp_path) as url:
        with sqlite3.connect(url.removeprefix("sqlite+aiosqlite:///")) as db:
            db.execute("UPDATE alembic_version SET version_num = 'f00000000000'")

        line = refusal(omniorder("migrate", cwd=tmp_path, DATABASE_URL=url))

    assert "at revision f00000000000, which this omniorder does not know" in line


def test_an_sqlite_file_that_is_not_a_database_is_named(tmp_path):
    (tmp_path / "notes.db").write_text("not a database, just some notes\n" * 100)
    url = "sqlite+aiosqlite:///./notes.db"

    line = refusal(omniorder("verify-stock", cwd=tmp_path, DATABASE_URL=url))

    assert "cannot use the SQLite database ./notes.db: file is not a database" in line


@pytest.fixture
def postgres_server(templates: Templates) -> str:
    """The PostgreSQL server the tests use (skips without one, fails under CI)."""
    templates.postgres()
    return _asyncpg_url("")


def test_a_postgresql_database_that_does_not_exist_is_named_with_how_to_create_it(
    postgres_server, tmp_path
):
    url = f"{postgres_server}omniorder_missing_{uuid.uuid4().hex[:8]}"

    line = refusal(omniorder("migrate", cwd=tmp_path, DATABASE_URL=url))

    assert "PostgreSQL has no database 'omniorder_missing_" in line
    assert "create it (createdb -h 127.0.0.1" in line


def test_a_postgresql_login_it_refuses_is_named(postgres_server, tmp_path):
    url = postgres_server.replace("://postgres@", "://nobody_here@") + "postgres"

    line = refusal(omniorder("verify-stock", cwd=tmp_path, DATABASE_URL=url))

    assert "PostgreSQL refused the login" in line
    assert 'role "nobody_here" does not exist — fix the user or password' in line


def test_an_empty_postgresql_database_is_refused_until_migrated(templates, tmp_path):
    with empty_database("postgresql", templates, tmp_path) as url:
        line = refusal(omniorder("verify-stock", cwd=tmp_path, DATABASE_URL=url))

    assert f"the database at {url} lacks" in line


@pytest.mark.parametrize(
    ("command", "variable", "value", "words"),
    [
        (
            ("token", "--role", "ADMIN"),
            "OMNIORDER_POS_FEED_SETTLE_SECONDS",
            "abc",
            "must be a number of seconds from 0 to 3600",
        ),
        (
            ("serve",),
            "OMNIORDER_GRAPHIQL",
            "maybe",
            "must be one of 1/0, true/false, yes/no, on/off",
        ),
    ],
)
def test_an_environment_variable_with_a_bad_value_is_one_line_naming_it(
    command, variable, value, words, tmp_path
):
    line = refusal(omniorder(*command, cwd=tmp_path, **{variable: value}))

    assert f"{variable} {words}, got '{value}'" in line


def test_serve_on_a_busy_port_says_so_before_starting(tmp_path, templates):
    with fresh_database("sqlite", templates, tmp_path) as url, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = omniorder("serve", "--port", str(port), cwd=tmp_path, DATABASE_URL=url)

    assert f"port {port} on 127.0.0.1 is already in use" in refusal(result)
    assert "choose another with --port" in result.stderr
    assert "Started server process" not in result.stderr


def test_serve_on_a_host_that_is_not_this_machine_says_so(tmp_path, templates):
    with fresh_database("sqlite", templates, tmp_path) as url:
        result = omniorder(
            "serve", "--host", "192.0.2.1", "--port", "8000", cwd=tmp_path, DATABASE_URL=url
        )

    assert "192.0.2.1 is not an address of this machine" in refusal(result)


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (("--role", "CUSTOMER"), "a CUSTOMER token needs --customer EMAIL"),
        (("--role", "ADMIN", "--customer", "ada@example.com"), "only a CUSTOMER token names a"),
        (("--role", "POS"), "a POS token needs exactly one --location"),
        (("--role", "ADMIN", "--location", "ST-MALL"), "only STAFF and POS tokens are bound to"),
        (("--role", "STAFF", "--terminal", "7"), "only a POS token names a --terminal"),
        (("--role", "CUSTOMER", "--customer", "ada"), "'ada' is not an email address"),
        (("--role", "STAFF", "--location", "ST MALL"), "location code 'ST MALL' must be 1-32"),
        (("--role", "ADMIN", "--subject", "s" * 256), "a --subject has at most 255 characters"),
        (("--role", "ADMIN", "--label", "l" * 201), "a --label has at most 200 characters"),
    ],
)
def test_a_token_whose_bindings_do_not_fit_its_role_is_refused(arguments, words, tmp_path):
    result = omniorder("token", *arguments, cwd=tmp_path)

    assert words in refusal(result)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),  # every interface
    ],
)
def test_only_loopback_addresses_keep_other_machines_out(host, loopback):
    assert only_loopback(host) is loopback


def test_serve_refuses_the_development_secret_where_other_machines_can_reach_it(
    tmp_path, templates
):
    with fresh_database("sqlite", templates, tmp_path) as url:
        result = omniorder(
            "serve", "--host", "0.0.0.0", "--port", str(free_port()),
            cwd=tmp_path, DATABASE_URL=url, OMNIORDER_SECRET="",
        )  # fmt: skip

    line = refusal(result)
    assert "OMNIORDER_SECRET is not set and --host 0.0.0.0 is reachable from other machines" in line
    assert "set OMNIORDER_SECRET, serve on 127.0.0.1, or pass --dev" in line


@pytest.mark.parametrize(
    ("host", "flags", "warned"),
    [("0.0.0.0", ["--dev"], True), ("127.0.0.1", [], False)],
)
def test_serve_with_the_development_secret_starts_on_loopback_or_with_dev(
    host, flags, warned, tmp_path, templates
):
    with (
        fresh_database("sqlite", templates, tmp_path) as url,
        serving(host, *flags, directory=tmp_path, DATABASE_URL=url) as log,
    ):
        pass

    assert ("DEVELOPMENT MODE (--dev) on 0.0.0.0" in log.read_text()) is warned


@contextmanager
def serving(host: str, *flags: str, directory: Path, **env: str) -> Iterator[Path]:
    """`omniorder serve` with the development secret, once /health answers; its log."""
    port = free_port()
    log = directory / "serve.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", host, "--port", str(port), *flags],
            env=os.environ | {"OMNIORDER_SECRET": ""} | env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=directory,
        )
    try:
        _wait_for_health(server, f"http://127.0.0.1:{port}/health", log)
        yield log
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def _wait_for_health(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"no answer from {url}: {log.read_text()}")


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        (
            "OMNIORDER_SECRET",
            "too-short",
            "OMNIORDER_SECRET must be at least 32 characters (got 9)",
        ),
        (
            "OMNIORDER_ACCOUNT_NOTIFIER",
            "no_such_mailer:Mailer",
            "OMNIORDER_ACCOUNT_NOTIFIER must name a factory as module:callable",
        ),
    ],
)
def test_serve_refuses_a_short_secret_and_a_notifier_it_cannot_load(
    variable, value, words, tmp_path, templates
):
    with fresh_database("sqlite", templates, tmp_path) as url:
        line = refusal(
            omniorder(
                "serve",
                "--port",
                str(free_port()),
                cwd=tmp_path,
                DATABASE_URL=url,
                **{variable: value},
            )
        )

    assert words in line
