"""Persisted queries over HTTP: Apollo's automatic persisted queries, and the allow-list
(OMNIORDER_PERSISTED_ONLY=1) kept with `omniorder persisted-queries`."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.persisted_query_stores import (
    ALLOW_LIST_REFRESH_SECONDS,
    MAX_DOCUMENT_LENGTH,
    InProcessStore,
)
from api.settings import PersistedQuerySettings, Settings
from persistence.database import Database
from tests.api.conftest import SECRET, GraphQL
from tests.test_cli import omniorder

PRODUCTS = "query Products { products(first: 2) { totalCount } }"
CATALOG_SIZE = "query CatalogSize { products(first: 1) { totalCount } }"
UNKNOWN_FIELD = "query Broken { nothingHere }"
MUTATION = "mutation Ping { __typename }"
GRAPHQL_RESPONSE = "application/graphql-response+json"
NO_PRODUCTS = {"products": {"totalCount": 0}}


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def persisted(document: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256(document)}}


async def post(
    graphql: GraphQL, body: dict[str, Any], accept: str = "application/json"
) -> httpx.Response:
    return await graphql.http.post("/graphql", json=body, headers={"Accept": accept})


async def get(graphql: GraphQL, document: str, accept: str = "*/*") -> httpx.Response:
    """A GET naming the document by hash alone, as Apollo's `useGETForHashedQueries` does."""
    params = {"extensions": json.dumps(persisted(document))}
    return await graphql.http.get("/graphql", params=params, headers={"Accept": accept})


def error_code(response: httpx.Response) -> str:
    (error,) = response.json()["errors"]
    return error["extensions"]["code"]


@pytest.fixture
async def allow_list(database: Database) -> AsyncIterator[GraphQL]:
    """A client of an app in allow-list mode."""
    settings = Settings(
        database_url=str(database.url),
        secret=SECRET,
        persisted_queries=PersistedQuerySettings(only_registered=True),
    )
    app = create_app(settings, database=database)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphQL(http, app.state.tokens)


def manifest(tmp_path: Path, *documents: tuple[str, str, str]) -> Path:
    """An Apollo persisted query manifest of (name, type, body) operations."""
    path = tmp_path / "persisted-query-manifest.json"
    operations = [
        {"id": sha256(body), "name": name, "type": kind, "body": body}
        for name, kind, body in documents
    ]
    path.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    return path


async def test_an_unknown_hash_is_not_found_with_status_200_uncached(graphql):
    # Given a document the server has never seen
    # When a client names it by hash alone, even accepting graphql-response+json
    response = await post(graphql, {"extensions": persisted(PRODUCTS)}, accept=GRAPHQL_RESPONSE)
    # Then it is told to send the document (200, so that Apollo's link does not give up)
    assert response.status_code == 200
    assert error_code(response) == "PERSISTED_QUERY_NOT_FOUND"
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert response.headers["cache-control"] == "private, no-cache, must-revalidate"


async def test_a_document_sent_with_its_hash_is_then_found_by_hash_alone(graphql):
    # Given a client that sent a document with its hash once
    first = await post(graphql, {"query": PRODUCTS, "extensions": persisted(PRODUCTS)})
    assert first.json()["data"] == NO_PRODUCTS
    # When it names the document by hash alone, by POST and by GET
    by_post = await post(graphql, {"extensions": persisted(PRODUCTS)})
    by_get = await get(graphql, PRODUCTS)
    # Then the document runs (a GET with Accept */* is no visit of the GraphiQL page)
    assert by_post.json() == first.json()
    assert (by_get.status_code, by_get.json()) == (200, first.json())


async def test_a_hash_that_is_not_the_documents_is_refused_and_stores_nothing(graphql):
    # Given a request whose hash belongs to another document
    body = {"query": PRODUCTS, "extensions": persisted(CATALOG_SIZE)}
    # When it is sent
    response = await post(graphql, body)
    # Then it is refused, and the hash names nothing afterwards
    assert error_code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert "data" in response.json() and response.json()["data"] is None
    later = await post(graphql, {"extensions": persisted(CATALOG_SIZE)})
    assert error_code(later) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_document_that_does_not_validate_is_not_stored(graphql):
    # Given a client that sent a document that does not validate, with its hash
    sent = await post(graphql, {"query": UNKNOWN_FIELD, "extensions": persisted(UNKNOWN_FIELD)})
    assert error_code(sent) == "GRAPHQL_VALIDATION_FAILED"
    # When it names it by hash alone
    response = await post(graphql, {"extensions": persisted(UNKNOWN_FIELD)})
    # Then the server never kept it
    assert error_code(response) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        persisted(PRODUCTS, version=2),
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_malformed_persisted_query_extension_is_a_bad_request(graphql, extensions):
    response = await post(graphql, {"query": PRODUCTS, "extensions": extensions})
    assert error_code(response) == "BAD_REQUEST"


async def test_the_in_process_store_keeps_the_most_recently_used_short_documents():
    # Given a store of two documents, the first of them used again
    store = InProcessStore(max_documents=2)
    await store.put("a", "A")
    await store.put("b", "B")
    await store.get("a")
    # When a third comes, and one too long to keep
    await store.put("c", "C")
    await store.put("d", "d" * (MAX_DOCUMENT_LENGTH + 1))
    # Then the least recently used one made room, and the long one was not kept
    assert [await store.get(key) for key in "abcd"] == ["A", None, "C", None]


async def test_the_in_process_store_keeps_at_most_its_characters_in_all():
    # Given a store of at most five characters, holding "AAA" and then "BB" twice
    store = InProcessStore(max_characters=5)
    await store.put("a", "AAA")
    await store.put("b", "BB")
    await store.put("b", "BB")
    assert [await store.get(key) for key in "ab"] == ["AAA", "BB"]
    # When one more character comes
    await store.put("c", "C")
    # Then the least recently used document made room for it
    assert [await store.get(key) for key in "abc"] == [None, "BB", "C"]


