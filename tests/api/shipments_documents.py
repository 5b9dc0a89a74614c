"""GraphQL documents and steps shared by the shipment tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.access import Role
from tests.api.orders_documents import change, place, shipping_order

SHIPMENT_FIELDS = """
  id carrier trackingNumber status shippedAt
  lines { sku quantity location { code } }
  trackingEvents { status description occurredAt recordedAt }
  order { number status }
"""
ADD_TRACKING_EVENT = f"""
mutation($input: AddTrackingEventInput!) {{
  addTrackingEvent(input: $input) {{
    shipment {{ {SHIPMENT_FIELDS} }}
    order {{ number status history {{ fromStatus toStatus actor note }} }}
    userErrors {{ field code message }}
  }}
}}"""
SHIP_ORDER = """
mutation($input: ShipOrderInput!) {
  shipOrder(input: $input) {
    order {
      id number status shipments { id trackingNumber status lines { sku location { code } } }
    }
    userErrors { field code message }
  }
}"""
SHIPMENT = f"query($id: ID!) {{ node(id: $id) {{ ... on Shipment {{ {SHIPMENT_FIELDS} }} }} }}"
ORDER_SHIPMENTS = """
query($id: ID!) {
  order(id: $id) { status shipments { id status trackingEvents { status description } } }
}"""
ORDERS_WITH_TRACKING = """
query($first: Int!) {
  orders(first: $first) { edges { node {
    number shipments { status lines { sku } trackingEvents { status occurredAt } }
  } } }
}"""
SHIPPED_AT = datetime.now(UTC) - timedelta(days=2)


def at(hours: int) -> str:
    return (SHIPPED_AT + timedelta(hours=hours)).isoformat()


def ship_line(sku, quantity, location=None):
    return {"sku": sku, "quantity": quantity, "locationCode": location}


async def ship(graphql, order_id, *lines, tracking="1Z1", token=None):
    """Ship (sku, quantity) or (sku, quantity, location) lines; the shipOrder payload."""
    data = await graphql.data(
        SHIP_ORDER,
        {
            "input": {
                "orderId": order_id,
                "carrier": "UPS",
                "trackingNumber": tracking,
                "lines": [ship_line(*line) for line in lines],
            }
        },
        token=token or graphql.token(Role.ADMIN),
    )
    return data["shipOrder"]


async def shipped_order(graphql, *lines, customer=None):
    """A SHIPPING order with every line shipped in one parcel: (order, shipment id)."""
    extra = {"customerEmail": customer} if customer else {}
    order = (await place(graphql, shipping_order(*lines, **extra)))["order"]
    await change(graphql, "confirmOrder", order["id"])
    shipped = await ship(graphql, order["id"], *lines)
    assert shipped["userErrors"] == []
    return shipped["order"], shipped["order"]["shipments"][-1]["id"]


async def track(graphql, shipment_id, status, hours, description=None, token=None):
    data = await graphql.data(
        ADD_TRACKING_EVENT,
        {
            "input": {
                "shipmentId": shipment_id,
                "status": status,
                "occurredAt": at(hours),
                "description": description,
            }
        },
        token=token or graphql.token(Role.ADMIN, subject="carrier-feed"),
    )
    return data["addTrackingEvent"]


def events(shipment):
    return [(e["status"], e["description"]) for e in shipment["trackingEvents"]]
