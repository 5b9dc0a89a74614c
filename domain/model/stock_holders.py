"""Which documents hold a level's reserved, in-transit and incoming units, and while in which
status. `omniorder verify-stock` checks every level against them (the ledger alone cannot
see a release written for an order that then stays CONFIRMED).

    reserved    an order, at each location it is allocated at: allocated less fulfilled,
                while its units may still ship, be picked up or be released (ORDER_RESERVES)
                a transfer, at its origin: every unit, while REQUESTED
                a work order, at its location: each component's units per unit made, times
                the units neither made nor scrapped, from release until it ends
    in_transit  a transfer, at its destination: every unit, while IN_TRANSIT
    incoming    a purchase order, at its location: ordered less received, while receivable

In any other status a document holds nothing. No other document reserves or holds units in
transit or incoming: counter sales, services, returns, counts and adjustments change on
hand and damaged only.
"""

from __future__ import annotations

from domain.model.orders import OrderStatus
from domain.model.purchase_orders import RECEIVABLE
from domain.model.transfers import TransferStatus
from domain.model.work_orders import OPEN, WorkOrderStatus

ORDER_RESERVES = frozenset(
    {
        OrderStatus.PENDING,
        OrderStatus.CONFIRMED,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.BACKORDERED,  # what arrived stock allocated to it so far
    }
)
TRANSFER_RESERVES = frozenset({TransferStatus.REQUESTED})  # at the origin
TRANSFER_IN_TRANSIT = frozenset({TransferStatus.IN_TRANSIT})  # at the destination
WORK_ORDER_RESERVES = OPEN - {WorkOrderStatus.PLANNED}
PURCHASE_ORDER_INCOMING = RECEIVABLE
