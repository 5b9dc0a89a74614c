"""/graphql speaks GraphQL over HTTP (https://graphql.github.io/graphql-over-http/).

The whole `graphql-http` audit runs against a real server in tests/e2e; these direct checks
against the ASGI app pin down what clients of this project rely on.
"""

from __future__ import annotations

import pytest

from api.graphql_app import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from domain.access import Role

ME = "{ me { role subject } }"


async def test_a_query_can_be_sent_by_get(graphql):
    response = await graphql.http.get("/graphql", params={"query": ME})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {"me": {"role": None, "subject": "anonymous"}}
    assert "errors" not in body


async def test_a_mutation_sent_by_get_is_refused_with_405(graphql):
    response = await graphql.http.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_a_body_that_is_not_json_is_a_400(graphql):
    response = await graphql.http.post(
        "/graphql", content=b'{"query": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_graphql_response_json_is_answered_in_kind(graphql):
    response = await graphql.http.post(
        "/graphql", json={"query": ME}, headers={"accept": GRAPHQL_RESPONSE_JSON}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
    assert response.json()["data"]["me"]["subject"] == "anonymous"


@pytest.mark.parametrize(
    "document", ["{ me { role", "{ noSuchField }"], ids=["does-not-parse", "does-not-validate"]
)
async def test_with_graphql_response_json_a_document_that_cannot_run_is_a_400(graphql, document):
    response = await graphql.http.post(
        "/graphql", json={"query": document}, headers={"accept": GRAPHQL_RESPONSE_JSON}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    body = response.json()
    assert "data" not in body
    assert body["errors"]


@pytest.mark.parametrize(
    "document", ["{ me { role", "{ noSuchField }"], ids=["does-not-parse", "does-not-validate"]
)
async def test_with_application_json_a_document_that_cannot_run_is_a_200(graphql, document):
    response = await graphql.http.post(
        "/graphql", json={"query": document}, headers={"accept": JSON}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON)
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "document",
    [
        '{ stockLevels(filter: {sku: "TEE\\u0000S"}) { totalCount } }',
        '{ stockLevels(filter: {sku: "TEE\x00S"}) { totalCount } }',
    ],
    ids=["escaped", "raw"],
)
async def test_a_nul_character_in_a_string_is_a_request_error(graphql, document):
    token = graphql.token(Role.ADMIN)

    body = await graphql.post(document, token=token)

    assert body["data"] is None
    assert "NUL" in body["errors"][0]["message"]


async def test_an_invalid_bearer_token_is_a_401(graphql):
    response = await graphql.http.post(
        "/graphql", json={"query": ME}, headers={"authorization": "Bearer not-a-token"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_every_response_carries_a_request_id(graphql):
    responses = [
        await graphql.http.post("/graphql", json={"query": ME}),
        await graphql.http.get("/graphql", params={"query": ME}),
        await graphql.http.get("/graphql", params={"query": "mutation { __typename }"}),
        await graphql.http.post(
            "/graphql", content=b"{", headers={"content-type": "application/json"}
        ),
        await graphql.http.post(
            "/graphql", json={"query": "{"}, headers={"accept": GRAPHQL_RESPONSE_JSON}
        ),
        await graphql.http.post(
            "/graphql", json={"query": ME}, headers={"authorization": "Bearer nope"}
        ),
    ]
    assert [r.status_code for r in responses] == [200, 200, 405, 400, 400, 401]
    assert all(r.headers.get("x-request-id") for r in responses)
    given = await graphql.http.post("/graphql", json={"query": ME}, headers={"x-request-id": "a1"})
    assert given.headers["x-request-id"] == "a1"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, {JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0.5, {JSON}", JSON),
        (f"{JSON};q=0.9, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}; charset=iso-8859-1, {JSON}", JSON),
        (f"{JSON}, */*", JSON),
        (f"{JSON};q=0, */*", GRAPHQL_RESPONSE_JSON),
        ("text/html", JSON),  # nothing acceptable: Accept is disregarded
        (f"{GRAPHQL_RESPONSE_JSON};q=nonsense, {JSON}", JSON),
    ],
)
def test_the_response_media_type_follows_accept(accept, expected):
    assert negotiate(accept) == expected
