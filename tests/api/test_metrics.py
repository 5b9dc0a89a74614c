"""/metrics: the Prometheus text a scraper reads, moving with the requests served.

The registry belongs to the test process, so each test compares values before and after.
"""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from api.observability.metrics import OTHER, OperationNames
from domain.access import Role
from tests.api.pos_documents import register, sale, sync

PRODUCTS = "query ProductNames { products(first: 5) { edges { node { name } } } }"
CREATE_LOCATION = """
mutation CreateLocation($input: CreateLocationInput!) {
  createLocation(input: $input) { location { code } userErrors { code } }
}"""
BROKEN = "query Broken { products { noSuchField } }"
REQUESTS = "omniorder_graphql_requests_total"
DURATION_COUNT = "omniorder_graphql_request_duration_seconds_count"


async def scrape(graphql) -> dict[tuple[str, frozenset], float]:
    """Every sample of /metrics, by name and labels."""
    response = await graphql.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def post(graphql, query: str, variables=None, operation_name=None, token=None):
    body = {"query": query, "variables": variables or {}, "operationName": operation_name}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (await graphql.http.post("/graphql", json=body, headers=headers)).json()


async def test_a_query_is_counted_as_ok_and_timed_under_its_operation_name(graphql, shop):
    before = await scrape(graphql)

    await post(graphql, PRODUCTS)
    await post(graphql, PRODUCTS)

    after = await scrape(graphql)
    ok = {"operation": "ProductNames", "outcome": "ok"}
    assert value(after, REQUESTS, **ok) - value(before, REQUESTS, **ok) == 2
    timed = {"operation": "ProductNames"}
    assert value(after, DURATION_COUNT, **timed) - value(before, DURATION_COUNT, **timed) == 2


async def test_a_mutation_refused_with_user_errors_is_counted_as_a_user_error(graphql, shop):
    before = await scrape(graphql)

    body = await post(
        graphql,
        CREATE_LOCATION,
        {"input": {"code": shop.store, "name": "Again", "kind": "STORE"}},
        token=graphql.token(Role.ADMIN),
    )

    assert body["data"]["createLocation"]["userErrors"][0]["code"] == "DUPLICATE"
    after = await scrape(graphql)
    refused = {"operation": "CreateLocation", "outcome": "user_error"}
    assert value(after, REQUESTS, **refused) - value(before, REQUESTS, **refused) == 1


async def test_a_request_answered_with_errors_is_counted_as_an_error(graphql):
    before = await scrape(graphql)

    body = await post(graphql, BROKEN)

    assert body["errors"]
    after = await scrape(graphql)
    failed = {"operation": "Broken", "outcome": "error"}
    assert value(after, REQUESTS, **failed) - value(before, REQUESTS, **failed) == 1


async def test_operations_without_a_name_of_the_document_share_one_label_each(graphql, shop):
    before = await scrape(graphql)

    await post(graphql, "{ products(first: 1) { totalCount } }")
    await post(graphql, PRODUCTS, operation_name="InventedByTheClient")

    after = await scrape(graphql)
    for operation, outcome in [("anonymous", "ok"), ("unknown", "error")]:
        labels = {"operation": operation, "outcome": outcome}
        assert value(after, REQUESTS, **labels) - value(before, REQUESTS, **labels) == 1
    assert not any(dict(labels).get("operation") == "InventedByTheClient" for _, labels in after)


def test_operation_names_past_the_cap_are_counted_as_other():
    names = OperationNames(limit=2)

    labels = [names.label(name) for name in ["A", "B", "C", "A", "D", "B"]]

    assert labels == ["A", "B", OTHER, "A", OTHER, "B"]


async def test_every_metric_is_exported_and_no_connection_stays_checked_out(graphql, shop):
    before = await scrape(graphql)
    await post(graphql, PRODUCTS)

    after = await scrape(graphql)

    names = {name for name, _ in after}
    for name in [
        REQUESTS,
        DURATION_COUNT,
        "omniorder_db_pool_checked_out",
        "omniorder_outbox_lag_seconds",
        "omniorder_subscriptions_open",
    ]:
        assert name in names, name
    pool = "omniorder_db_pool_checked_out"
    assert value(after, pool) == value(before, pool)


async def test_a_pos_sync_observes_how_many_sales_its_batch_held(graphql, shop):
    terminal = await register(graphql)
    before = await scrape(graphql)

    await sync(graphql, terminal["token"], sale(("MUG", 1, "8.00")), sale(("MUG", 2, "8.00")))

    after = await scrape(graphql)
    labels = {"mutation": "syncPosSales"}
    for suffix, change in [("count", 1), ("sum", 2)]:
        name = f"omniorder_pos_sync_batch_size_{suffix}"
        assert value(after, name, **labels) - value(before, name, **labels) == change
