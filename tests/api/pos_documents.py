"""GraphQL documents and helpers shared by the POS terminal and sales tests."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.conftest import GraphQL

REGISTER_TERMINAL = """
mutation Register($input: RegisterPosTerminalInput!) {
  registerPosTerminal(input: $input) {
    terminal { id name registeredAt lastSyncedAt store { code kind } }
    token
    userErrors { field code message }
  }
}
"""

SYNC_SALES = """
mutation Sync($input: SyncPosSalesInput!) {
  syncPosSales(input: $input) {
    accepted duplicates rejected
    results {
      clientSaleId status
      error { field code message }
      warnings { code sku onHand }
      order { id number status channel fulfilment createdAt total { amount currency }
              customer { email }
              lines { sku quantity unitPrice { amount currency }
                      allocations { quantity fulfilled location { code } } }
              tenders { method amount { amount currency } }
              history { sequence fromStatus toStatus actor } }
    }
    userErrors { field code message }
  }
}
"""

TERMINALS = """
query Terminals($storeCode: String) {
  posTerminals(first: 10, storeCode: $storeCode) {
    totalCount
    edges { node { name lastSyncedAt store { code } } }
  }
}
"""

NODE = """query Node($id: ID!) { node(id: $id) { ... on PosTerminal { name } } }"""

LEVEL = """
query Level($sku: String!, $location: String!) {
  stockLevels(filter: { sku: $sku, locationCode: $location }) {
    edges { node { onHand reserved available } }
  }
}
"""

MOVEMENTS = """
query Movements($reference: String!) {
  stockMovements(first: 100, filter: { reference: $reference }) {
    edges { node { kind onHandDelta reservedDelta variant { sku } location { code } } }
  }
}
"""

CUSTOMER_ORDERS = """
query CustomerOrders($email: String!) {
  customers(filter: { email: $email }) {
    edges { node { id name email orders(first: 10) { edges { node { number channel } } } } }
  }
}
"""

WHEN = "2026-11-25T10:15:00+00:00"


async def register(graphql: GraphQL, store: str = "ST-B", name: str = "Till 1") -> dict[str, Any]:
    """A terminal at a store, registered by an admin: {terminal, token, userErrors}."""
    data = await graphql.admin(REGISTER_TERMINAL, {"input": {"storeCode": store, "name": name}})
    return data["registerPosTerminal"]


def sale(
    *lines: tuple[str, int, str],
    paid: tuple[tuple[str, str], ...] | None = None,
    sale_id: str | None = None,
    when: str = WHEN,
    email: str | None = None,
) -> dict[str, Any]:
    """A sale of (sku, quantity, unit price) lines, paid by card in full unless `paid` says
    how: ((method, amount), ...)."""
    total = sum(quantity * float(price) for _, quantity, price in lines)
    payments = paid if paid is not None else (("CARD", f"{total:.2f}"),)
    return {
        "clientSaleId": sale_id or str(uuid.uuid4()),
        "occurredAt": when,
        "lines": [{"sku": s, "quantity": q, "unitPrice": p} for s, q, p in lines],
        "payments": [{"method": m, "amount": a} for m, a in payments],
        "customerEmail": email,
    }


async def sync(graphql: GraphQL, token: str, *sales: dict[str, Any]) -> dict[str, Any]:
    data = await graphql.data(SYNC_SALES, {"input": {"sales": list(sales)}}, token=token)
    return data["syncPosSales"]


async def level(graphql: GraphQL, sku: str, location: str) -> tuple[int, int, int]:
    data = await graphql.admin(LEVEL, {"sku": sku, "location": location})
    node = data["stockLevels"]["edges"][0]["node"]
    return node["onHand"], node["reserved"], node["available"]


async def movements(graphql: GraphQL, reference: str) -> list[tuple]:
    data = await graphql.admin(MOVEMENTS, {"reference": reference})
    return sorted(
        (
            n["kind"],
            n["variant"]["sku"],
            n["location"]["code"],
            n["onHandDelta"],
            n["reservedDelta"],
        )
        for n in (edge["node"] for edge in data["stockMovements"]["edges"])
    )


def statuses(report: dict[str, Any]) -> list[str]:
    return [result["status"] for result in report["results"]]
