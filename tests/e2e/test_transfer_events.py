"""Transfer status events over a real WebSocket, from a real server process."""

from domain.access import Role
from tests.e2e.conftest import ADMIN, graphql, token

ALL_TRANSFERS = """
subscription { transferStatusChanged {
  eventId sequence previousStatus status actor occurredAt
  transfer { number status fromLocation { code } toLocation { code }
             lines { sku quantity received lost } }
} }"""
ONE_TRANSFER = """
subscription($id: ID!) { transferStatusChanged(transferId: $id) {
  sequence status transfer { number }
} }"""
PAYLOAD = "transfer { id number status } userErrors { code message }"
CREATE = f"""
mutation($from: String!, $to: String!, $sku: String!, $quantity: Int!) {{
  createTransfer(input: {{fromLocationCode: $from, toLocationCode: $to,
                         lines: [{{sku: $sku, quantity: $quantity}}]}}) {{ {PAYLOAD} }} }}"""
REQUEST = f"""
mutation($id: ID!) {{ requestTransfer(input: {{transferId: $id}}) {{ {PAYLOAD} }} }}"""
SHIP = f"""
mutation($id: ID!) {{ shipTransfer(input: {{transferId: $id, carrier: "DHL",
  trackingNumber: "JD0001"}}) {{ {PAYLOAD} }} }}"""
RECEIVE = f"""
mutation($id: ID!, $quantity: Int!) {{ receiveTransfer(input: {{transferId: $id,
  lines: [{{sku: "TEE-S", quantity: $quantity}}]}}) {{ {PAYLOAD} }} }}"""


async def create(server, origin="WH-A", destination="ST-B", sku="TEE-S", quantity=2, auth=ADMIN):
    variables = {"from": origin, "to": destination, "sku": sku, "quantity": quantity}
    payload = (await graphql(server, CREATE, variables, auth=auth))["createTransfer"]
    assert payload["userErrors"] == [], payload
    return payload["transfer"]


async def step(server, mutation, transfer_id, **variables):
    data = await graphql(server, mutation, {"id": transfer_id} | variables)
    return next(iter(data.values()))


async def test_a_subscriber_follows_a_transfer_from_draft_to_partially_received(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    subscriber = await subscribers(server, ALL_TRANSFERS, token=ADMIN, count=4)

    transfer = await create(server, quantity=3)
    await step(server, REQUEST, transfer["id"])
    await step(server, SHIP, transfer["id"])
    await step(server, RECEIVE, transfer["id"], quantity=2)

    events = [e["data"]["transferStatusChanged"] for e in await subscriber.events(4)]
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in events] == [
        (1, None, "DRAFT"),
        (2, "DRAFT", "REQUESTED"),
        (3, "REQUESTED", "IN_TRANSIT"),
        (4, "IN_TRANSIT", "PARTIALLY_RECEIVED"),
    ]
    assert len({e["eventId"] for e in events}) == 4
    assert {e["actor"] for e in events} == {"admin"}
    assert events[-1]["transfer"] == {
        "number": transfer["number"],
        "status": "PARTIALLY_RECEIVED",
        "fromLocation": {"code": "WH-A"},
        "toLocation": {"code": "ST-B"},
        "lines": [{"sku": "TEE-S", "quantity": 3, "received": 2, "lost": 1}],
    }


async def test_staff_receive_events_only_of_transfers_from_or_to_where_they_work(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    store_c = token(Role.STAFF, locations=("ST-C",))
    subscriber = await subscribers(server, ALL_TRANSFERS, token=store_c)

    await create(server, origin="WH-A", destination="ST-B")
    own = await create(server, origin="WH-A", destination="ST-C")

    event = (await subscriber.next())["data"]["transferStatusChanged"]
    assert event["transfer"]["number"] == own["number"]
    assert event["transfer"]["toLocation"] == {"code": "ST-C"}


async def test_a_subscription_to_one_transfer_sees_only_that_transfer(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    watched = await create(server)
    other = await create(server)
    subscriber = await subscribers(server, ONE_TRANSFER, {"id": watched["id"]}, token=ADMIN)

    await step(server, REQUEST, other["id"])
    await step(server, REQUEST, watched["id"])

    event = (await subscriber.next())["data"]["transferStatusChanged"]
    assert event == {
        "sequence": 2,
        "status": "REQUESTED",
        "transfer": {"number": watched["number"]},
    }


async def test_a_refused_request_publishes_nothing(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    too_big = await create(server, quantity=999)
    subscriber = await subscribers(server, ALL_TRANSFERS, token=ADMIN)

    refused = await step(server, REQUEST, too_big["id"])
    assert refused["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    await step(server, REQUEST, (await create(server))["id"])

    event = (await subscriber.next())["data"]["transferStatusChanged"]
    assert (event["sequence"], event["status"]) == (1, "DRAFT")
    assert event["transfer"]["number"] != too_big["number"]


async def test_customers_anonymous_callers_and_outsiders_are_refused(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    transfer = await create(server)
    customer = token(Role.CUSTOMER, customer="ada@example.com")
    outsider = token(Role.STAFF, locations=("ST-C",))

    refusals = [
        await subscribers(server, ALL_TRANSFERS),
        await subscribers(server, ALL_TRANSFERS, token=customer),
        await subscribers(server, ONE_TRANSFER, {"id": transfer["id"]}, token=outsider),
    ]

    codes = [(await s.next())["errors"][0]["extensions"]["code"] for s in refusals]
    assert codes == ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND"]
