"""One request cannot cost the server too much: depth, aliases and tokens are capped, and
internal errors never reach a client."""

from uuid import uuid4

from strawberry.schema import schema as strawberry_schema

from api.schema import MAX_ALIASES, MAX_QUERY_DEPTH, MAX_TOKENS
from api.types import catalog


async def test_a_query_nested_too_deeply_is_refused(graphql, shop):
    nested = "id " + "product { variants { " * MAX_QUERY_DEPTH + "sku" + " } }" * MAX_QUERY_DEPTH
    body = await graphql.post(f'{{ variant(sku: "MUG") {{ {nested} }} }}')
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(graphql):
    aliases = " ".join(f"a{i}: me {{ role }}" for i in range(MAX_ALIASES + 1))
    body = await graphql.post(f"{{ {aliases} }}")
    assert "aliases found" in body["errors"][0]["message"]


async def test_a_document_sent_again_is_not_validated_again(graphql, monkeypatch):
    validations = []
    validate = strawberry_schema.validate

    def counted(*args, **kwargs):
        validations.append(args[1])
        return validate(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counted)
    document = f"query Again{uuid4().hex} {{ me {{ role }} }}"  # new to every cache

    first = await graphql.post(document)
    second = await graphql.post(document)

    assert first == second
    assert len(validations) == 1  # the depth and alias rules are the same on both requests


async def test_a_document_with_too_many_tokens_is_refused(graphql):
    body = await graphql.post("{ me { " + "role " * (MAX_TOKENS + 1) + "} }")
    assert f"more than {MAX_TOKENS} tokens" in body["errors"][0]["message"]


async def test_a_bug_is_masked_for_the_client_and_logged_with_the_request_id(
    graphql, shop, monkeypatch, caplog
):
    def broken(cls, row):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalog.Product, "from_row", classmethod(broken))
    response = await graphql.http.post(
        "/graphql",
        json={"query": "{ products { edges { node { name } } } }"},
        headers={"x-request-id": "req-42"},
    )
    body = response.json()
    assert body["errors"][0]["message"] == "Internal server error"
    assert "secret internals" not in response.text
    assert response.headers["x-request-id"] == "req-42"
    assert any(r.exc_info and "secret internals" in str(r.exc_info[1]) for r in caplog.records)
