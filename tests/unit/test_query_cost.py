"""The cost of an operation, computed from its document alone (docs/api.md, "Query cost"):
each object 1, scalars 0, lists multiplied by their size, mutations 10 more."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, parse

from api.pagination import DEFAULT_PAGE_SIZE
from api.query_cost import DEFAULT_LIST_SIZE, MUTATION_COST, operation_cost
from api.settings import DEFAULT_QUERY_COST_LIMIT, Settings, SettingsError

SCHEMA = build_schema("""
type Query {
  products(first: Int, last: Int, after: String): ProductConnection!
  product: Product
  tags: [String!]!
}
type Mutation { rename(name: String!): Product  ping: Boolean }
type ProductConnection { edges: [ProductEdge!]!  pageInfo: PageInfo!  totalCount: Int! }
type ProductEdge { node: Product!  cursor: String! }
type PageInfo { hasNextPage: Boolean! }
type Product { name: String!  variants: [Variant!]!  orders(first: Int): OrderConnection! }
type Variant { sku: String! }
type OrderConnection { edges: [OrderEdge!]! }
type OrderEdge { node: Order! }
type Order { number: String! }
""")


def cost(document: str, variables: dict[str, Any] | None = None, **options: int) -> int | None:
    return operation_cost(SCHEMA, parse(document), None, variables, **options)


def test_scalars_cost_nothing_and_each_object_one():
    assert cost("{ tags }") == 0
    assert cost("{ product { name } }") == 1


def test_a_connection_multiplies_its_edges_by_first():
    # products 1, pageInfo 1, 5 edges each with its node
    query = "{ products(first: 5) { totalCount pageInfo { hasNextPage } edges { node { name } } } }"
    assert cost(query) == 1 + 1 + 5 * (1 + 1)


def test_last_sizes_a_connection_as_first_does():
    assert cost("{ products(last: 3) { edges { cursor } } }") == 1 + 3


def test_a_connection_without_first_counts_the_default_page_size():
    assert cost("{ products { edges { cursor } } }") == 1 + DEFAULT_PAGE_SIZE


def test_nested_connections_multiply():
    orders_page = "orders(first: 3) { edges { node { number } } }"
    query = f"{{ products(first: 5) {{ edges {{ node {{ {orders_page} }} }} }} }}"
    orders = 1 + 3 * (1 + 1)
    assert cost(query) == 1 + 5 * (1 + 1 + orders)


def test_a_list_without_a_size_counts_the_default_list_size():
    assert cost("{ product { variants { sku } } }") == 1 + DEFAULT_LIST_SIZE
    assert cost("{ product { variants { sku } } }", list_size=4) == 1 + 4


def test_variables_size_the_lists_they_are_given_to():
    query = "query Page($n: Int) { products(first: $n) { edges { cursor } } }"
    assert cost(query, {"n": 7}) == 1 + 7
    assert cost(query, {}) == 1 + DEFAULT_PAGE_SIZE
    with_default = "query Page($n: Int = 3) { products(first: $n) { edges { cursor } } }"
    assert cost(with_default) == 1 + 3


def test_fragments_and_inline_fragments_count_where_they_are_spread():
    query = """
    { ...Page  product { ... on Product { variants { sku } } } }
    fragment Page on Query { products(first: 2) { ...Edges } }
    fragment Edges on ProductConnection { edges { node { name } } }
    """
    assert cost(query) == (1 + 2 * (1 + 1)) + (1 + DEFAULT_LIST_SIZE)


def test_a_mutation_costs_its_base_plus_its_selection():
    assert cost('mutation { rename(name: "x") { name variants { sku } } }') == (
        MUTATION_COST + 1 + DEFAULT_LIST_SIZE
    )
    assert cost('mutation { ping  rename(name: "x") { name } }') == 2 * MUTATION_COST + 1


def test_introspection_costs_nothing():
    assert cost("{ __typename __schema { types { name fields { name } } } }") == 0


@pytest.mark.parametrize("variables", [{"n": "many"}, {"n": None}])
def test_variables_that_do_not_coerce_leave_the_cost_to_execution(variables):
    assert cost("query Page($n: Int!) { products(first: $n) { totalCount } }", variables) is None


def test_the_operation_named_is_the_one_costed():
    document = parse("query A { product { name } } query B { tags }")
    assert operation_cost(SCHEMA, document, "A") == 1
    assert operation_cost(SCHEMA, document, "B") == 0


def test_the_limit_and_the_introspection_switch_are_read_from_the_environment():
    chosen = Settings.from_env(
        {"OMNIORDER_QUERY_COST_LIMIT": "500", "OMNIORDER_INTROSPECTION": "0"}
    )
    assert (chosen.query_cost_limit, chosen.introspection) == (500, False)
    defaults = Settings.from_env({})
    assert (defaults.query_cost_limit, defaults.introspection) == (DEFAULT_QUERY_COST_LIMIT, True)


@pytest.mark.parametrize("raw", ["0", "-5", "1e4", "100000001"])
def test_a_limit_that_is_no_positive_whole_number_is_refused(raw):
    with pytest.raises(SettingsError, match="OMNIORDER_QUERY_COST_LIMIT must be a whole number"):
        Settings.from_env({"OMNIORDER_QUERY_COST_LIMIT": raw})
