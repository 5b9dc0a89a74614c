"""Reading stock levels and the ledger back, as the document tests check them."""

from __future__ import annotations

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
