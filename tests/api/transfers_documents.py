"""GraphQL documents and helpers shared by the transfer tests."""

from __future__ import annotations

from domain.access import Role
from tests.api.ledger_documents import level_of, movements_of

TRANSFER_FIELDS = """
  id number status carrier trackingNumber reference createdAt updatedAt
  fromLocation { code } toLocation { code }
  lines { sku quantity received lost variant { sku } }
  history { sequence fromStatus toStatus actor note occurredAt }
"""
PAYLOAD = f"transfer {{ {TRANSFER_FIELDS} }} userErrors {{ field code message }}"
CREATE_TRANSFER = f"""
mutation($input: CreateTransferInput!) {{ createTransfer(input: $input) {{ {PAYLOAD} }} }}"""
REQUEST_TRANSFER = f"""
mutation($input: TransferStatusInput!) {{ requestTransfer(input: $input) {{ {PAYLOAD} }} }}"""
SHIP_TRANSFER = f"""
mutation($input: ShipTransferInput!) {{ shipTransfer(input: $input) {{ {PAYLOAD} }} }}"""
RECEIVE_TRANSFER = f"""
mutation($input: ReceiveTransferInput!) {{ receiveTransfer(input: $input) {{ {PAYLOAD} }} }}"""
CANCEL_TRANSFER = f"""
mutation($input: TransferStatusInput!) {{ cancelTransfer(input: $input) {{ {PAYLOAD} }} }}"""
TRANSFER = f"query($id: ID!) {{ transfer(id: $id) {{ {TRANSFER_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { id ... on Transfer { number status } } }"
TRANSFERS = """
query($filter: TransferFilter, $first: Int, $after: String) {
  transfers(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number status fromLocation { code } toLocation { code } } }
  }
}"""
SET_THRESHOLDS = """
mutation($input: SetStockThresholdsInput!) {
  setStockThresholds(input: $input) { userErrors { code } }
}"""

MUTATIONS = {
    "createTransfer": CREATE_TRANSFER,
    "requestTransfer": REQUEST_TRANSFER,
    "shipTransfer": SHIP_TRANSFER,
    "receiveTransfer": RECEIVE_TRANSFER,
    "cancelTransfer": CANCEL_TRANSFER,
}


def lines(*pairs: tuple[str, int]) -> list[dict]:
    return [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]


async def run(graphql, mutation: str, input: dict, token: str | None = None) -> dict:
    """One transfer mutation's payload, as ADMIN unless a token is given."""
    data = await graphql.data(
        MUTATIONS[mutation],
        {"input": input},
        token=graphql.token(Role.ADMIN) if token is None else token,
    )
    return data[mutation]


async def create(graphql, *pairs, origin="WH-A", destination="ST-B", token=None, note=None) -> dict:
    input = {"fromLocationCode": origin, "toLocationCode": destination, "lines": lines(*pairs)}
    if note is not None:
        input["note"] = note
    return await run(graphql, "createTransfer", input, token)


async def request(graphql, transfer_id: str, token=None) -> dict:
    return await run(graphql, "requestTransfer", {"transferId": transfer_id}, token)


async def ship(graphql, transfer_id: str, token=None, carrier="DHL", tracking="JD0001") -> dict:
    return await run(
        graphql,
        "shipTransfer",
        {"transferId": transfer_id, "carrier": carrier, "trackingNumber": tracking},
        token,
    )


async def receive(graphql, transfer_id: str, *pairs, token=None) -> dict:
    return await run(
        graphql, "receiveTransfer", {"transferId": transfer_id, "lines": lines(*pairs)}, token
    )


async def cancel(graphql, transfer_id: str, token=None, note=None) -> dict:
    return await run(graphql, "cancelTransfer", {"transferId": transfer_id, "note": note}, token)


async def shipped(graphql, *pairs, origin="WH-A", destination="ST-B") -> dict:
    """A transfer created, requested and shipped by an ADMIN."""
    transfer = (await create(graphql, *pairs, origin=origin, destination=destination))["transfer"]
    await request(graphql, transfer["id"])
    return (await ship(graphql, transfer["id"]))["transfer"]


async def level(graphql, sku: str, location: str) -> tuple[int, ...]:
    """(onHand, reserved, inTransit) of one level."""
    return await level_of(graphql, sku, location, "onHand", "reserved", "inTransit")


async def movements(graphql, reference: str) -> list[tuple]:
    return await movements_of(graphql, reference, "inTransitDelta")


def codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]
