"""DataLoaders, made afresh for every request: each batch opens its own short read session.

Every relation in the schema resolves through one of these, so a page of results costs a
fixed number of queries however long the page is.

They are also where visibility lives: the loaders are made for one caller (`principal`), and
a loader of documents returns only those the caller may see (None for the others, as if
they did not exist), so a type, a node lookup, a payload or a subscription that loads
through them shows nothing more. Orders are scoped in their query (`order_scope`); the
other documents by a `may_see(principal, obj)` check on each object loaded
(`by_id(..., may_see=...)`), which costs no query; what only some callers may read at all
(stock, suppliers) by `fetch_if`, which for the others loads nothing without a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.types.boms import BomLoaders
from api.types.catalog import Product, Variant
from api.types.counts import StockCountLoaders
from api.types.customer_groups import CustomerGroupLoaders
from api.types.customers import Customer, CustomerAddress, CustomerCredit, CustomerNote
from api.types.inventory import StockLevel, StockMovement
from api.types.invoices import InvoiceLoaders
from api.types.locations import Location
from api.types.nodes import forget
from api.types.orders import (
    Order,
    OrderAllocation,
    OrderLine,
    OrderStatusChange,
)
from api.types.payments import PaymentLoaders
from api.types.pos import PosLoaders
from api.types.purchase_orders import PurchaseOrderLoaders
from api.types.returns import ReturnLoaders
from api.types.services import ServiceLoaders
from api.types.shipments import ShipmentLoaders
from api.types.suppliers import SupplierLoaders
from api.types.transfers import TransferLoaders
from api.types.work_orders import WorkOrderLoaders
from domain.access import Principal, Role
from persistence.database import Database
from persistence.reads import catalog as catalog_reads
from persistence.reads import credit as credit_reads
from persistence.reads import customers as customer_reads
from persistence.reads import locations as location_reads
from persistence.reads import orders as order_reads
from persistence.reads import stock as stock_reads
from persistence.reads.orders import OrderScope

T = TypeVar("T")
MaySee = Callable[[Principal, T], bool]
Fetch = Callable[[AsyncSession, Sequence[Any]], Awaitable[Sequence[Row]]]


def order_scope(principal: Principal) -> OrderScope | None:
    """The orders a caller may see, as a query scope; None when it may see none."""
    if principal.role is Role.CUSTOMER:
        return OrderScope(customer_email=principal.customer_email or "")
    if principal.sees_all_locations:
        return OrderScope()
    if principal.role in (Role.STAFF, Role.POS):
        return OrderScope(location_codes=principal.location_codes)
    return None


class Loaders:
    def __init__(self, database: Database, principal: Principal) -> None:
        self._database = database
        self.principal = principal  # whose scope the loaders that filter by caller apply
        self.product = self.by_id(catalog_reads.products_by_ids, Product.from_row)
        self.variant = self.by_id(catalog_reads.variants_by_ids, Variant.from_row)
        self.variants_by_product = self.grouped(
            catalog_reads.variants_by_product_ids, "product_id", Variant.from_row
        )
        self.levels_by_variant = self.grouped(
            stock_reads.stock_levels_by_variant_ids, "variant_id", StockLevel.from_row
        )
        reads_stock = principal.may_read_stock()
        self.level = self.by_id(
            self.fetch_if(reads_stock, stock_reads.stock_levels_by_ids), StockLevel.from_row
        )
        self.movement = self.by_id(
            self.fetch_if(reads_stock, stock_reads.stock_movements_by_ids), StockMovement.from_row
        )
        self.location = self.by_id(location_reads.locations_by_ids, Location.from_row)
        self.channel_location_ids = self.grouped(
            location_reads.channel_location_ids, "channel_id", lambda row: row.location_id
        )
        self.customer = self.by_id(
            customer_reads.customers_by_ids, Customer.from_row, may_see=_may_see_customer
        )
        self.addresses_by_customer = self.grouped(
            customer_reads.addresses_by_customer_ids, "customer_id", CustomerAddress.from_row
        )
        self.notes_by_customer = self.grouped(
            customer_reads.notes_by_customer_ids, "customer_id", CustomerNote.from_row
        )
        # Credit counts every order of the customer, whoever asks: it is what the customer
        # owes, not a list of orders (Customer.creditUsed).
        self.credit_by_customer = self.by_id(
            credit_reads.credit_by_customer_ids, CustomerCredit.from_row
        )
        self.customer_groups = CustomerGroupLoaders(self)
        scope = order_scope(principal)
        # A customer's totals count the orders the caller may list, as `Customer.orders` does.
        self.order_summaries_by_customer = self.grouped(
            (lambda session, ids: order_reads.order_summaries_by_customer_ids(session, ids, scope))
            if scope is not None
            else _nothing,
            "customer_id",
            lambda row: row,
        )
        self.order = self.by_id(
            (lambda session, ids: order_reads.orders_by_ids(session, ids, scope))
            if scope is not None
            else _nothing,
            Order.from_row,
        )
        self.lines_by_order: DataLoader[int, list[OrderLine]] = DataLoader(self._order_lines)
        self.history_by_order = self.grouped(
            order_reads.status_changes_by_order_ids, "order_id", OrderStatusChange.from_row
        )
        self.shipments = ShipmentLoaders(self)
        self.transfers = TransferLoaders(self)
        self.suppliers = SupplierLoaders(self)
        self.purchase_orders = PurchaseOrderLoaders(self)
        self.returns = ReturnLoaders(self)
        self.counts = StockCountLoaders(self)
        self.pos = PosLoaders(self)
        self.payments = PaymentLoaders(self)
        self.invoices = InvoiceLoaders(self)
        self.services = ServiceLoaders(self)
        self.boms = BomLoaders(self)
        self.work_orders = WorkOrderLoaders(self)

    @staticmethod
    def fetch_if(allowed: bool, fetch: Fetch) -> Fetch:
        """`fetch` for a caller `allowed` to read what it fetches; for any other, a fetch
        that finds nothing and costs no query."""
        return fetch if allowed else _nothing

    def by_id(
        self, fetch: Fetch, build: Callable[[Row], T], may_see: MaySee[T] | None = None
    ) -> DataLoader[int, T | None]:
        """A loader of one object per id: `fetch(session, ids)` returns rows with an `id`.
        With `may_see`, an object the caller may not see loads as None."""
        principal = self.principal

        async def load(ids: list[int]) -> list[T | None]:
            async with self._database.read_session() as session:
                rows = await fetch(session, ids)
            found = {row.id: build(row) for row in rows}
            if may_see is not None:
                found = {key: obj for key, obj in found.items() if may_see(principal, obj)}
            return [found.get(i) for i in ids]

        return DataLoader(load)

    def grouped(
        self, fetch: Fetch, key: str, build: Callable[[Row], T]
    ) -> DataLoader[Any, list[T]]:
        """A loader of a list per key: `fetch(session, keys)` returns rows with a `key`."""

        async def load(keys: list[Any]) -> list[list[T]]:
            async with self._database.read_session() as session:
                rows = await fetch(session, keys)
            groups: dict[Any, list[T]] = defaultdict(list)
            for row in rows:
                groups[getattr(row, key)].append(build(row))
            return [groups.get(k, []) for k in keys]

        return DataLoader(load)

    async def _order_lines(self, order_ids: list[int]) -> list[list[OrderLine]]:
        async with self._database.read_session() as session:
            lines = await order_reads.order_lines_by_order_ids(session, order_ids)
            allocation_rows = await order_reads.allocations_by_order_ids(session, order_ids)
        allocations: dict[int, list[OrderAllocation]] = defaultdict(list)
        for row in allocation_rows:
            allocations[row.order_line_id].append(
                OrderAllocation(
                    location_id=row.location_id, quantity=row.quantity, fulfilled=row.fulfilled
                )
            )
        by_order: dict[int, list[OrderLine]] = defaultdict(list)
        for row in lines:
            by_order[row.order_id].append(OrderLine.from_row(row, allocations[row.id]))
        return [by_order.get(i, []) for i in order_ids]


def _may_see_customer(principal: Principal, customer: Customer) -> bool:
    """Those who serve customers see them all; a customer sees itself."""
    return principal.may_read_customers() or customer.email == principal.customer_email


async def _nothing(session: AsyncSession, ids: Sequence[Any]) -> Sequence[Row]:
    return []


def reload(loader: DataLoader[Any, T], key: Any) -> Awaitable[T]:
    """Load `key` afresh: after a mutation the cached value may be stale."""
    forget(loader, key)
    return loader.load(key)
