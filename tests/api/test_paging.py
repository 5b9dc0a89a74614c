"""Every connection pages both ways: `first`/`after` forwards, `last`/`before` backwards,
edges always in the list's own order, `pageInfo` right at both ends."""

import pytest

from domain.access import Role
from tests.api.orders_documents import place, shipping_order
from tests.api.test_query_count import add_products

CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { email } userErrors { code } }
}"""


def paged(field: str, node: str) -> str:
    """A document paging `field` with every paging argument, picking `node` of each edge."""
    return f"""
query($first: Int, $after: String, $last: Int, $before: String) {{
  {field}(first: $first, after: $after, last: $last, before: $before) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ {node} }} }}
  }}
}}"""


PRODUCTS = paged("products", "name")
ORDERS = paged("orders", "number")
STOCK_LEVELS = paged("stockLevels", "variant { sku } location { code }")
CUSTOMERS = paged("customers", "email")
STOCK_MOVEMENTS = paged("stockMovements", "reference")
CUSTOMER_ORDERS = """
query($email: String, $first: Int, $after: String, $last: Int, $before: String) {
  customers(filter: {email: $email}) { edges { node {
    orders(first: $first, after: $after, last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { number } }
    }
  } } }
}"""
LISTS = {
    "products": PRODUCTS,
    "orders": ORDERS,
    "stockLevels": STOCK_LEVELS,
    "customers": CUSTOMERS,
    "stockMovements": STOCK_MOVEMENTS,
}


async def given_lists_of_seven_or_more(graphql, database, shop) -> None:
    """Products, orders, levels, customers and movements: each several pages of 2."""
    await add_products(database, 5)
    for index in range(7):
        await graphql.admin(
            CREATE_CUSTOMER, {"input": {"email": f"c{index}@example.com", "name": f"C {index}"}}
        )
        order = await place(graphql, shipping_order(("TEE-S", 1), customerEmail=shop.customer))
        assert order["userErrors"] == []


async def connection_of(graphql, field: str, **arguments) -> dict:
    return (await graphql.admin(LISTS[field], arguments))[field]


def nodes(connection: dict) -> list[dict]:
    return [edge["node"] for edge in connection["edges"]]


async def walk_forwards(graphql, field: str, size: int) -> list[dict]:
    """Every node, page by page from the start, checking each page's pageInfo."""
    walked: list[dict] = []
    after = None
    while True:
        page = await connection_of(graphql, field, first=size, after=after)
        walked += nodes(page)
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["hasNextPage"] is (len(walked) < page["totalCount"])
        if not info["hasNextPage"]:
            return walked
        assert len(page["edges"]) == size
        after = info["endCursor"]


async def walk_backwards(graphql, field: str, size: int) -> list[dict]:
    """Every node, page by page from the end, checking each page's pageInfo."""
    walked: list[dict] = []
    before = None
    while True:
        page = await connection_of(graphql, field, last=size, before=before)
        walked = nodes(page) + walked
        info = page["pageInfo"]
        assert info["hasNextPage"] is (before is not None)
        assert info["hasPreviousPage"] is (len(walked) < page["totalCount"])
        if not info["hasPreviousPage"]:
            return walked
        assert len(page["edges"]) == size
        before = info["startCursor"]


@pytest.mark.parametrize("field", LISTS)
async def test_a_list_pages_the_same_forwards_and_backwards(graphql, database, shop, field):
    # given a list several pages long
    await given_lists_of_seven_or_more(graphql, database, shop)
    everything = await connection_of(graphql, field, first=100)
    assert everything["totalCount"] > 6
    # when it is walked two at a time from either end
    forwards = await walk_forwards(graphql, field, 2)
    backwards = await walk_backwards(graphql, field, 2)
    # then both walks give the whole list, in its own order
    assert forwards == nodes(everything)
    assert backwards == nodes(everything)


