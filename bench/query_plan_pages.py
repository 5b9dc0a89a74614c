"""The pages the query-plan benchmark measures, and the orders it seeds for one of them.

Each page is one GraphQL document that storefronts, POS terminals or back-office lists send
(issue 15): the catalog page, a stock list, an order list with lines and customers, one
product, and the fixed cost of a request (`{ __typename }`, with an ADMIN token and
anonymously).
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bench.catalog_and_orders import CATALOG_PAGE, PLACE_ORDER
from bench.load import OK, bearer, graphql_data

STOCK_LEVELS_PAGE = """
query StockLevelsPage($first: Int!) {
  stockLevels(first: $first) {
    edges { node { id onHand reserved available inTransit damaged incoming
      reorderPoint safetyStock variant { sku } location { code } } }
  }
}
"""

ORDERS_PAGE = """
query OrdersPage($first: Int!) {
  orders(first: $first) {
    edges { node {
      id number status channel fulfilment createdAt total { amount currency }
      customer { email name }
      lines { sku name quantity unitPrice { amount currency } total { amount currency } }
    } }
  }
}
"""

PRODUCT_PAGE = """
query ProductPage($id: ID!) {
  product(id: $id) {
    id name variants {
      sku price { amount currency }
      stockLevels { onHand reserved available location { code } }
    }
  }
}
"""

PRODUCT_NAME = """
query ProductName($id: ID!) { product(id: $id) { id name } }
"""

TYPENAME = "{ __typename }"


@dataclass(frozen=True)
class Page:
    """One request shape: its document, how its variables are made, and who sends it."""

    name: str
    document: str
    first: int | None = None  # the page size of a connection (`$first`)
    by_product: bool = False  # takes `$id`, each request the next product of the catalog
    anonymous: bool = False
    reference: bool = False  # also measured against the hand-written reference

    def bodies(
        self, product_ids: Sequence[str], first: int | None = None
    ) -> Callable[[], dict[str, Any]]:
        """The next request's body, each call (products in turn for a `by_product` page)."""
        if self.by_product:
            ids = itertools.cycle(product_ids)
            return lambda: {"query": self.document, "variables": {"id": next(ids)}}
        variables = {"first": first or self.first} if self.first else {}
        body = {"query": self.document, "variables": variables}
        return lambda: body


PAGES = (
    Page("catalog", CATALOG_PAGE, first=50, reference=True),
    Page("stock-levels", STOCK_LEVELS_PAGE, first=100),
    Page("orders", ORDERS_PAGE, first=50),
    Page("product", PRODUCT_PAGE, by_product=True),
    Page("product-name", PRODUCT_NAME, by_product=True),
    Page("typename-admin", TYPENAME),
    Page("typename-anonymous", TYPENAME, anonymous=True),
)
PAGE_NAMES = tuple(page.name for page in PAGES)
PLACING_CLIENTS = 8
SMALL_PAGE_SIZE = 10  # statement counts compare each connection page at this size too


def classifier(
    page: Page, expected_data: Any, expected_body: bytes
) -> Callable[[httpx.Response], str]:
    """OK when a response's `data` is `expected_data` (the probe's, the same on every
    server), so a page that comes back shorter or different is not counted as served; for
    a page that goes through the products, when it found the product. A response byte for
    byte the probe's is OK without parsing it, so the clients take less of the CPU the
    servers are measured on."""

    def classify(response: httpx.Response) -> str:
        if response.status_code == 200 and response.content == expected_body:
            return OK
        data, problem = graphql_data(response)
        if problem:
            return problem
        if page.by_product:
            return OK if data and data.get("product") else "no product"
        return OK if data == expected_data else "different data"

    return classify


async def catalog_product_ids(base_url: str, token: str, count: int) -> list[str]:
    """Global ids of the first `count` products, for the `by_product` pages to cycle over."""
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(token)) as client:
        response = await client.post(
            "/graphql", json={"query": CATALOG_PAGE, "variables": {"first": count}}
        )
    data, problem = graphql_data(response)
    if problem or not data:
        raise SystemExit(f"could not list products: {problem}")
    return [edge["node"]["id"] for edge in data["products"]["edges"]]


async def place_orders(
    base_url: str,
    token: str,
    skus: Sequence[str],
    *,
    orders: int,
    customers: int,
    seed: int,
) -> None:
    """Place `orders` WEB orders of 1-3 in-stock SKUs for `customers` customers (made by
    the first order with their email), through placeOrder as the other benchmark does."""
    rng = random.Random(seed)
    bodies = [
        {
            "query": PLACE_ORDER,
            "variables": {
                "input": {
                    "channel": "WEB",
                    "fulfilment": "SHIPPING",
                    "shippingAddress": {
                        "line1": "1 Benchmark Street",
                        "city": "Springfield",
                        "postalCode": "62701",
                        "country": "US",
                    },
                    "customerEmail": f"bench-customer-{index % customers}@example.com",
                    "customerName": f"Bench customer {index % customers}",
                    "lines": [
                        {"sku": sku, "quantity": 1}
                        for sku in rng.sample(skus, k=min(rng.randint(1, 3), len(skus)))
                    ],
                }
            },
        }
        for index in range(orders)
    ]
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(token), timeout=60) as client:
        responses = []
        for start in range(0, len(bodies), PLACING_CLIENTS):
            batch = bodies[start : start + PLACING_CLIENTS]
            responses += await asyncio.gather(*(client.post("/graphql", json=b) for b in batch))
    for response in responses:
        data, problem = graphql_data(response)
        payload = (data or {}).get("placeOrder") or {}
        if problem or payload.get("userErrors") or not payload.get("order"):
            raise SystemExit(f"seeding orders failed: {problem or payload}")
