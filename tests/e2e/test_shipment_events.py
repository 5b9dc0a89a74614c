"""An order delivered by its carrier's tracking events, followed over a real WebSocket."""

from datetime import UTC, datetime

from domain.access import Role
from tests.e2e.conftest import graphql, token

ADA = "ada@example.com"
ONE_ORDER = """
subscription($id: ID!) { orderStatusChanged(orderId: $id) {
  sequence previousStatus status actor order { status }
} }"""
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id } userErrors { code } } }"""
CONFIRM = """
mutation($id: ID!) { confirmOrder(input: {orderId: $id}) { userErrors { code } } }"""
SHIP = """
mutation($id: ID!) { shipOrder(input: {orderId: $id, carrier: "UPS", trackingNumber: "1Z",
  lines: [{sku: "TEE-S", quantity: 1}]}) { order { shipments { id } } userErrors { code } } }"""
TRACK = """
mutation($input: AddTrackingEventInput!) { addTrackingEvent(input: $input) {
  order { status } userErrors { code message } } }"""


async def test_a_customer_sees_its_order_delivered_when_the_carrier_reports_it(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    order_input = {
        "channel": "WEB",
        "fulfilment": "SHIPPING",
        "shippingAddress": "1 Road",
        "customerEmail": ADA,
        "lines": [{"sku": "TEE-S", "quantity": 1}],
    }
    order = (await graphql(server, PLACE, {"input": order_input}))["placeOrder"]["order"]
    await graphql(server, CONFIRM, {"id": order["id"]})
    subscriber = await subscribers(
        server, ONE_ORDER, {"id": order["id"]}, token=token(Role.CUSTOMER, customer=ADA), count=2
    )

    shipped = await graphql(server, SHIP, {"id": order["id"]})
    shipment_id = shipped["shipOrder"]["order"]["shipments"][0]["id"]
    in_transit, delivered = (
        {
            "input": {
                "shipmentId": shipment_id,
                "status": status,
                "occurredAt": datetime.now(UTC).isoformat(),
            }
        }
        for status in ("IN_TRANSIT", "DELIVERED")
    )
    await graphql(server, TRACK, in_transit, auth=token(Role.STAFF, locations=("WH-A",)))
    tracked = await graphql(server, TRACK, delivered, auth=token(Role.STAFF, locations=("WH-A",)))

    assert tracked["addTrackingEvent"] == {"order": {"status": "DELIVERED"}, "userErrors": []}
    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(2)]
    assert [(e["sequence"], e["previousStatus"], e["status"], e["actor"]) for e in events] == [
        (3, "CONFIRMED", "SHIPPED", "admin"),
        (4, "SHIPPED", "DELIVERED", "staff"),
    ]
    assert events[-1]["order"] == {"status": "DELIVERED"}
