"""Work order status events over a real WebSocket, from a real server process."""

import pytest

from domain.access import Principal, Role
from domain.commands.manufacturing import ComponentRequest, SetBillOfMaterials
from domain.usecases.boms import set_bill_of_materials
from persistence.uow import SqlUnitOfWork
from tests.api.manufacturing_documents import DUE, TABLE_BOM, build_workshop
from tests.e2e.conftest import ADMIN, graphql, token

ALL_WORK_ORDERS = """
subscription { workOrderStatusChanged {
  eventId sequence previousStatus status actor occurredAt
  workOrder { number status produced scrapped location { code }
              components { sku reserved consumed } }
} }"""
ONE_WORK_ORDER = """
subscription($id: ID!) { workOrderStatusChanged(workOrderId: $id) {
  sequence status workOrder { number }
} }"""
PAYLOAD = "workOrder { id number status } userErrors { code message }"
CREATE = f"""
mutation($quantity: Int!, $location: String!, $due: Date!) {{
  createWorkOrder(input: {{sku: "TABLE", quantity: $quantity, locationCode: $location,
                          dueDate: $due}}) {{ {PAYLOAD} }} }}"""
RELEASE = f"""
mutation($id: ID!) {{ releaseWorkOrder(input: {{workOrderId: $id}}) {{ {PAYLOAD} }} }}"""
START = f"""
mutation($id: ID!) {{ startWorkOrder(input: {{workOrderId: $id}}) {{ {PAYLOAD} }} }}"""
COMPLETE = f"""
mutation($id: ID!, $produced: Int!, $scrapped: Int!) {{ completeWorkOrder(input: {{
  workOrderId: $id, producedQuantity: $produced, scrappedQuantity: $scrapped}}) {{
  {PAYLOAD} }} }}"""


@pytest.fixture
async def workshop_database(shop_database):
    """The shop, the workshop's parts at WH-A, and the TABLE's bill of materials."""
    await build_workshop(shop_database)
    await set_bill_of_materials(
        SqlUnitOfWork(shop_database),
        Principal.system("test-setup"),
        SetBillOfMaterials("TABLE", tuple(ComponentRequest(*pair) for pair in TABLE_BOM)),
    )
    return shop_database


async def create(server, quantity=2, location="WH-A"):
    variables = {"quantity": quantity, "location": location, "due": DUE}
    payload = (await graphql(server, CREATE, variables))["createWorkOrder"]
    assert payload["userErrors"] == [], payload
    return payload["workOrder"]


async def step(server, mutation, work_order_id, **variables):
    data = await graphql(server, mutation, {"id": work_order_id} | variables)
    return next(iter(data.values()))


async def test_a_subscriber_follows_a_work_order_from_planned_to_completed(
    servers, subscribers, workshop_database, database_url
):
    server = await servers(database_url)
    subscriber = await subscribers(server, ALL_WORK_ORDERS, token=ADMIN, count=5)

    work_order = await create(server, quantity=2)
    await step(server, RELEASE, work_order["id"])
    await step(server, START, work_order["id"])
    await step(server, COMPLETE, work_order["id"], produced=1, scrapped=0)
    await step(server, COMPLETE, work_order["id"], produced=0, scrapped=1)

    events = [e["data"]["workOrderStatusChanged"] for e in await subscriber.events(5)]
    assert [(e["sequence"], e["previousStatus"], e["status"]) for e in events] == [
        (1, None, "PLANNED"),
        (2, "PLANNED", "RELEASED"),
        (3, "RELEASED", "IN_PROGRESS"),
        (4, "IN_PROGRESS", "PARTIALLY_COMPLETED"),
        (5, "PARTIALLY_COMPLETED", "COMPLETED"),
    ]
    assert len({e["eventId"] for e in events}) == 5
    assert {e["actor"] for e in events} == {"admin"}
    assert events[-1]["workOrder"] == {
        "number": work_order["number"],
        "status": "COMPLETED",
        "produced": 1,
        "scrapped": 1,
        "location": {"code": "WH-A"},
        "components": [
            {"sku": "LEG", "reserved": 0, "consumed": 8},
            {"sku": "TOP", "reserved": 0, "consumed": 2},
            {"sku": "SCREW", "reserved": 0, "consumed": 16},
        ],
    }


async def test_staff_receive_events_only_of_work_orders_where_they_work(
    servers, subscribers, workshop_database, database_url
):
    server = await servers(database_url)
    store = token(Role.STAFF, locations=("ST-B",))
    subscriber = await subscribers(server, ALL_WORK_ORDERS, token=store)

    await create(server, location="WH-A")
    own = await create(server, location="ST-B")

    event = (await subscriber.next())["data"]["workOrderStatusChanged"]
    assert event["workOrder"]["number"] == own["number"]
    assert event["workOrder"]["location"] == {"code": "ST-B"}


async def test_a_subscription_to_one_work_order_sees_only_that_one(
    servers, subscribers, workshop_database, database_url
):
    server = await servers(database_url)
    watched = await create(server, quantity=1)
    other = await create(server, quantity=1)
    subscriber = await subscribers(server, ONE_WORK_ORDER, {"id": watched["id"]}, token=ADMIN)

    await step(server, RELEASE, other["id"])
    await step(server, RELEASE, watched["id"])

    event = (await subscriber.next())["data"]["workOrderStatusChanged"]
    assert event == {
        "sequence": 2,
        "status": "RELEASED",
        "workOrder": {"number": watched["number"]},
    }


async def test_a_refused_release_publishes_nothing(
    servers, subscribers, workshop_database, database_url
):
    server = await servers(database_url)
    too_big = await create(server, quantity=50)
    subscriber = await subscribers(server, ALL_WORK_ORDERS, token=ADMIN)

    refused = await step(server, RELEASE, too_big["id"])
    assert refused["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    await create(server, quantity=1)

    event = (await subscriber.next())["data"]["workOrderStatusChanged"]
    assert (event["sequence"], event["status"]) == (1, "PLANNED")
    assert event["workOrder"]["number"] != too_big["number"]


async def test_pos_terminals_customers_anonymous_callers_and_outsiders_are_refused(
    servers, subscribers, workshop_database, database_url
):
    server = await servers(database_url)
    work_order = await create(server)
    outsider = token(Role.STAFF, locations=("ST-C",))

    refusals = [
        await subscribers(server, ALL_WORK_ORDERS),
        await subscribers(server, ALL_WORK_ORDERS, token=token(Role.POS, locations=("WH-A",))),
        await subscribers(
            server, ALL_WORK_ORDERS, token=token(Role.CUSTOMER, customer="ada@example.com")
        ),
        await subscribers(server, ONE_WORK_ORDER, {"id": work_order["id"]}, token=outsider),
    ]

    codes = [(await s.next())["errors"][0]["extensions"]["code"] for s in refusals]
    assert codes == ["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"]
