"""Property: whatever clients do, the stock ledger holds.

Hypothesis drives random sequences of orders, backorders, cancellations, shipments, pickups,
adjustments, transfers, returns, counts, write-offs and purchase orders (submitted, received
in parts, cancelled) and work orders (a MUG made of a TEE-S and two TEE-M: released,
completed in parts, cancelled) through the GraphQL API, on a fresh
database of each back-end per sequence. Many operations are refused (not enough stock, a
wrong status): that is part of the point. After every step, every level must equal the sum
of its movements, no quantity may be negative, reserved may not exceed on hand, and no
response may be an internal error.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.settings import Settings
from domain.access import Principal, Role
from persistence.database import Database
from persistence.reads import stock as stock_reads
from tests.api.conftest import SECRET, build_shop
from tests.api.ledger_documents import assert_stock_holds
from tests.conftest import BACKENDS, fresh_database

SKUS = ["TEE-S", "TEE-M", "MUG"]
LOCATIONS = ["WH-A", "ST-B", "ST-C"]
STOCK = {(sku, location): 6 for sku in SKUS for location in LOCATIONS[:2]}

PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id } userErrors { code } } }"""
TRADE_CUSTOMER = """mutation($input: CreateCustomerGroupInput!) {
  createCustomerGroup(input: $input) { userErrors { code } } }"""
ASSIGN_GROUP = """mutation($input: AssignCustomerGroupInput!) {
  assignCustomerGroup(input: $input) { userErrors { code } } }"""
CUSTOMER_ID = """query { customers(filter: {email: "ada@example.com"}) {
  edges { node { id } } } }"""
SHIP = """mutation($input: ShipOrderInput!) { shipOrder(input: $input) { userErrors { code } } }"""
ADJUST = """mutation($input: AdjustStockInput!) { adjustStock(input: $input) {
  userErrors { code } } }"""
CREATE_TRANSFER = """mutation($input: CreateTransferInput!) { createTransfer(input: $input) {
  transfer { id } userErrors { code } } }"""
SHIP_TRANSFER = """mutation($input: ShipTransferInput!) { shipTransfer(input: $input) {
  userErrors { code } } }"""
RECEIVE_TRANSFER = """mutation($input: ReceiveTransferInput!) { receiveTransfer(input: $input) {
  userErrors { code } } }"""
REQUEST_RETURN = """mutation($input: RequestReturnInput!) { requestReturn(input: $input) {
  return { id } userErrors { code } } }"""
RECEIVE_RETURN = """mutation($input: ReceiveReturnInput!) { receiveReturn(input: $input) {
  userErrors { code } } }"""
START_COUNT = """mutation($input: StartStockCountInput!) { startStockCount(input: $input) {
  stockCount { id } userErrors { code } } }"""
SUBMIT_COUNT = """mutation($input: SubmitStockCountInput!) { submitStockCount(input: $input) {
  userErrors { code } } }"""
WRITE_OFF = """mutation($input: WriteOffDamagedInput!) { writeOffDamaged(input: $input) {
  userErrors { code } } }"""
CREATE_SUPPLIER = """mutation($input: CreateSupplierInput!) { createSupplier(input: $input) {
  userErrors { code } } }"""
CREATE_PURCHASE_ORDER = """mutation($input: CreatePurchaseOrderInput!) {
  createPurchaseOrder(input: $input) { purchaseOrder { id } userErrors { code } } }"""
RECEIVE_PURCHASE_ORDER = """mutation($input: ReceivePurchaseOrderInput!) {
  receivePurchaseOrder(input: $input) { userErrors { code } } }"""
SET_BOM = """mutation($input: SetBillOfMaterialsInput!) { setBillOfMaterials(input: $input) {
  userErrors { code } } }"""
MUG_BOM = [{"sku": "TEE-S", "quantity": 1}, {"sku": "TEE-M", "quantity": 2}]
CREATE_WORK_ORDER = """mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) {
  workOrder { id } userErrors { code } } }"""
