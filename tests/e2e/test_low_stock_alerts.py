"""Low-stock alerts over a real WebSocket, against a real server process."""

from domain.access import Role
from tests.e2e.conftest import graphql, token

ALERTS = """
subscription($location: String) { lowStockAlert(locationCode: $location) {
  onHand reserved available reorderPoint variant { sku } location { code }
} }"""
THRESHOLDS = """
mutation($input: SetStockThresholdsInput!) {
  setStockThresholds(input: $input) { userErrors { code } } }"""
ADJUST = """
mutation($input: AdjustStockInput!) { adjustStock(input: $input) { userErrors { code } } }"""
PLACE = """
mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { number } userErrors { code } } }"""
START_COUNT = """
mutation($input: StartStockCountInput!) { startStockCount(input: $input) {
  stockCount { id } userErrors { code } } }"""
SUBMIT_COUNT = """
mutation($input: SubmitStockCountInput!) { submitStockCount(input: $input) {
  stockCount { status } userErrors { code } } }"""


async def set_reorder_point(server, sku, location, reorder_point):
    fields = {"sku": sku, "locationCode": location, "reorderPoint": reorder_point, "safetyStock": 0}
    data = await graphql(server, THRESHOLDS, {"input": fields})
    assert data["setStockThresholds"]["userErrors"] == []


async def receive(server, sku, location, units):
    fields = {"sku": sku, "locationCode": location, "delta": units, "reason": "RECEIVED"}
    assert (await graphql(server, ADJUST, {"input": fields}))["adjustStock"]["userErrors"] == []


async def order_pickup(server, sku, quantity, store="ST-B"):
    fields = {
        "channel": "POS",
        "fulfilment": "PICKUP",
        "pickupLocationCode": store,
        "lines": [{"sku": sku, "quantity": quantity}],
    }
    assert (await graphql(server, PLACE, {"input": fields}))["placeOrder"]["userErrors"] == []


async def count(server, location, sku, counted):
    started = await graphql(
        server, START_COUNT, {"input": {"locationCode": location, "skus": [sku]}}
    )
    count_id = started["startStockCount"]["stockCount"]["id"]
    fields = {"countId": count_id, "lines": [{"sku": sku, "counted": counted}]}
    submitted = await graphql(server, SUBMIT_COUNT, {"input": fields})
    assert submitted["submitStockCount"]["userErrors"] == []


async def test_a_store_is_alerted_each_time_a_level_falls_to_its_reorder_point(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    await set_reorder_point(server, "MUG", "ST-B", 2)
    await set_reorder_point(server, "TEE-S", "WH-A", 9)
    till = token(Role.POS, locations=("ST-B",))
    subscriber = await subscribers(server, ALERTS, {"location": "ST-B"}, token=till, count=2)
    await receive(server, "TEE-S", "ST-B", 1)  # no threshold crossed
    await order_pickup(server, "TEE-S", 2, store="ST-B")  # 4 -> 2 available, reorder point 0
    await count(server, "WH-A", "TEE-S", 8)  # crosses at another location
    await order_pickup(server, "MUG", 2)  # 4 -> 2: falls to the reorder point
    first = (await subscriber.next())["data"]["lowStockAlert"]
    await order_pickup(server, "MUG", 1)  # 2 -> 1: still low, no new alert
    await receive(server, "MUG", "ST-B", 5)  # 1 -> 6: back above it
    await count(server, "ST-B", "MUG", 4)  # on hand 9 -> 4, 3 reserved: 1 available
    second = (await subscriber.next())["data"]["lowStockAlert"]
    assert first == {
        "onHand": 4,
        "reserved": 2,
        "available": 2,
        "reorderPoint": 2,
        "variant": {"sku": "MUG"},
        "location": {"code": "ST-B"},
    }
    assert (second["onHand"], second["reserved"], second["available"]) == (4, 3, 1)
    assert second["variant"] == {"sku": "MUG"}


async def test_without_a_location_every_location_alerts(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    await set_reorder_point(server, "TEE-S", "WH-A", 9)
    staff = token(Role.STAFF)
    subscriber = await subscribers(server, ALERTS, token=staff)
    await count(server, "WH-A", "TEE-S", 8)
    alert = (await subscriber.next())["data"]["lowStockAlert"]
    assert (alert["location"], alert["variant"], alert["available"]) == (
        {"code": "WH-A"},
        {"sku": "TEE-S"},
        8,
    )


async def test_only_staff_and_pos_may_follow_alerts(
    servers, subscribers, shop_database, database_url
):
    server = await servers(database_url)
    customer = await subscribers(
        server, ALERTS, token=token(Role.CUSTOMER, customer="ada@example.com")
    )
    anonymous = await subscribers(server, ALERTS)
    for subscriber in (customer, anonymous):
        message = await subscriber.next()
        assert message["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await subscribers(server, ALERTS, {"location": "NOWHERE"}, token=token(Role.ADMIN))
    assert (await unknown.next())["errors"][0]["extensions"]["code"] == "NOT_FOUND"
