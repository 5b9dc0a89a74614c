"""ORM classes, one module per business area; importing this package registers them all."""

from persistence.records.base import Base
from persistence.records.catalog import ProductRecord, VariantRecord
from persistence.records.customers import CustomerRecord
from persistence.records.inventory import StockLevelRecord, StockMovementRecord
from persistence.records.locations import ChannelLocationRecord, ChannelRecord, LocationRecord
from persistence.records.orders import (
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
    ShipmentLineRecord,
    ShipmentRecord,
)
from persistence.records.outbox import OutboxEventRecord

__all__ = [
    "Base",
    "ChannelLocationRecord",
    "ChannelRecord",
    "CustomerRecord",
    "LocationRecord",
    "OrderAllocationRecord",
    "OrderLineRecord",
    "OrderRecord",
    "OrderStatusChangeRecord",
    "OutboxEventRecord",
    "ProductRecord",
    "ShipmentLineRecord",
    "ShipmentRecord",
    "StockLevelRecord",
    "StockMovementRecord",
    "VariantRecord",
]
