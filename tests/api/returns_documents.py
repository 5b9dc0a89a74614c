"""GraphQL documents and steps shared by the return tests."""

from __future__ import annotations

from domain.access import Role
from tests.api.orders_documents import SHIP_ORDER, change, place, shipping_order

RETURN_FIELDS = """
  id number status
  order { id number status }
  lines { sku quantity reason restocked damaged variant { sku } }
  receivingLocation { code }
  refund { amount currency }
  history { sequence fromStatus toStatus actor note }
"""
PAYLOAD = f"{{ return {{ {RETURN_FIELDS} }} userErrors {{ field code message }} }}"
REQUEST_RETURN = f"""
mutation($input: RequestReturnInput!) {{ requestReturn(input: $input) {PAYLOAD} }}"""
RECEIVE_RETURN = f"""
mutation($input: ReceiveReturnInput!) {{ receiveReturn(input: $input) {PAYLOAD} }}"""
RETURN = f"query($id: ID!) {{ return(id: $id) {{ {RETURN_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { ... on Return { number status } } }"
RETURNS = """
query($filter: ReturnFilter, $first: Int) {
  returns(first: $first, filter: $filter) { totalCount edges { node { number status } } }
}"""
ORDER_RETURNS = """
query($id: ID!) { order(id: $id) {
  status history { fromStatus toStatus note } returns { number status }
} }"""
LEVEL = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) {
    edges { node { onHand reserved damaged } }
  }
}"""
MOVEMENTS = """
query($reference: String!) {
  stockMovements(filter: {reference: $reference}) {
    edges { node { kind onHandDelta reservedDelta damagedDelta actor
      variant { sku } location { code } } }
  }
}"""
RETURNS_PAGE = """
query($first: Int!) {
  returns(first: $first) {
    edges { node {
      number status refund { amount }
      order { number status customer { email } }
      lines { sku variant { sku } }
      receivingLocation { code }
      history { toStatus }
    } }
  }
}"""


def status_mutation(name: str) -> str:
    kind = "RefundReturnInput" if name == "refundReturn" else "ReturnStatusInput"
    return f"mutation($input: {kind}!) {{ {name}(input: $input) {PAYLOAD} }}"


# -- steps --------------------------------------------------------------------------------------


async def shipped_order(graphql, *lines, customer="ada@example.com"):
    """A SHIPPING order of the customer's with every unit shipped."""
    order = (await place(graphql, shipping_order(*lines, customerEmail=customer)))["order"]
    await change(graphql, "confirmOrder", order["id"])
    shipped = await graphql.admin(
        SHIP_ORDER,
        {
            "input": {
                "orderId": order["id"],
                "carrier": "UPS",
                "trackingNumber": "1Z",
                "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            }
        },
    )
    return shipped["shipOrder"]["order"]


async def request_return(graphql, order_id, *lines, token=None):
    data = await graphql.data(
        REQUEST_RETURN,
        {
            "input": {
                "orderId": order_id,
                "lines": [
                    {"sku": sku, "quantity": quantity, "reason": reason}
                    for sku, quantity, reason in lines
                ],
            }
        },
        token=token or graphql.token(Role.CUSTOMER, customer="ada@example.com"),
    )
    return data["requestReturn"]


async def step(graphql, mutation, return_id, token=None, note=None):
    data = await graphql.data(
        status_mutation(mutation),
        {"input": {"returnId": return_id, "note": note}},
        token=token or graphql.token(Role.ADMIN),
    )
    return data[mutation]


async def receive(graphql, return_id, location, *lines, token=None):
    data = await graphql.data(
        RECEIVE_RETURN,
        {
            "input": {
                "returnId": return_id,
                "locationCode": location,
                "lines": [
                    {"sku": sku, "quantity": quantity, "disposition": disposition}
                    for sku, quantity, disposition in lines
                ],
            }
        },
        token=token or graphql.token(Role.ADMIN),
    )
    return data["receiveReturn"]


async def approved_return(graphql, order_id, *lines):
    requested = await request_return(graphql, order_id, *lines)
    return (await step(graphql, "approveReturn", requested["return"]["id"]))["return"]


async def level(graphql, sku, location):
    data = await graphql.admin(LEVEL, {"sku": sku, "location": location})
    node = data["stockLevels"]["edges"][0]["node"]
    return node["onHand"], node["reserved"], node["damaged"]


def error_of(payload):
    [error] = payload["userErrors"]
    return error["code"], error["field"], error["message"]
