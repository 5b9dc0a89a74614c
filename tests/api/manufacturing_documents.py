"""GraphQL documents, a workshop and helpers shared by the manufacturing and material
requirements tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.access import Principal, Role
from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.inventory import AdjustStock
from domain.model.inventory import AdjustmentReason
from domain.usecases import catalog, inventory
from persistence.database import Database
from persistence.uow import SqlUnitOfWork

# The workshop: a TABLE is made of 4 LEG, 1 TOP and 8 SCREW; a LEG of 2 DOWEL. Only the
# parts are in stock, at the warehouse.
PARTS = {"LEG": 10, "TOP": 3, "SCREW": 40, "DOWEL": 20}
TABLE_BOM = [("LEG", 4), ("TOP", 1), ("SCREW", 8)]
LEG_BOM = [("DOWEL", 2)]
TODAY = datetime.now(UTC).date()
DUE = (TODAY + timedelta(days=7)).isoformat()

VARIANT_BOM = """
query($sku: String!) { variant(sku: $sku) { sku billOfMaterials { sku quantity } } }"""
SET_BOM = """
mutation($input: SetBillOfMaterialsInput!) { setBillOfMaterials(input: $input) {
  variant { sku billOfMaterials { sku quantity manufactured variant { sku } } }
  userErrors { field code message } } }"""
BILL_OF_MATERIALS = """
query($sku: String!, $explode: Int) { billOfMaterials(sku: $sku, explode: $explode) {
  sku variant { sku } units
  components { sku quantity manufactured }
  explosion { sku quantity level manufactured variant { sku } }
} }"""
WORK_ORDER_FIELDS = """
  id number status sku quantity produced scrapped remaining dueDate reference
  createdAt updatedAt variant { sku } location { code }
  components { sku quantityPerUnit required reserved consumed variant { sku } }
  history { sequence fromStatus toStatus actor note occurredAt }
"""
PAYLOAD = f"workOrder {{ {WORK_ORDER_FIELDS} }} userErrors {{ field code message }}"
MUTATIONS = {
    "createWorkOrder": "CreateWorkOrderInput",
    "releaseWorkOrder": "WorkOrderStatusInput",
    "startWorkOrder": "WorkOrderStatusInput",
    "completeWorkOrder": "CompleteWorkOrderInput",
    "cancelWorkOrder": "WorkOrderStatusInput",
}
WORK_ORDER = f"query($id: ID!) {{ workOrder(id: $id) {{ {WORK_ORDER_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { id ... on WorkOrder { number status } } }"
WORK_ORDERS = """
query($filter: WorkOrderFilter, $first: Int, $after: String) {
  workOrders(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number status sku location { code } } }
  }
}"""


async def build_workshop(database: Database) -> None:
    """Add the workshop's products to the shop (tests/api/conftest.py), parts in stock at
    WH-A; no bills of materials yet."""
    seeder = Principal.system("test-setup")
    for name, sku, price in [
        ("Table", "TABLE", "250.00"),
        ("Leg", "LEG", "12.00"),
        ("Top", "TOP", "80.00"),
        ("Screw", "SCREW", "0.10"),
        ("Dowel", "DOWEL", "0.50"),
    ]:
        await catalog.create_product(
            SqlUnitOfWork(database),
            seeder,
            CreateProduct(name, (NewVariant(sku, name, Decimal(price), "USD"),)),
        )
    for sku, units in PARTS.items():
        await inventory.adjust_stock(
            SqlUnitOfWork(database),
            seeder,
            AdjustStock(sku, "WH-A", units, AdjustmentReason.RECEIVED),
            datetime.now(UTC),
        )


def components(*pairs: tuple[str, int]) -> list[dict]:
    return [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]


async def set_bom(graphql, sku: str, pairs, token: str | None = None) -> dict:
    data = await graphql.data(
        SET_BOM,
        {"input": {"sku": sku, "components": components(*pairs)}},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return data["setBillOfMaterials"]


async def table_and_leg_boms(graphql) -> None:
    for sku, pairs in (("TABLE", TABLE_BOM), ("LEG", LEG_BOM)):
        assert (await set_bom(graphql, sku, pairs))["userErrors"] == []


async def run(graphql, mutation: str, input: dict, token: str | None = None) -> dict:
    """One work order mutation's payload, as ADMIN unless a token is given."""
    document = f"""
    mutation($input: {MUTATIONS[mutation]}!) {{ {mutation}(input: $input) {{ {PAYLOAD} }} }}"""
    data = await graphql.data(
        document, {"input": input}, token=graphql.token(Role.ADMIN) if token is None else token
    )
    return data[mutation]


async def create(
    graphql, sku="TABLE", quantity=2, location="WH-A", due=DUE, token=None, note=None
) -> dict:
    input = {"sku": sku, "quantity": quantity, "locationCode": location, "dueDate": due}
    if note is not None:
        input["note"] = note
    return await run(graphql, "createWorkOrder", input, token)


async def step(graphql, mutation: str, work_order_id: str, token=None, **extra) -> dict:
    return await run(graphql, mutation, {"workOrderId": work_order_id} | extra, token)


async def complete(graphql, work_order_id: str, produced: int, scrapped: int = 0, token=None):
    return await step(
        graphql,
        "completeWorkOrder",
        work_order_id,
        token,
        producedQuantity=produced,
        scrappedQuantity=scrapped,
    )


async def started(graphql, sku="TABLE", quantity=2, location="WH-A") -> dict:
    """A work order created, released and started by an ADMIN."""
    work_order = (await create(graphql, sku, quantity, location))["workOrder"]
    released = await step(graphql, "releaseWorkOrder", work_order["id"])
    assert released["userErrors"] == [], released
    return (await step(graphql, "startWorkOrder", work_order["id"]))["workOrder"]


def due_in(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def day(text: str) -> date:
    return date.fromisoformat(text)
