"""A booked service followed on orderStatusChanged over a real WebSocket, from a real server
process: a service order's steps go out like any order's."""

from domain.access import Role
from tests.api.services_documents import tomorrow
from tests.e2e.conftest import ADMIN, graphql, token

ALL_ORDERS = """
subscription { orderStatusChanged {
  eventId sequence previousStatus status actor
  order { number status fulfilment booking { location { code } slotStart } }
} }"""
ONE_ORDER = """
subscription($id: ID!, $after: Int) { orderStatusChanged(orderId: $id, afterSequence: $after) {
  sequence status
} }"""
SET_UP = """
mutation {
  createProduct(input: {name: "Haircut", kind: SERVICE, variants: [
    {sku: "CUT", name: "Cut", price: {amount: "30.00", currency: "USD"}}]}) {
    userErrors { code } }
  setServiceCapacity(input: {sku: "CUT", locationCode: "ST-B", slotMinutes: 60, capacity: 2}) {
    userErrors { code } }
}"""
PAYLOAD = "order { id number status } userErrors { code message }"
BOOK = f"""
mutation($when: DateTime!) {{ bookService(input: {{sku: "CUT", locationCode: "ST-B",
  scheduledAt: $when, customerEmail: "ada@example.com"}}) {{ {PAYLOAD} }} }}"""
START = f"mutation($id: ID!) {{ startService(input: {{orderId: $id}}) {{ {PAYLOAD} }} }}"
COMPLETE = f"""
mutation($id: ID!) {{ completeService(input: {{orderId: $id, consumablesUsed: []}}) {{
  {PAYLOAD} }} }}"""


async def run(server, mutation, variables, auth=ADMIN):
    payload = next(iter((await graphql(server, mutation, variables, auth=auth)).values()))
    assert payload["userErrors"] == [], payload
    return payload["order"]


async def test_staff_at_the_location_follow_a_service_from_booked_to_completed(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    assert await graphql(server, SET_UP) == {
        "createProduct": {"userErrors": []},
        "setServiceCapacity": {"userErrors": []},
    }
    staff = token(Role.STAFF, locations=("ST-B",))
    subscriber = await subscribers(server, ALL_ORDERS, token=staff, count=3)

    order = await run(server, BOOK, {"when": tomorrow(10, 15)})
    await run(server, START, {"id": order["id"]}, auth=staff)
    await run(server, COMPLETE, {"id": order["id"]}, auth=staff)

    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(3)]
    assert [(e["sequence"], e["previousStatus"], e["status"], e["actor"]) for e in events] == [
        (1, None, "BOOKED", "admin"),
        (2, "BOOKED", "IN_SERVICE", "staff"),
        (3, "IN_SERVICE", "COMPLETED", "staff"),
    ]
    assert events[-1]["order"] == {
        "number": order["number"],
        "status": "COMPLETED",
        "fulfilment": "SERVICE",
        "booking": {"location": {"code": "ST-B"}, "slotStart": tomorrow(10)},
    }


async def test_a_customer_resumes_its_booking_after_a_sequence(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    await graphql(server, SET_UP)
    ada = token(Role.CUSTOMER, customer="ada@example.com")
    order = await run(server, BOOK, {"when": tomorrow(11)}, auth=ada)
    await run(server, START, {"id": order["id"]})

    subscriber = await subscribers(
        server, ONE_ORDER, {"id": order["id"], "after": 1}, token=ada, count=2
    )
    await run(server, COMPLETE, {"id": order["id"]})

    events = [e["data"]["orderStatusChanged"] for e in await subscriber.events(2)]
    assert [(e["sequence"], e["status"]) for e in events] == [(2, "IN_SERVICE"), (3, "COMPLETED")]
