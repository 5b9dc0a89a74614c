"""What the domain needs from the outside world, as Protocols the persistence layer fulfils."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, Self

from domain.model.catalog import Product, Variant
from domain.model.counts import Snapshot, StockCount
from domain.model.customers import Customer
from domain.model.inventory import StockLevel, StockMovement
from domain.model.locations import Channel, ChannelCode, Location
from domain.model.orders import Order
from domain.model.returns import Return
from domain.model.transfers import Transfer
from domain.money import Money


class CatalogRepository(Protocol):
    async def add(self, product: Product) -> Product: ...
    async def existing_skus(self, skus: Iterable[str]) -> set[str]: ...
    async def variants_by_sku(self, skus: Iterable[str]) -> dict[str, Variant]: ...
    async def set_price(self, variant_id: int, price: Money) -> None: ...


class LocationRepository(Protocol):
    async def add(self, location: Location) -> Location: ...
    async def by_code(self, codes: Iterable[str]) -> dict[str, Location]: ...
    async def by_id(self, ids: Iterable[int]) -> dict[int, Location]: ...
    async def channel(self, code: ChannelCode) -> Channel: ...
    async def set_channel_locations(self, channel: Channel, location_ids: list[int]) -> None: ...


class CustomerRepository(Protocol):
    async def add(self, customer: Customer) -> Customer: ...
    async def by_email(self, email: str) -> Customer | None: ...
    async def get(self, customer_id: int) -> Customer | None: ...

    async def add_address(
        self, customer_id: int, label: str, address: str, at: datetime
    ) -> None: ...

    async def add_note(self, customer_id: int, note: str, author: str, at: datetime) -> None: ...


class StockRepository(Protocol):
    async def levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]: ...

    async def apply(self, movements: Sequence[StockMovement]) -> None:
        """Write movements and update their levels, refusing any that would break a level."""
        ...

    async def set_thresholds(
        self, variant_id: int, location_id: int, reorder_point: int, safety_stock: int
    ) -> None: ...


class OrderRepository(Protocol):
    async def add(self, order: Order) -> Order: ...
    async def get(self, order_id: int) -> Order | None: ...
    async def by_idempotency_key(self, key: str) -> Order | None: ...
    async def save(self, order: Order) -> None: ...


class TransferRepository(Protocol):
    """Transfers of stock between locations."""

    async def add(self, transfer: Transfer) -> Transfer: ...
    async def get(self, transfer_id: int) -> Transfer | None: ...

    async def save(self, transfer: Transfer) -> None:
        """Store its new status, lines and history, refusing if it changed meanwhile."""
        ...


class ReturnRepository(Protocol):
    """Returns (RMAs) of ordered goods."""

    async def add(self, rma: Return) -> Return: ...
    async def get(self, return_id: int) -> Return | None: ...

    async def of_order(self, order_id: int) -> list[Return]:
        """Every return of an order, oldest first. Holds the order until the transaction
        ends, so no other return of it is requested or received meanwhile."""
        ...

    async def save(self, rma: Return) -> None:
        """Store its new status, received units, refund and history, refusing if it
        changed meanwhile."""
        ...


class StockCountRepository(Protocol):
    """Stock counts: expected quantities snapshotted, then counted."""

    async def snapshot(self, location_id: int, variant_ids: Sequence[int] | None) -> list[Snapshot]:
        """On hand per level at a location, for these variants or (None) every one there."""
        ...

    async def add(self, count: StockCount) -> StockCount: ...
    async def get(self, count_id: int) -> StockCount | None: ...

    async def save(self, count: StockCount) -> None:
        """Store a changed count, refusing if it changed since it was loaded."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it commits together or not at all."""

    catalog: CatalogRepository
    locations: LocationRepository
    customers: CustomerRepository
    stock: StockRepository
    orders: OrderRepository
    transfers: TransferRepository
    returns: ReturnRepository
    counts: StockCountRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc_info: object) -> None: ...
    async def commit(self) -> None: ...
