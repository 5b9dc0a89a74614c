"""Every GraphQL error carries an `extensions.code`, also those the GraphQL engine raises:
GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, INVALID_INPUT for a variable that cannot
be what it is declared as, BAD_REQUEST for a request with no operation to run, and
INTERNAL_SERVER_ERROR for a bug (masked)."""

from __future__ import annotations

from typing import Any

import pytest

from api.schema import MAX_QUERY_DEPTH, MAX_TOKENS
from api.types import catalog
from domain.access import Role

ADJUST_STOCK = """
mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }"""
PRICE = """
mutation($amount: Decimal!) {
  updateVariantPrice(input: {sku: "MUG", price: {amount: $amount, currency: "USD"}}) {
    userErrors { code }
  }
}"""


def codes(body: dict[str, Any]) -> list[str | None]:
    return [(error.get("extensions") or {}).get("code") for error in body["errors"]]


@pytest.mark.parametrize(
    "document",
    ["{ me { role }", "{ me { " + "role " * (MAX_TOKENS + 1) + "} }"],
    ids=["syntax", "too many tokens"],
)
async def test_a_document_that_does_not_parse_is_parse_failed(graphql, document):
    body = await graphql.post(document)
    assert codes(body) == ["GRAPHQL_PARSE_FAILED"]


@pytest.mark.parametrize(
    "document",
    [
        "{ nope }",
        '{ order(id: "x", extra: 1) { id } }',
        "{ products(first: 1.5) { totalCount } }",
        "{ variant { sku } }",
        '{ variant(sku: "MUG") { ' + "product { variants { " * MAX_QUERY_DEPTH + "sku"
        " } }" * MAX_QUERY_DEPTH + " } }",
    ],
    ids=["unknown field", "unknown argument", "wrong literal", "missing argument", "too deep"],
)
async def test_a_document_the_schema_cannot_answer_is_validation_failed(graphql, document):
    body = await graphql.post(document)
    assert body["data"] is None
    assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (PRICE, {"amount": "lots"}),
        (PRICE, {"amount": None}),
        (PRICE, {}),
        (
            ADJUST_STOCK,
            {"input": {"sku": "MUG", "locationCode": "ST-B", "delta": 2**40, "reason": "RECEIVED"}},
        ),
        (
            ADJUST_STOCK,
            {"input": {"sku": "MUG", "locationCode": "ST-B", "delta": 1, "reason": "NOPE"}},
        ),
    ],
    ids=["bad decimal", "null", "missing", "int overflow", "unknown enum value"],
)
async def test_a_variable_that_does_not_coerce_is_invalid_input(graphql, shop, document, variables):
    body = await graphql.post(document, variables, token=graphql.token(Role.ADMIN))
    assert body["data"] is None
    assert set(codes(body)) == {"INVALID_INPUT"}


async def test_a_request_with_no_operation_to_run_is_a_bad_request(graphql):
    response = await graphql.http.post(
        "/graphql", json={"query": "query A { me { role } }", "operationName": "B"}
    )
    assert codes(response.json()) == ["BAD_REQUEST"]


async def test_a_document_of_several_operations_without_a_name_to_choose_is_a_bad_request(
    graphql,
):
    document = "query A { me { role } } query B { __typename }"
    refused = await graphql.http.post("/graphql", json={"query": document})
    chosen = await graphql.http.post("/graphql", json={"query": document, "operationName": "B"})
    assert "data" not in refused.json() or refused.json()["data"] is None
    assert codes(refused.json()) == ["BAD_REQUEST"]
    assert chosen.json()["data"] == {"__typename": "Query"}
    assert "errors" not in chosen.json()


async def test_a_nul_character_is_a_bad_request(graphql):
    body = await graphql.post('{ variant(sku: "a\\u0000b") { sku } }')
    assert codes(body) == ["BAD_REQUEST"]


async def test_a_masked_bug_is_an_internal_server_error(graphql, shop, monkeypatch):
    def broken(cls, row):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalog.Product, "from_row", classmethod(broken))
    body = await graphql.post("{ products { edges { node { name } } } }")
    assert body["errors"][0]["message"] == "Internal server error"
    assert codes(body) == ["INTERNAL_SERVER_ERROR"]
