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
    order_id = await _confirmed_web_order(server)
    subscriber = await subscribers(
        server, ONE_ORDER, {"id": order_id}, token=token(Role.CUSTOMER, customer=ADA), count=2
    )

    shipment_id = await _ship(server, order_id)
    in_transit, delivered = (
        {"input": {"shipmentId": shipment_id, "status": status, "occurredAt": _now()}}
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


MY_SHIPMENTS = """
subscription { shipmentStatusChanged {
  sequence previousStatus status shipment { trackingNumber order { id } }
} }"""


async def test_a_customer_follows_the_tracking_of_its_parcels(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    order_id = await _confirmed_web_order(server)
    subscriber = await subscribers(
        server, MY_SHIPMENTS, token=token(Role.CUSTOMER, customer=ADA), count=2
    )

    shipment_id = await _ship(server, order_id)
    for status in ("IN_TRANSIT", "DELIVERED"):
        report = {"shipmentId": shipment_id, "status": status}
        await graphql(server, TRACK, {"input": report | {"occurredAt": _now()}})

    events = [e["data"]["shipmentStatusChanged"] for e in await subscriber.events(2)]
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in events] == [
        (1, "SHIPPED", "IN_TRANSIT"),
        (2, "IN_TRANSIT", "DELIVERED"),
    ]
    assert {e["shipment"]["order"]["id"] for e in events} == {order_id}


async def _confirmed_web_order(server) -> str:
    """The id of a confirmed web order of Ada's for one TEE-S, to be shipped."""
    order_input = {
        "channel": "WEB",
        "fulfilment": "SHIPPING",
        "shippingAddress": {
            "line1": "1 Road",
            "city": "Springfield",
            "postalCode": "62701",
            "country": "US",
        },
        "customerEmail": ADA,
        "lines": [{"sku": "TEE-S", "quantity": 1}],
    }
    order = (await graphql(server, PLACE, {"input": order_input}))["placeOrder"]["order"]
    await graphql(server, CONFIRM, {"id": order["id"]})
    return order["id"]


async def _ship(server, order_id: str) -> str:
    """Ship the order whole; the id of its one shipment."""
    shipped = await graphql(server, SHIP, {"id": order_id})
    return shipped["shipOrder"]["order"]["shipments"][0]["id"]


def _now() -> str:
    return datetime.now(UTC).isoformat()