async def test_orders_page_backwards_newest_first(graphql, database, shop):
    # given seven orders
    await given_lists_of_seven_or_more(graphql, database, shop)
    # when the last page of the newest-first list is read
    oldest = await connection_of(graphql, "orders", last=3)
    # then it holds the three oldest orders, still newest first
    numbers = [node["number"] for node in nodes(oldest)]
    everything = [node["number"] for node in nodes(await connection_of(graphql, "orders"))]
    assert numbers == everything[-3:]
    assert numbers == sorted(numbers, reverse=True)


async def test_last_without_before_is_the_end_of_the_list(graphql, database, shop):
    # given products
    await given_lists_of_seven_or_more(graphql, database, shop)
    everything = nodes(await connection_of(graphql, "products", first=100))
    # when the last two are asked for
    page = await connection_of(graphql, "products", last=2)
    # then they are the list's last two, with earlier ones before them and none after
    assert nodes(page) == everything[-2:]
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_before_alone_pages_backwards_by_the_default_size(graphql, database, shop):
    # given 25 products (more than a default page of 20)
    await add_products(database, 23)
    everything = await connection_of(graphql, "products", first=100)
    # when the page before the last product is asked for with no size
    cursor = everything["edges"][-1]["cursor"]
    page = await connection_of(graphql, "products", before=cursor)
    # then it holds the 20 before it
    assert nodes(page) == nodes(everything)[-21:-1]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_a_cursor_pages_either_way_from_where_it_points(graphql, database, shop):
    # given a cursor in the middle of the customers
    await given_lists_of_seven_or_more(graphql, database, shop)
    everything = await connection_of(graphql, "customers", first=100)
    middle = 4
    cursor = everything["edges"][middle]["cursor"]
    # when pages are read after it and before it
    after = await connection_of(graphql, "customers", first=2, after=cursor)
    before = await connection_of(graphql, "customers", last=2, before=cursor)
    # then they hold the neighbours on either side, and the cursors round-trip
    assert nodes(after) == nodes(everything)[middle + 1 : middle + 3]
    assert nodes(before) == nodes(everything)[middle - 2 : middle]
    assert [edge["cursor"] for edge in after["edges"]] == [
        edge["cursor"] for edge in everything["edges"][middle + 1 : middle + 3]
    ]


async def test_last_zero_reads_no_edges_but_knows_what_is_before(graphql, database, shop):
    # given products
    await given_lists_of_seven_or_more(graphql, database, shop)
    # when no edges are asked for from the end
    page = await connection_of(graphql, "products", last=0)
    # then there are none, and the earlier ones are known to exist
    assert page["edges"] == []
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


async def test_a_nested_connection_pages_backwards(graphql, database, shop):
    # given a customer with seven orders
    await given_lists_of_seven_or_more(graphql, database, shop)

    async def orders(**arguments) -> dict:
        data = await graphql.admin(CUSTOMER_ORDERS, {"email": shop.customer, **arguments})
        return data["customers"]["edges"][0]["node"]["orders"]

    everything = await orders(first=100)
    # when its orders are read from the end, then before the first of those
    last = await orders(last=3)
    earlier = await orders(last=3, before=last["pageInfo"]["startCursor"])
    # then the pages are the list's last six, newest first
    assert nodes(earlier) + nodes(last) == nodes(everything)[-6:]
    assert earlier["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"first": 2, "last": 2}, "first and last cannot be combined"),
        ({"first": 2, "before": "Y3Vyc29yOjE="}, "first cannot be combined with before"),
        ({"last": 2, "after": "Y3Vyc29yOjE="}, "last cannot be combined with after"),
        ({"last": 101}, "last must be between 0 and 100, got 101"),
        ({"last": -1}, "last must be between 0 and 100, got -1"),
        ({"first": 101}, "first must be between 0 and 100, got 101"),
        ({"last": 2, "before": "nonsense"}, "before: 'nonsense' is not a cursor from this API"),
    ],
)
async def test_paging_arguments_that_do_not_go_together_are_refused(
    graphql, shop, arguments, message
):
    # when a page is asked for with arguments that cannot be served
    body = await graphql.post(PRODUCTS, arguments, token=graphql.token(Role.ADMIN))
    # then the request is refused, saying why
    assert body["data"] is None
    assert message in body["errors"][0]["message"]
