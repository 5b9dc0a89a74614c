"""GraphQL documents and helpers shared by the order tests."""

from __future__ import annotations

from domain.access import Role

ORDER_FIELDS = """
  id number status channel fulfilment
  shippingAddress { line1 city postalCode region country countryName formatted }
  total { amount currency }
  customer { email }
  pickupLocation { code }
  lines {
    sku quantity fulfilledQuantity unitPrice { amount } total { amount }
    allocations { quantity fulfilled location { code } }
  }
  history { fromStatus toStatus actor note }
  shipments { carrier trackingNumber lines { sku quantity location { code } } }
"""
PLACE_ORDER = f"""
mutation($input: PlaceOrderInput!) {{
  placeOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code message }} }}
}}"""
SHIP_ORDER = f"""
mutation($input: ShipOrderInput!) {{
  shipOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code message }} }}
}}"""
ORDER = f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"
ORDERS = """
query($filter: OrderFilter, $first: Int) {
  orders(first: $first, filter: $filter) { totalCount edges { node { number status } } }
}"""
LEVEL = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) {
    edges { node { onHand reserved available } }
  }
}"""


def status_mutation(name: str) -> str:
    return f"""
mutation($input: OrderStatusInput!) {{
  {name}(input: $input) {{ order {{ {ORDER_FIELDS} }} userErrors {{ field code message }} }}
}}"""


def shipping_order(*lines: tuple[str, int], **extra) -> dict:
    return {
        "input": {
            "channel": "WEB",
            "fulfilment": "SHIPPING",
            "shippingAddress": {
                "line1": "1 Main Street",
                "city": "Springfield",
                "postalCode": "62701",
                "country": "US",
            },
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        }
        | extra
    }


def pickup_order(store: str, *lines: tuple[str, int], **extra) -> dict:
    return {
        "input": {
            "channel": "WEB",
            "fulfilment": "PICKUP",
            "pickupLocationCode": store,
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        }
        | extra
    }


async def level(graphql, sku: str, location: str) -> tuple[int, int]:
    data = await graphql.admin(LEVEL, {"sku": sku, "location": location})
    node = data["stockLevels"]["edges"][0]["node"]
    return node["onHand"], node["reserved"]


async def place(graphql, variables: dict, token: str | None = None) -> dict:
    data = await graphql.data(
        PLACE_ORDER, variables, token=graphql.token(Role.ADMIN) if token is None else token
    )
    return data["placeOrder"]


async def change(graphql, mutation: str, order_id: str, token: str | None = None) -> dict:
    data = await graphql.data(
        status_mutation(mutation),
        {"input": {"orderId": order_id}},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return data[mutation]