async def test_a_mutation_named_by_hash_over_get_is_405(graphql):
    # Given a mutation the server knows by hash
    await post(graphql, {"query": MUTATION, "extensions": persisted(MUTATION)})
    # When a client names it by hash in a GET
    response = await get(graphql, MUTATION, accept="application/json")
    # Then it is refused as any mutation by GET
    assert (response.status_code, response.headers["allow"]) == (405, "POST")


async def test_the_allow_list_runs_only_registered_documents(allow_list, database_url, tmp_path):
    # Given a server in allow-list mode with one operation registered by the CLI
    added = await asyncio.to_thread(
        omniorder,
        "persisted-queries",
        "add",
        str(manifest(tmp_path, ("Products", "query", PRODUCTS))),
        database=database_url,
    )
    assert added.returncode == 0, added.stderr
    # When clients send the registered one (by hash, or in full) and others
    by_hash = await post(allow_list, {"extensions": persisted(PRODUCTS)})
    in_full = await post(allow_list, {"query": PRODUCTS})
    unlisted = await post(allow_list, {"query": CATALOG_SIZE}, accept=GRAPHQL_RESPONSE)
    unlisted_with_hash = await post(
        allow_list, {"query": CATALOG_SIZE, "extensions": persisted(CATALOG_SIZE)}
    )
    unknown_hash = await post(allow_list, {"extensions": persisted(CATALOG_SIZE)})
    introspection = await post(allow_list, {"query": "{ __schema { queryType { name } } }"})
    # Then only the registered one runs; sending a document registered nothing
    assert by_hash.json()["data"] == in_full.json()["data"] == NO_PRODUCTS
    assert unlisted.status_code == 400
    assert error_code(unlisted) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert error_code(unlisted_with_hash) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert error_code(unknown_hash) == "PERSISTED_QUERY_NOT_FOUND"
    assert error_code(introspection) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_an_operation_removed_from_the_allow_list_stops_running_within_seconds(
    allow_list, database_url, tmp_path
):
    # Given a server in allow-list mode running a registered operation
    path = manifest(tmp_path, ("Products", "query", PRODUCTS))
    await asyncio.to_thread(omniorder, "persisted-queries", "add", str(path), database=database_url)
    assert (await post(allow_list, {"query": PRODUCTS})).json()["data"] == NO_PRODUCTS
    # When an operator removes it
    removed = await asyncio.to_thread(
        omniorder, "persisted-queries", "remove", sha256(PRODUCTS), database=database_url
    )
    assert removed.returncode == 0, removed.stderr
    # Then, once the server has looked again, it is refused
    await asyncio.sleep(ALLOW_LIST_REFRESH_SECONDS + 0.2)
    response = await post(allow_list, {"extensions": persisted(PRODUCTS)})
    assert error_code(response) == "PERSISTED_QUERY_NOT_FOUND"


def test_the_cli_adds_lists_and_removes_registered_operations(database_url, tmp_path):
    # Given a manifest of two operations
    path = manifest(
        tmp_path, ("Products", "query", PRODUCTS), ("CatalogSize", "query", CATALOG_SIZE)
    )
    # When it is added twice, listed, and one operation removed
    first = omniorder("persisted-queries", "add", str(path), database=database_url)
    again = omniorder("persisted-queries", "add", str(path), database=database_url)
    listed = omniorder("persisted-queries", "list", database=database_url)
    removed = omniorder("persisted-queries", "remove", sha256(CATALOG_SIZE), database=database_url)
    missing = omniorder("persisted-queries", "remove", sha256(CATALOG_SIZE), database=database_url)
    after = omniorder("persisted-queries", "list", database=database_url)
    # Then each says what it did
    assert first.stdout == "2 operations added, 0 already there\n"
    assert again.stdout == "0 operations added, 2 already there\n"
    assert listed.stdout.splitlines() == [
        f"{sha256(CATALOG_SIZE)}  query         CatalogSize",
        f"{sha256(PRODUCTS)}  query         Products",
        "2 operations registered",
    ]
    assert (removed.returncode, removed.stdout) == (0, f"removed {sha256(CATALOG_SIZE)}\n")
    assert missing.returncode == 1
    assert after.stdout.splitlines()[-1] == "1 operations registered"


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        ({"id": "0" * 64, "name": "Products", "type": "query", "body": PRODUCTS}, "SHA-256"),
        (
            {"id": sha256(UNKNOWN_FIELD), "name": "Broken", "type": "query", "body": UNKNOWN_FIELD},
            "Cannot query field 'nothingHere'",
        ),
        (
            {"id": sha256(PRODUCTS), "name": "Products", "type": "mutation", "body": PRODUCTS},
            "one mutation operation",
        ),
        (
            {"id": sha256(PRODUCTS), "name": "P" * 256, "type": "query", "body": PRODUCTS},
            "name must be at most 255 characters",
        ),
    ],
)
def test_the_cli_refuses_a_manifest_with_a_bad_operation_and_registers_none(
    database_url, tmp_path, operation, reason
):
    # Given a manifest with one good and one bad operation
    good = {"id": sha256(CATALOG_SIZE), "name": "CatalogSize", "type": "query"}
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [good | {"body": CATALOG_SIZE}, operation],
            }
        )
    )
    # When it is added
    refused = omniorder("persisted-queries", "add", str(path), database=database_url)
    # Then the command says why and registers nothing
    assert refused.returncode == 2
    assert reason in refused.stderr and "operations[1]" in refused.stderr
    listed = omniorder("persisted-queries", "list", database=database_url)
    assert listed.stdout == "0 operations registered\n"