COMPLETE_WORK_ORDER = """mutation($input: CompleteWorkOrderInput!) {
  completeWorkOrder(input: $input) { userErrors { code } } }"""
DUE = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()


def status_step(mutation: str, input_type: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
  userErrors {{ code }} }} }}"""


sku = st.sampled_from(SKUS)
location = st.sampled_from(LOCATIONS)
quantity = st.integers(min_value=1, max_value=8)
pick = st.integers(min_value=0, max_value=20)  # which earlier document; wraps around

operations = st.one_of(
    st.tuples(st.just("place"), sku, quantity, st.booleans()),
    st.tuples(st.just("backorder"), sku, quantity),
    st.tuples(st.just("confirm"), pick),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("ship"), pick, quantity),
    st.tuples(st.just("collect"), pick),
    st.tuples(st.just("adjust"), sku, location, st.integers(-5, 5).filter(bool)),
    st.tuples(st.just("damage"), sku, location, quantity),
    st.tuples(st.just("transfer"), sku, location, location, quantity, st.integers(0, 3)),
    st.tuples(st.just("cancel_transfer"), pick),
    st.tuples(st.just("return"), pick, quantity, st.booleans(), location),
    st.tuples(st.just("count"), sku, location, st.integers(0, 12)),
    st.tuples(st.just("write_off"), sku, location, quantity),
    st.tuples(st.just("purchase"), sku, location, quantity, st.booleans()),
    st.tuples(st.just("receive_purchase"), pick, quantity),
    st.tuples(st.just("cancel_purchase"), pick),
    st.tuples(st.just("make"), location, st.integers(1, 3), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("cancel_work_order"), pick),
)


@dataclass
class Shopfloor:
    """The API under test, and the documents created so far."""

    client: httpx.AsyncClient
    token: str
    orders: list[str] = field(default_factory=list)
    transfers: list[str] = field(default_factory=list)
    purchase_orders: list[tuple[str, str]] = field(default_factory=list)  # (id, its SKU)
    work_orders: list[str] = field(default_factory=list)

    async def run(self, document: str, input: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql",
            json={"query": document, "variables": {"input": input}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return next(iter(body["data"].values()))

    async def join_trade_group(self) -> None:
        """Ada may place WHOLESALE orders (and backorders), at list prices."""
        await self.run(TRADE_CUSTOMER, {"code": "TRADE", "name": "Trade"})
        response = await self.client.post(
            "/graphql",
            json={"query": CUSTOMER_ID},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        [ada] = response.json()["data"]["customers"]["edges"]
        await self.run(ASSIGN_GROUP, {"customerId": ada["node"]["id"], "groupCode": "TRADE"})

    def order(self, index: int) -> str | None:
        return self.orders[index % len(self.orders)] if self.orders else None

    def transfer(self, index: int) -> str | None:
        return self.transfers[index % len(self.transfers)] if self.transfers else None

    def work_order(self, index: int) -> str | None:
        return self.work_orders[index % len(self.work_orders)] if self.work_orders else None

    def purchase_order(self, index: int) -> tuple[str, str] | None:
        orders = self.purchase_orders
        return orders[index % len(orders)] if orders else None


async def apply(floor: Shopfloor, operation: tuple) -> None:
    kind, *args = operation
    if kind == "place":
        variant, units, pickup = args
        fulfilment = (
            {"fulfilment": "PICKUP", "pickupLocationCode": "ST-B"}
            if pickup
            else {
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Road",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
            }
        )
        lines = [{"sku": variant, "quantity": units}]
        payload = await floor.run(PLACE, {"channel": "WEB", "lines": lines} | fulfilment)
        if payload["order"]:
            floor.orders.append(payload["order"]["id"])
    elif kind == "backorder":
        variant, units = args
        payload = await floor.run(
            PLACE,
            {
                "channel": "WHOLESALE",
                "fulfilment": "SHIPPING",
                "shippingAddress": {
                    "line1": "1 Dock",
                    "city": "Springfield",
                    "postalCode": "62701",
                    "country": "US",
                },
                "customerEmail": "ada@example.com",
                "allowBackorder": True,
                "lines": [{"sku": variant, "quantity": units}],
            },
        )
        floor.orders.append(payload["order"]["id"])
    elif kind in ("confirm", "cancel") and (order := floor.order(args[0])):
        await floor.run(status_step(f"{kind}Order", "OrderStatusInput"), {"orderId": order})
    elif kind == "ship" and (order := floor.order(args[0])):
        for variant in SKUS:
            await floor.run(
                SHIP,
                {
                    "orderId": order,
                    "carrier": "UPS",
                    "trackingNumber": "1",
                    "lines": [{"sku": variant, "quantity": args[1]}],
                },
            )
    elif kind == "collect" and (order := floor.order(args[0])):
        for step in ("markOrderReadyForPickup", "completeOrder"):
            await floor.run(status_step(step, "OrderStatusInput"), {"orderId": order})
    elif kind == "adjust":
        variant, where, delta = args
        reason = "FOUND" if delta > 0 else "LOST"
        await floor.run(
            ADJUST, {"sku": variant, "locationCode": where, "delta": delta, "reason": reason}
        )
    elif kind == "damage":
        variant, where, units = args
        await floor.run(
            ADJUST, {"sku": variant, "locationCode": where, "delta": -units, "reason": "DAMAGED"}
        )
    elif kind == "transfer":
        await transfer(floor, *args)
    elif kind == "cancel_transfer" and (transfer_id := floor.transfer(args[0])):
        await floor.run(
            status_step("cancelTransfer", "TransferStatusInput"), {"transferId": transfer_id}
        )
    elif kind == "return" and (order := floor.order(args[0])):
        await return_goods(floor, order, *args[1:])
    elif kind == "count":
        variant, where, counted = args
        started = await floor.run(START_COUNT, {"locationCode": where, "skus": [variant]})
        if started["stockCount"]:
            await floor.run(
                SUBMIT_COUNT,
                {
                    "countId": started["stockCount"]["id"],
                    "lines": [{"sku": variant, "counted": counted}],
                },
            )
    elif kind == "write_off":
        variant, where, units = args
        await floor.run(WRITE_OFF, {"locationCode": where, "sku": variant, "quantity": units})
    elif kind == "purchase":
        await purchase(floor, *args)
    elif kind == "receive_purchase" and (purchase_order := floor.purchase_order(args[0])):
        order_id, variant = purchase_order
        await floor.run(
            RECEIVE_PURCHASE_ORDER,
            {"purchaseOrderId": order_id, "lines": [{"sku": variant, "quantity": args[1]}]},
        )
    elif kind == "make":
        await make(floor, *args)
    elif kind == "cancel_work_order" and (work_order := floor.work_order(args[0])):
        await floor.run(
            status_step("cancelWorkOrder", "WorkOrderStatusInput"), {"workOrderId": work_order}
        )
    elif kind == "cancel_purchase" and (purchase_order := floor.purchase_order(args[0])):
        await floor.run(
            status_step("cancelPurchaseOrder", "PurchaseOrderStatusInput"),
            {"purchaseOrderId": purchase_order[0]},
        )


async def make(floor: Shopfloor, where: str, units: int, stage: int, scrap: bool) -> None:
    """Plan MUGs and take the work order `stage` steps: released, started, one unit made,
    the rest made (or scrapped)."""
    created = await floor.run(
        CREATE_WORK_ORDER,
        {"sku": "MUG", "quantity": units, "locationCode": where, "dueDate": DUE},
    )
    work_order_id = created["workOrder"]["id"]
    floor.work_orders.append(work_order_id)
    for mutation in ("releaseWorkOrder", "startWorkOrder")[:stage]:
        await floor.run(
            status_step(mutation, "WorkOrderStatusInput"), {"workOrderId": work_order_id}
        )
    completions = [(1, 0), (0, units - 1) if scrap else (units - 1, 0)]
    for produced, scrapped in completions[: max(stage - 2, 0)]:
        await floor.run(
            COMPLETE_WORK_ORDER,
            {
                "workOrderId": work_order_id,
                "producedQuantity": produced,
                "scrappedQuantity": scrapped,
            },
        )


async def purchase(floor: Shopfloor, variant: str, where: str, units: int, submit: bool) -> None:
    """Order units from the supplier, and submit the order (they are incoming) or not."""
    created = await floor.run(
        CREATE_PURCHASE_ORDER,
        {
            "supplierCode": "ACME",
            "locationCode": where,
            "lines": [{"sku": variant, "quantity": units, "unitCost": "2.50"}],
        },
    )
    order_id = created["purchaseOrder"]["id"]
    floor.purchase_orders.append((order_id, variant))
    if submit:
        await floor.run(
            status_step("submitPurchaseOrder", "PurchaseOrderStatusInput"),
            {"purchaseOrderId": order_id},
        )


async def transfer(
    floor: Shopfloor, variant: str, origin: str, destination: str, units: int, stage: int
) -> None:
    """Create a transfer and take it `stage` steps: requested, shipped, received (short)."""
    created = await floor.run(
        CREATE_TRANSFER,
        {
            "fromLocationCode": origin,
            "toLocationCode": destination,
            "lines": [{"sku": variant, "quantity": units}],
        },
    )
    if not created["transfer"]:
        return
    transfer_id = created["transfer"]["id"]
    floor.transfers.append(transfer_id)
    if stage >= 1:
        await floor.run(
            status_step("requestTransfer", "TransferStatusInput"), {"transferId": transfer_id}
        )
    if stage >= 2:
        await floor.run(
            SHIP_TRANSFER, {"transferId": transfer_id, "carrier": "DHL", "trackingNumber": "T1"}
        )
    if stage >= 3:
        await floor.run(
            RECEIVE_TRANSFER,
            {"transferId": transfer_id, "lines": [{"sku": variant, "quantity": units // 2}]},
        )


async def return_goods(floor: Shopfloor, order: str, units: int, restock: bool, where: str) -> None:
    """Return some units of every SKU of an order, approve and receive them."""
    for variant in SKUS:
        requested = await floor.run(
            REQUEST_RETURN,
            {
                "orderId": order,
                "lines": [{"sku": variant, "quantity": units, "reason": "test"}],
            },
        )
        if not requested["return"]:
            continue
        return_id = requested["return"]["id"]
        await floor.run(status_step("approveReturn", "ReturnStatusInput"), {"returnId": return_id})
        disposition = "RESTOCK" if restock else "DAMAGED"
        await floor.run(
            RECEIVE_RETURN,
            {
                "returnId": return_id,
                "locationCode": where,
                "lines": [{"sku": variant, "quantity": units, "disposition": disposition}],
            },
        )


async def ledger_holds(database: Database) -> None:
    await assert_stock_holds(database)
    async with database.read_session() as session:
        shortfalls = await stock_reads.stock_shortfalls(session)  # only counter sales may cause
    assert list(shortfalls) == [], shortfalls


async def scenario(url: str, steps: list[tuple]) -> None:
    database = Database(url)
    try:
        await build_shop(database, STOCK)
        app = create_app(Settings(database_url=url, secret=SECRET), database=database)
        token = app.state.tokens.issue(Principal(role=Role.ADMIN, subject="hypothesis"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            floor = Shopfloor(client, token)
            await floor.join_trade_group()
            await floor.run(CREATE_SUPPLIER, {"code": "ACME", "name": "Acme", "leadTimeDays": 7})
            await floor.run(SET_BOM, {"sku": "MUG", "components": MUG_BOM})
            for step in steps:
                await apply(floor, step)
                await ledger_holds(database)
    finally:
        await database.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_operations_never_break_the_ledger(backend, templates, tmp_path):
    @settings(
        max_examples=8 if backend == "sqlite" else 4,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(operations, min_size=4, max_size=14))
    def run(steps: list[tuple]) -> None:
        with fresh_database(backend, templates, tmp_path) as url:
            asyncio.run(scenario(url, steps))

    run()
