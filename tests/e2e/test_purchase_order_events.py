"""Purchase order status events over a real WebSocket, from a real server process."""

from domain.access import Role
from tests.e2e.conftest import ADMIN, graphql, token

ALL_PURCHASE_ORDERS = """
subscription { purchaseOrderStatusChanged {
  eventId sequence previousStatus status actor occurredAt
  purchaseOrder { number status supplier { code } location { code }
                  lines { sku quantity received outstanding } }
} }"""
ONE_PURCHASE_ORDER = """
subscription($id: ID!) { purchaseOrderStatusChanged(purchaseOrderId: $id) {
  sequence status purchaseOrder { number }
} }"""
CREATE_SUPPLIER = """
mutation { createSupplier(input: {code: "ACME", name: "Acme", leadTimeDays: 7}) {
  userErrors { code } } }"""
PAYLOAD = "purchaseOrder { id number status } userErrors { code message }"
CREATE = f"""
mutation($location: String!, $quantity: Int!) {{
  createPurchaseOrder(input: {{supplierCode: "ACME", locationCode: $location,
    lines: [{{sku: "TEE-M", quantity: $quantity, unitCost: "4.20"}}]}}) {{ {PAYLOAD} }} }}"""
SUBMIT = f"""
mutation($id: ID!) {{ submitPurchaseOrder(input: {{purchaseOrderId: $id}}) {{ {PAYLOAD} }} }}"""
RECEIVE = f"""
mutation($id: ID!, $quantity: Int!) {{ receivePurchaseOrder(input: {{purchaseOrderId: $id,
  lines: [{{sku: "TEE-M", quantity: $quantity}}]}}) {{ {PAYLOAD} }} }}"""
CANCEL = f"""
mutation($id: ID!) {{ cancelPurchaseOrder(input: {{purchaseOrderId: $id}}) {{ {PAYLOAD} }} }}"""


async def supplied(server):
    """The server, with a supplier ACME to buy from."""
    assert (await graphql(server, CREATE_SUPPLIER))["createSupplier"]["userErrors"] == []
    return server


async def create(server, location="WH-A", quantity=10):
    variables = {"location": location, "quantity": quantity}
    payload = (await graphql(server, CREATE, variables))["createPurchaseOrder"]
    assert payload["userErrors"] == [], payload
    return payload["purchaseOrder"]


async def step(server, mutation, order_id, **variables):
    data = await graphql(server, mutation, {"id": order_id} | variables)
    return next(iter(data.values()))


async def test_a_subscriber_follows_a_purchase_order_from_draft_to_received(
    servers, subscribers, shop_database, database_url
):
    server = await supplied(await servers(database_url))
    subscriber = await subscribers(server, ALL_PURCHASE_ORDERS, token=ADMIN, count=4)

    order = await create(server, quantity=10)
    await step(server, SUBMIT, order["id"])
    await step(server, RECEIVE, order["id"], quantity=6)
    await step(server, RECEIVE, order["id"], quantity=4)

    events = [e["data"]["purchaseOrderStatusChanged"] for e in await subscriber.events(4)]
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in events] == [
        (1, None, "DRAFT"),
        (2, "DRAFT", "ORDERED"),
        (3, "ORDERED", "PARTIALLY_RECEIVED"),
        (4, "PARTIALLY_RECEIVED", "RECEIVED"),
    ]
    assert len({e["eventId"] for e in events}) == 4
    assert {e["actor"] for e in events} == {"admin"}
    assert events[-1]["purchaseOrder"] == {
        "number": order["number"],
        "status": "RECEIVED",
        "supplier": {"code": "ACME"},
        "location": {"code": "WH-A"},
        "lines": [{"sku": "TEE-M", "quantity": 10, "received": 10, "outstanding": 0}],
    }


async def test_staff_receive_events_only_of_purchase_orders_for_where_they_work(
    servers, subscribers, shop_database, database_url
):
    server = await supplied(await servers(database_url))
    store = token(Role.STAFF, locations=("ST-B",))
    subscriber = await subscribers(server, ALL_PURCHASE_ORDERS, token=store)

    await create(server, location="WH-A")
    own = await create(server, location="ST-B")

    event = (await subscriber.next())["data"]["purchaseOrderStatusChanged"]
    assert event["purchaseOrder"]["number"] == own["number"]
    assert event["purchaseOrder"]["location"] == {"code": "ST-B"}


async def test_a_subscription_to_one_purchase_order_sees_only_that_one(
    servers, subscribers, shop_database, database_url
):
    server = await supplied(await servers(database_url))
    watched = await create(server)
    other = await create(server)
    subscriber = await subscribers(server, ONE_PURCHASE_ORDER, {"id": watched["id"]}, token=ADMIN)

    await step(server, SUBMIT, other["id"])
    await step(server, CANCEL, watched["id"])

    event = (await subscriber.next())["data"]["purchaseOrderStatusChanged"]
    assert event == {
        "sequence": 2,
        "status": "CANCELLED",
        "purchaseOrder": {"number": watched["number"]},
    }


async def test_a_refused_receipt_publishes_nothing(
    servers, subscribers, shop_database, database_url
):
    server = await supplied(await servers(database_url))
    order = await create(server, quantity=2)
    await step(server, SUBMIT, order["id"])
    subscriber = await subscribers(server, ALL_PURCHASE_ORDERS, token=ADMIN)

    refused = await step(server, RECEIVE, order["id"], quantity=3)
    assert refused["userErrors"][0]["code"] == "INVALID_INPUT"
    await step(server, RECEIVE, order["id"], quantity=2)

    event = (await subscriber.next())["data"]["purchaseOrderStatusChanged"]
    assert (event["sequence"], event["status"]) == (3, "RECEIVED")


async def test_pos_terminals_customers_anonymous_callers_and_outsiders_are_refused(
    servers, subscribers, shop_database, database_url
):
    server = await supplied(await servers(database_url))
    order = await create(server)
    customer = token(Role.CUSTOMER, customer="ada@example.com")
    till = token(Role.POS, locations=("WH-A",))
    outsider = token(Role.STAFF, locations=("ST-C",))

    refusals = [
        await subscribers(server, ALL_PURCHASE_ORDERS),
        await subscribers(server, ALL_PURCHASE_ORDERS, token=customer),
        await subscribers(server, ALL_PURCHASE_ORDERS, token=till),
        await subscribers(server, ONE_PURCHASE_ORDER, {"id": order["id"]}, token=outsider),
    ]

    codes = [(await s.next())["errors"][0]["extensions"]["code"] for s in refusals]
    assert codes == ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"]
