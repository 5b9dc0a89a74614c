"""Browsers on the origins OMNIORDER_CORS_ORIGINS lists may call the API (CORS); others,
and every origin when none is listed, get no CORS headers, so their pages cannot read the
answers. CORS does not touch the database: one back-end is enough.
The same in a real browser: tests/e2e/test_browser_cors.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings, SettingsError
from persistence.database import Database
from tests.api.conftest import SECRET

SHOP = "https://shop.example.com"
ELSEWHERE = "https://evil.example.net"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}

Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def client(tmp_path: Path) -> Client:
    """An HTTP client of an app configured with the given origins."""

    @asynccontextmanager
    async def open_client(*origins: str) -> AsyncIterator[httpx.AsyncClient]:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'cors.db'}")
        settings = Settings(database_url=str(database.url), secret=SECRET, cors_origins=origins)
        transport = httpx.ASGITransport(app=create_app(settings, database=database))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
                yield http
        finally:
            await database.dispose()

    return open_client


async def test_a_preflight_from_a_listed_origin_is_allowed_and_cached(client: Client) -> None:
    async with client(SHOP, "http://localhost:5173") as http:
        response = await http.options("/graphql", headers={"Origin": SHOP, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "POST" in response.headers["access-control-allow-methods"].split(", ")
    allowed_headers = response.headers["access-control-allow-headers"].lower().split(", ")
    assert {"authorization", "content-type", "x-request-id"} <= set(allowed_headers)
    assert response.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_an_unlisted_origin_is_not_allowed(client: Client) -> None:
    async with client(SHOP) as http:
        response = await http.options("/graphql", headers={"Origin": ELSEWHERE, **PREFLIGHT})
    assert "access-control-allow-origin" not in response.headers


async def test_without_origins_there_are_no_cors_headers(client: Client) -> None:
    async with client() as http:
        preflight = await http.options("/graphql", headers={"Origin": SHOP, **PREFLIGHT})
        post = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": SHOP}
        )
    assert preflight.status_code == 405
    for response in (preflight, post):
        assert not [name for name in response.headers if name.startswith("access-control-")]


async def test_a_simple_post_from_a_listed_origin_may_be_read(client: Client) -> None:
    async with client(SHOP) as http:
        response = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": SHOP}
        )
    assert response.json()["data"] == {"__typename": "Query"}
    assert response.headers["access-control-allow-origin"] == SHOP
    assert response.headers["access-control-expose-headers"].lower() == "x-request-id"
    assert response.headers["x-request-id"]


async def test_any_origin_may_call_when_the_list_is_a_star(client: Client) -> None:
    async with client("*") as http:
        response = await http.options("/graphql", headers={"Origin": ELSEWHERE, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_origins_are_read_from_the_environment() -> None:
    # As a browser spells an Origin header: lower case, without a default port.
    raw = " https://Shop.example.com:443/ , http://localhost:5173 ,"
    settings = Settings.from_env({"OMNIORDER_CORS_ORIGINS": raw})
    assert settings.cors_origins == ("http://localhost:5173", "https://shop.example.com")
    assert Settings.from_env({"OMNIORDER_CORS_ORIGINS": "*"}).cors_origins == ("*",)
    assert Settings.from_env({}).cors_origins == ()


@pytest.mark.parametrize(
    "value",
    [
        "https://shop.example.com/shop",  # a path: the Origin header never has one
        "shop.example.com",
        "null",
        "https://user@shop.example.com",
        "http://localhost:99999",
        "*, https://shop.example.com",
    ],
)
def test_a_bad_origin_is_a_settings_error(value: str) -> None:
    with pytest.raises(SettingsError, match="OMNIORDER_CORS_ORIGINS"):
        Settings.from_env({"OMNIORDER_CORS_ORIGINS": value})
