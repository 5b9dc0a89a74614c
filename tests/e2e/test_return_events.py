"""Return status changes over a real WebSocket, against a real server process."""

from domain.access import Role
from tests.e2e.conftest import ADMIN, graphql, token

ADA = "ada@example.com"
BOB = "bob@example.com"
ALL_RETURNS = """
subscription { returnStatusChanged {
  eventId sequence previousStatus status actor
  return { number status refund { amount currency } order { number } }
} }"""
ONE_RETURN = """
subscription($id: ID!) { returnStatusChanged(returnId: $id) {
  sequence previousStatus status actor return { status receivingLocation { code } }
} }"""
ONE_ORDER = """
subscription($id: ID!) { orderStatusChanged(orderId: $id) { sequence previousStatus status } }"""
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id number } userErrors { code } } }"""
CONFIRM = """
mutation($id: ID!) { confirmOrder(input: {orderId: $id}) { userErrors { code } } }"""
SHIP = """
mutation($id: ID!) { shipOrder(input: {orderId: $id, carrier: "UPS", trackingNumber: "1Z",
  lines: [{sku: "TEE-S", quantity: 2}]}) { userErrors { code } } }"""
REQUEST = """
mutation($id: ID!) { requestReturn(input: {orderId: $id,
  lines: [{sku: "TEE-S", quantity: 2, reason: "too small"}]}) {
  return { id number } userErrors { code message } } }"""
APPROVE = """
mutation($id: ID!) { approveReturn(input: {returnId: $id}) { userErrors { code } } }"""
RECEIVE = """
mutation($id: ID!) { receiveReturn(input: {returnId: $id, locationCode: "ST-C",
  lines: [{sku: "TEE-S", quantity: 2, disposition: RESTOCK}]}) { userErrors { code } } }"""
REFUND = """
mutation($id: ID!) { refundReturn(input: {returnId: $id}) { userErrors { code } } }"""


async def shipped_order(server, customer):
    placed = await graphql(
        server,
        PLACE,
        {
            "input": {
                "channel": "WEB",
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Road",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
                "customerEmail": customer,
                "lines": [{"sku": "TEE-S", "quantity": 2}],
            }
        },
    )
    order = placed["placeOrder"]["order"]
    await graphql(server, CONFIRM, {"id": order["id"]})
    await graphql(server, SHIP, {"id": order["id"]})
    return order


async def request_return(server, order, customer):
    payload = await graphql(
        server, REQUEST, {"id": order["id"]}, auth=token(Role.CUSTOMER, customer=customer)
    )
    assert payload["requestReturn"]["userErrors"] == []
    return payload["requestReturn"]["return"]


async def test_a_customer_follows_its_own_return_from_request_to_refund_and_no_other(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    bobs_order = await shipped_order(server, BOB)
    adas_order = await shipped_order(server, ADA)
    subscriber = await subscribers(
        server, ALL_RETURNS, token=token(Role.CUSTOMER, customer=ADA), count=4
    )

    await request_return(server, bobs_order, BOB)
    rma = await request_return(server, adas_order, ADA)
    for mutation in (APPROVE, RECEIVE, REFUND):
        await graphql(server, mutation, {"id": rma["id"]})

    events = [e["data"]["returnStatusChanged"] for e in await subscriber.events(4)]
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in events] == [
        (1, None, "REQUESTED"),
        (2, "REQUESTED", "APPROVED"),
        (3, "APPROVED", "RECEIVED"),
        (4, "RECEIVED", "REFUNDED"),
    ]
    assert [e["actor"] for e in events] == [ADA, "admin", "admin", "admin"]
    assert {e["return"]["number"] for e in events} == {rma["number"]}
    assert {e["return"]["order"]["number"] for e in events} == {adas_order["number"]}
    assert events[-1]["return"]["refund"] == {"amount": "39.80", "currency": "USD"}
    assert len({e["eventId"] for e in events}) == 4


async def test_receiving_a_return_is_followed_on_the_return_and_on_its_order(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    order = await shipped_order(server, ADA)
    rma = await request_return(server, order, ADA)
    store_clerk = token(Role.STAFF, locations=("WH-A", "ST-C"))
    return_events = await subscribers(
        server, ONE_RETURN, {"id": rma["id"]}, token=store_clerk, count=2
    )
    order_events = await subscribers(server, ONE_ORDER, {"id": order["id"]}, token=ADMIN)

    await graphql(server, APPROVE, {"id": rma["id"]})
    received = await graphql(server, RECEIVE, {"id": rma["id"]}, auth=store_clerk)

    assert received["receiveReturn"]["userErrors"] == []
    approved, receipt = (e["data"]["returnStatusChanged"] for e in await return_events.events(2))
    assert (approved["sequence"], approved["status"]) == (2, "APPROVED")
    assert (receipt["sequence"], receipt["status"], receipt["actor"]) == (3, "RECEIVED", "staff")
    assert receipt["return"] == {"status": "RECEIVED", "receivingLocation": {"code": "ST-C"}}
    returned = (await order_events.next())["data"]["orderStatusChanged"]
    assert returned == {"sequence": 4, "previousStatus": "SHIPPED", "status": "RETURNED"}


async def test_following_a_return_the_caller_may_not_see_is_refused(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    order = await shipped_order(server, ADA)
    rma = await request_return(server, order, ADA)

    bob = await subscribers(
        server, ONE_RETURN, {"id": rma["id"]}, token=token(Role.CUSTOMER, customer=BOB)
    )
    anonymous = await subscribers(server, ALL_RETURNS)

    assert (await bob.next())["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await anonymous.next())["errors"][0]["extensions"]["code"] == "FORBIDDEN"
