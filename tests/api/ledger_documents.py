"""Reading stock levels and the ledger back, as the document tests check them."""

from __future__ import annotations

from persistence import stock_invariants
from persistence.reads import stock as stock_reads

LEVEL = """
query($sku: String!, $location: String!) {
  stockLevels(filter: {sku: $sku, locationCode: $location}) { edges { node { %s } } }
}"""
MOVEMENTS = """
query($reference: String!) {
  stockMovements(first: 100, filter: {reference: $reference}) {
    edges { node { kind onHandDelta reservedDelta %s variant { sku } location { code } } }
  }
}"""


async def level_of(graphql, sku: str, location: str, *quantities: str) -> tuple[int, ...]:
    """The named quantities ("onHand", "incoming", …) of one level, in that order."""
    data = await graphql.admin(LEVEL % " ".join(quantities), {"sku": sku, "location": location})
    node = data["stockLevels"]["edges"][0]["node"]
    return tuple(node[quantity] for quantity in quantities)


async def movements_of(graphql, reference: str, delta: str) -> list[tuple]:
    """(kind, sku, location, onHandΔ, reservedΔ, `delta`) of a reference, oldest first."""
    data = await graphql.admin(MOVEMENTS % delta, {"reference": reference})
    return [
        (
            n["kind"],
            n["variant"]["sku"],
            n["location"]["code"],
            n["onHandDelta"],
            n["reservedDelta"],
            n[delta],
        )
        for n in reversed([e["node"] for e in data["stockMovements"]["edges"]])
    ]


async def assert_stock_holds(database) -> None:
    """What `omniorder verify-stock` checks, holding: every level equals the sum of its
    movements, and its reserved, in-transit and incoming units what open documents hold."""
    async with database.read_session() as session:
        ledger = list(await stock_reads.ledger_discrepancies(session))
        holders = await stock_invariants.holder_discrepancies(session)
    assert ledger == [], ledger
    assert holders == [], holders
