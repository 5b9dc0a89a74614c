"""A backorder filled by arriving stock is followed over a real WebSocket, step by step."""

from domain.access import Role
from tests.e2e.conftest import graphql, token

ADA = "ada@example.com"
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id status } userErrors { code message } } }"""
ADJUST = """
mutation($delta: Int!) { adjustStock(input: {sku: "TEE-M", locationCode: "WH-A",
  delta: $delta, reason: RECEIVED}) { userErrors { code } } }"""
CUSTOMER = """
query($email: String!) { customers(filter: {email: $email}) { edges { node { id } } } }"""
JOIN_TRADE = """
mutation($id: ID!) {
  createCustomerGroup(input: {code: "TRADE", name: "Trade"}) { userErrors { code } }
  assignCustomerGroup(input: {customerId: $id, groupCode: "TRADE"}) { userErrors { code } }
}"""
ONE_ORDER = """
subscription($id: ID!) { orderStatusChanged(orderId: $id) {
  sequence previousStatus status } }"""


async def test_each_arrival_that_allocates_a_backorder_publishes_its_status(
    servers, subscribers, shop_database, database_url
):
    # given a wholesale order waiting for 3 of its 8 TEE-M, followed by its customer
    server = await servers(database_url)
    [ada] = (await graphql(server, CUSTOMER, {"email": ADA}))["customers"]["edges"]
    await graphql(server, JOIN_TRADE, {"id": ada["node"]["id"]})
    placed = await graphql(
        server,
        PLACE,
        {
            "input": {
                "channel": "WHOLESALE",
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Dock Road",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
                "customerEmail": ADA,
                "allowBackorder": True,
                "lines": [{"sku": "TEE-M", "quantity": 8}],
            }
        },
    )
    order = placed["placeOrder"]["order"]
    assert order["status"] == "BACKORDERED"
    events = await subscribers(
        server, ONE_ORDER, {"id": order["id"]}, token=token(Role.CUSTOMER, customer=ADA), count=2
    )
    # when stock arrives in two deliveries
    await graphql(server, ADJUST, {"delta": 2})
    await graphql(server, ADJUST, {"delta": 1})
    # then each allocation goes out, in order
    steps = [e["data"]["orderStatusChanged"] for e in await events.events(2)]
    assert [(s["sequence"], s["previousStatus"], s["status"]) for s in steps] == [
        (2, "BACKORDERED", "BACKORDERED"),
        (3, "BACKORDERED", "PENDING"),
    ]
