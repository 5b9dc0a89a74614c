"""GraphQL documents and helpers shared by the purchasing tests: suppliers, their prices and
purchase orders."""

from __future__ import annotations

from domain.access import Role
from tests.api.ledger_documents import level_of, movements_of

SUPPLIER_FIELDS = """
  id code name contact leadTimeDays createdAt
  prices { sku unitCost { amount currency } variant { sku } supplier { code } }
"""
CREATE_SUPPLIER = f"""
mutation($input: CreateSupplierInput!) {{ createSupplier(input: $input) {{
  supplier {{ {SUPPLIER_FIELDS} }} userErrors {{ field code message }} }} }}"""
SET_SUPPLIER_PRICES = f"""
mutation($input: SetSupplierPricesInput!) {{ setSupplierPrices(input: $input) {{
  supplier {{ {SUPPLIER_FIELDS} }} userErrors {{ field code message }} }} }}"""
SUPPLIERS = """
query($first: Int, $after: String) { suppliers(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { code leadTimeDays } } } }"""
SUPPLIER = f"query($code: String!) {{ supplier(code: $code) {{ {SUPPLIER_FIELDS} }} }}"
VARIANT_SUPPLIER_PRICES = """
query($sku: String!) { variant(sku: $sku) {
  supplierPrices { unitCost { amount currency } supplier { code leadTimeDays } } } }"""

PURCHASE_ORDER_FIELDS = """
  id number status reference createdAt updatedAt expectedAt
  total { amount currency }
  supplier { code } location { code }
  lines { sku quantity received outstanding unitCost { amount currency }
          lineTotal { amount } variant { sku } }
  history { sequence fromStatus toStatus actor note occurredAt }
"""
PAYLOAD = f"purchaseOrder {{ {PURCHASE_ORDER_FIELDS} }} userErrors {{ field code message }}"
CREATE_PURCHASE_ORDER = f"""
mutation($input: CreatePurchaseOrderInput!) {{
  createPurchaseOrder(input: $input) {{ {PAYLOAD} }} }}"""
SUBMIT_PURCHASE_ORDER = f"""
mutation($input: PurchaseOrderStatusInput!) {{
  submitPurchaseOrder(input: $input) {{ {PAYLOAD} }} }}"""
RECEIVE_PURCHASE_ORDER = f"""
mutation($input: ReceivePurchaseOrderInput!) {{
  receivePurchaseOrder(input: $input) {{ {PAYLOAD} }} }}"""
CANCEL_PURCHASE_ORDER = f"""
mutation($input: PurchaseOrderStatusInput!) {{
  cancelPurchaseOrder(input: $input) {{ {PAYLOAD} }} }}"""
PURCHASE_ORDER = f"query($id: ID!) {{ purchaseOrder(id: $id) {{ {PURCHASE_ORDER_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { id ... on PurchaseOrder { number status } } }"
PURCHASE_ORDERS = """
query($filter: PurchaseOrderFilter, $first: Int, $after: String) {
  purchaseOrders(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number status supplier { code } location { code } } }
  }
}"""

TEE = [("TEE-M", 1, "4.20")]  # one line: a T-shirt at 4.20

MUTATIONS = {
    "createSupplier": CREATE_SUPPLIER,
    "setSupplierPrices": SET_SUPPLIER_PRICES,
    "createPurchaseOrder": CREATE_PURCHASE_ORDER,
    "submitPurchaseOrder": SUBMIT_PURCHASE_ORDER,
    "receivePurchaseOrder": RECEIVE_PURCHASE_ORDER,
    "cancelPurchaseOrder": CANCEL_PURCHASE_ORDER,
}


async def run(graphql, mutation: str, input: dict, token: str | None = None) -> dict:
    """One purchasing mutation's payload, as ADMIN unless a token is given."""
    data = await graphql.data(
        MUTATIONS[mutation],
        {"input": input},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return data[mutation]


async def create_supplier(graphql, code="ACME", lead_time_days=7, token=None, **extra) -> dict:
    input = {"code": code, "name": f"{code} Ltd", "leadTimeDays": lead_time_days} | extra
    return await run(graphql, "createSupplier", input, token)


async def set_supplier_prices(graphql, *prices: dict, code="ACME", token=None) -> dict:
    input = {"supplierCode": code, "prices": list(prices)}
    return await run(graphql, "setSupplierPrices", input, token)


def lines(*triples: tuple[str, int, str]) -> list[dict]:
    return [{"sku": sku, "quantity": quantity, "unitCost": cost} for sku, quantity, cost in triples]


async def create(graphql, *triples, supplier="ACME", location="WH-A", token=None, **extra) -> dict:
    """createPurchaseOrder of (sku, quantity, unit cost) lines."""
    input = {"supplierCode": supplier, "locationCode": location, "lines": lines(*triples)}
    return await run(graphql, "createPurchaseOrder", input | extra, token)


async def submit(graphql, order_id: str, token=None, note=None) -> dict:
    return await run(
        graphql, "submitPurchaseOrder", {"purchaseOrderId": order_id, "note": note}, token
    )


async def receive(graphql, order_id: str, *pairs: tuple[str, int], token=None) -> dict:
    received = [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]
    input = {"purchaseOrderId": order_id, "lines": received}
    return await run(graphql, "receivePurchaseOrder", input, token)


async def cancel(graphql, order_id: str, token=None, note=None) -> dict:
    return await run(
        graphql, "cancelPurchaseOrder", {"purchaseOrderId": order_id, "note": note}, token
    )


async def ordered(graphql, *triples, location="WH-A") -> dict:
    """A purchase order created and submitted by an ADMIN."""
    order = (await create(graphql, *triples, location=location))["purchaseOrder"]
    submitted = await submit(graphql, order["id"])
    assert submitted["userErrors"] == [], submitted
    return submitted["purchaseOrder"]


async def level(graphql, sku: str, location: str) -> tuple[int, ...]:
    """(onHand, available, incoming) of one level."""
    return await level_of(graphql, sku, location, "onHand", "available", "incoming")


async def movements(graphql, reference: str) -> list[tuple]:
    return await movements_of(graphql, reference, "incomingDelta")
