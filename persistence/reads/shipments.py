"""The read side of shipments: lean SELECTs for the shipment loaders.

A shipment is read with its lines in one statement (each row a line, with its shipment's
columns); visibility is the loaders' business (a shipment is visible with its order).
"""

from __future__ import annotations

from sqlalchemy import select

from persistence.reads.keyed import KEYS, KeyedRead
from persistence.records import ShipmentLineRecord, ShipmentRecord, ShipmentTrackingEventRecord
from persistence.sql_types import AnySelect

EVENT = ShipmentTrackingEventRecord


def _shipment_lines() -> AnySelect:
    """One row per shipment line, carrying its shipment's columns; oldest shipment first."""
    return (
        select(
            ShipmentRecord.id,
            ShipmentRecord.order_id,
            ShipmentRecord.carrier,
            ShipmentRecord.tracking_number,
            ShipmentRecord.status,
            ShipmentRecord.shipped_at,
            ShipmentLineRecord.sku.label("line_sku"),
            ShipmentLineRecord.location_id.label("line_location_id"),
            ShipmentLineRecord.quantity.label("line_quantity"),
        )
        .join(ShipmentLineRecord, ShipmentLineRecord.shipment_id == ShipmentRecord.id)
        .order_by(ShipmentRecord.id, ShipmentLineRecord.id)
    )


shipment_lines_by_order_ids = KeyedRead(_shipment_lines().where(ShipmentRecord.order_id.in_(KEYS)))


shipment_lines_by_ids = KeyedRead(_shipment_lines().where(ShipmentRecord.id.in_(KEYS)))


# Tracking histories, each in the order things happened (then as recorded).
tracking_events_by_shipment_ids = KeyedRead(
    select(EVENT.shipment_id, EVENT.status, EVENT.description, EVENT.occurred_at, EVENT.recorded_at)
    .where(EVENT.shipment_id.in_(KEYS))
    .order_by(EVENT.shipment_id, EVENT.occurred_at, EVENT.id)
)
