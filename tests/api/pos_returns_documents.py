"""GraphQL documents and steps shared by the counter return (syncPosReturns) tests."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from persistence.records import OutboxEventRecord

SYNC_POS_RETURNS = """
mutation($input: SyncPosReturnsInput!) {
  syncPosReturns(input: $input) {
    results {
      clientReturnId status
      return {
        id number status refund { amount currency } receivingLocation { code }
        order { number status }
        lines { sku quantity reason restocked damaged }
        history { sequence fromStatus toStatus actor note occurredAt }
      }
      error { field code message }
    }
    accepted duplicates rejected
    userErrors { field code message }
  }
}"""
ORDER_STATUS = "query($id: ID!) { order(id: $id) { status history { toStatus note } } }"


def counter_return(order, *lines, client_id=None, by_number=False, **extra):
    """One return as a terminal sends it; `lines` are (sku, quantity[, condition])."""
    return {
        "clientReturnId": str(client_id or uuid.uuid4()),
        "occurredAt": datetime.now(UTC).isoformat(),
        **({"orderNumber": order["number"]} if by_number else {"orderId": order["id"]}),
        "lines": [
            {"sku": sku, "quantity": quantity, **({"condition": rest[0]} if rest else {})}
            for sku, quantity, *rest in lines
        ],
        **extra,
    }


async def sync(graphql, *returns, token, location_code=None):
    data = await graphql.data(
        SYNC_POS_RETURNS,
        {"input": {"returns": list(returns), "locationCode": location_code}},
        token=token,
    )
    return data["syncPosReturns"]


def statuses(payload):
    return [result["status"] for result in payload["results"]]


def error_of(result):
    error = result["error"]
    return error["code"], error["field"], error["message"]


async def outbox(database, kind):
    async with database.read_session() as session:
        rows = await session.scalars(
            select(OutboxEventRecord.payload)
            .where(OutboxEventRecord.kind == kind)
            .order_by(OutboxEventRecord.id)
        )
        return [json.loads(row) for row in rows]
