"""GraphiQL at /graphql works offline: the page and every script and stylesheet it loads
come from this server (api/graphiql/), and it opens with the README's tour in its editor.
It does not touch the database: one back-end is enough. In a real browser with every other
host blocked: tests/e2e/test_graphiql_offline.py."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from graphql import OperationDefinitionNode, build_schema, parse, print_ast, validate

from api.app import create_app
from api.auth import TokenService
from api.graphiql.page import ASSETS, DEFAULT_OPERATIONS
from api.settings import Settings
from domain.access import Role
from persistence.database import Database
from tests.api.conftest import SECRET
from tests.test_cli import SECRET as CLI_SECRET
from tests.test_cli import omniorder

ROOT = Path(__file__).resolve().parents[2]
PAGE = "http://api/graphql"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ASSET_URL = re.compile(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"')
CONFIG = re.compile(r'<script type="application/json" id="graphiql-config">(.*?)</script>', re.S)
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}

Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def client(tmp_path: Path) -> Client:
    """An HTTP client of an app with GraphiQL on or off."""

    @asynccontextmanager
    async def open_client(*, graphiql: bool) -> AsyncIterator[httpx.AsyncClient]:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'graphiql.db'}")
        settings = Settings(database_url=str(database.url), secret=SECRET, graphiql=graphiql)
        transport = httpx.ASGITransport(app=create_app(settings, database=database))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                yield http
        finally:
            await database.dispose()

    return open_client


def _asset_urls(html: str) -> list[str]:
    return [urljoin(PAGE, url) for url in ASSET_URL.findall(html) if not url.startswith("data:")]


async def test_the_page_loads_every_asset_from_this_server(client: Client) -> None:
    async with client(graphiql=True) as http:
        page = await http.get("/graphql", headers=BROWSER)
        urls = _asset_urls(page.text)
        assets = [await http.get(url) for url in urls]

    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-cache"
    names = {url.rsplit("/", 1)[1] for url in urls}
    assert {"react.production.min.js", "graphiql.min.js", "graphiql.min.css"} <= names
    assert all(url.startswith("http://api/graphiql/") for url in urls)
    for url, asset in zip(urls, assets, strict=True):
        name = url.rsplit("/", 1)[1]
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].startswith(MEDIA_TYPES[Path(name).suffix])
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.content == (ASSETS / name).read_bytes()


async def test_an_asset_under_another_version_or_name_is_not_found(client: Client) -> None:
    async with client(graphiql=True) as http:
        page = await http.get("/graphql", headers=BROWSER)
        version = _asset_urls(page.text)[0].split("/")[-2]
        stale = await http.get("/graphiql/0123456789abcdef/graphiql.min.js")
        unlisted = [
            await http.get(f"/graphiql/{version}/{name}")
            for name in ("LICENSE.react", "SHA256SUMS", "README.md", "..%2Fpage.py")
        ]

    assert stale.status_code == 404
    assert [response.status_code for response in unlisted] == [404] * 4


async def test_the_page_opens_with_the_default_operations(client: Client) -> None:
    async with client(graphiql=True) as http:
        page = await http.get("/graphql", headers=BROWSER)

    config = json.loads(CONFIG.search(page.text).group(1))
    assert config == {"defaultQuery": DEFAULT_OPERATIONS.read_text()}


def test_the_default_operations_validate_against_the_schema() -> None:
    schema = build_schema((ROOT / "schema.graphql").read_text())
    document = parse(DEFAULT_OPERATIONS.read_text())

    assert [error.message for error in validate(schema, document)] == []


def _operations(document: str) -> dict[str, str]:
    """Each operation's type and selections (its name left out), printed."""
    return {
        f"{node.operation.value} {print_ast(node.selection_set)}": node.name.value
        if node.name
        else ""
        for node in parse(document).definitions
        if isinstance(node, OperationDefinitionNode)
    }


def test_the_default_operations_hold_every_operation_of_the_readme_tour() -> None:
    readme = (ROOT / "README.md").read_text()
    tour = readme.split("## A short tour of the API", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"```graphql\n(.*?)```", tour, re.S)
    in_the_tour = {key for example in examples for key in _operations(example)}

    assert len(in_the_tour) == 3
    assert in_the_tour <= set(_operations(DEFAULT_OPERATIONS.read_text()))


async def test_with_graphiql_off_neither_the_page_nor_its_assets_are_served(
    client: Client,
) -> None:
    async with client(graphiql=True) as http:
        asset_urls = _asset_urls((await http.get("/graphql", headers=BROWSER)).text)
    async with client(graphiql=False) as http:
        page = await http.get("/graphql", headers=BROWSER)
        assets = [await http.get(url) for url in asset_urls]

    assert page.status_code == 404
    assert [asset.status_code for asset in assets] == [404] * len(asset_urls)


def test_the_token_command_prints_a_link_that_fills_in_the_authorization_header(
    tmp_path: Path,
) -> None:
    # Given a migrated database
    database = tmp_path / "x.db"
    assert omniorder("migrate", database=database).returncode == 0
    url = "http://127.0.0.1:8000/graphql"

    # When it prints a link instead of a token
    printed = omniorder(
        "token", "--role", "ADMIN", "--subject", "admin", "--graphiql-link", url,
        database=database,
    )  # fmt: skip

    # Then the link leads to the page, with the token in its fragment and nowhere else

    assert printed.returncode == 0, printed.stderr
    link = urlsplit(printed.stdout.strip())
    assert (link.scheme, link.netloc, link.path, link.query) == (
        "http",
        "127.0.0.1:8000",
        "/graphql",
        "",
    )
    headers = json.loads(parse_qs(link.fragment)["headers"][0])
    scheme, token = headers.pop("Authorization").split(" ")
    assert (scheme, headers) == ("Bearer", {})
    principal = TokenService(CLI_SECRET, 60).verify(token)
    assert (principal.role, principal.subject) == (Role.ADMIN, "admin")
