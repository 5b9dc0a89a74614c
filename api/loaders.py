"""DataLoaders, made afresh for every request (each the first time it is used): their
batches read through the request's `RequestReads` (one connection for all of an HTTP
request's batches, persistence/request_reads.py).

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
from functools import cached_property, partial
from typing import Any, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from api.pagination import Connection, connection
from api.types.addresses import Address
from api.types.boms import BomLoaders
from api.types.catalog import Product, Variant
from api.types.categories import CategoryLoaders
from api.types.collections import CollectionLoaders
from api.types.counts import StockCountLoaders
from api.types.customer_groups import CustomerGroupLoaders
from api.types.customers import Customer, CustomerAddress, CustomerCredit, CustomerNote
from api.types.inventory import StockLevel, StockMovement
from api.types.invoices import InvoiceLoaders
from api.types.locations import Channel, Location
from api.types.media import MediaLoaders
from api.types.nodes import forget
from api.types.options import OptionLoaders
from api.types.orders import Order, OrderLine, OrderStatusChange
from api.types.payments import PaymentLoaders
from api.types.pos import PosLoaders
from api.types.promotions import PromotionLoaders
from api.types.purchase_orders import PurchaseOrderLoaders
from api.types.returns import ReturnLoaders
from api.types.services import ServiceLoaders
from api.types.shipments import ShipmentLoaders
from api.types.shipping_methods import ShippingLoaders
from api.types.suppliers import SupplierLoaders
from api.types.transfers import TransferLoaders
from api.types.work_orders import WorkOrderLoaders
from domain.access import Principal, Role
from persistence.reads import catalog as catalog_reads
from persistence.reads import channel_availability as channel_reads
from persistence.reads import credit as credit_reads
from persistence.reads import customers as customer_reads
from persistence.reads import locations as location_reads
from persistence.reads import orders as order_reads
from persistence.reads import stock as stock_reads
from persistence.reads.orders import OrderScope
from persistence.reads.pages import Page
from persistence.request_reads import RequestReads

T = TypeVar("T")
MaySee = Callable[[Principal, T], bool]
Fetch = Callable[[AsyncSession, Sequence[Any]], Awaitable[Sequence[Row]]]
# A page per owner of a batch: (session, owner ids, page, option) -> (rows, totals by owner).
PagesFetch = Callable[
    [AsyncSession, Sequence[int], Page, Any], Awaitable[tuple[Sequence[Row], dict[int, int]]]
]


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
    """The loaders of one request. Each is made the first time it is asked for: a request
    uses a few of the ~60, and making them all up front was a good part of the fixed cost
    of a small request."""

    def __init__(self, reads: RequestReads, principal: Principal) -> None:
        self._reads = reads
        self.principal = principal  # whose scope the loaders that filter by caller apply

    @cached_property
    def product(self) -> DataLoader[int, Product | None]:
        return self.by_id(catalog_reads.products_by_ids, Product.from_row)

    @cached_property
    def variant(self) -> DataLoader[int, Variant | None]:
        return self.by_id(catalog_reads.variants_by_ids, Variant.from_row)

    @cached_property
    def channels_by_product(self) -> DataLoader[Any, list[Channel]]:
        """The channels each product is published on."""
        return self.grouped(channel_reads.channels_by_product_ids, "product_id", Channel.after_key)

    @cached_property
    def variants_by_product(self) -> DataLoader[Any, list[Variant]]:
        return self.grouped(catalog_reads.variants_by_product_ids, "product_id", Variant.from_row)

    @cached_property
    def options(self) -> OptionLoaders:
        return OptionLoaders(self)

    @cached_property
    def levels_by_variant(self) -> DataLoader[Any, list[StockLevel]]:
        return self.grouped_batch(
            stock_reads.stock_levels_by_variant_ids, "variant_id", StockLevel.from_rows
        )

    @cached_property
    def level(self) -> DataLoader[int, StockLevel | None]:
        fetch = self.fetch_if(self.principal.may_read_stock(), stock_reads.stock_levels_by_ids)
        return self.by_id(fetch, StockLevel.from_row)

    @cached_property
    def movement(self) -> DataLoader[int, StockMovement | None]:
        fetch = self.fetch_if(self.principal.may_read_stock(), stock_reads.stock_movements_by_ids)
        return self.by_id(fetch, StockMovement.from_row)

    @cached_property
    def location(self) -> DataLoader[int, Location | None]:
        return self.by_id(location_reads.locations_by_ids, Location.from_row)

    @cached_property
    def postal_address(self) -> DataLoader[int, Address | None]:
        """A location's structured address, by location id."""
        return self.by_id(
            location_reads.postal_addresses_by_location_ids,
            lambda row: Address.from_json(row.postal_address),
        )

    @cached_property
    def channel_location_ids(self) -> DataLoader[Any, list[int]]:
        return self.grouped(
            location_reads.channel_location_ids, "channel_id", lambda row: row.location_id
        )

    @cached_property
    def customer(self) -> DataLoader[int, Customer | None]:
        return self.by_id(
            customer_reads.customers_by_ids, Customer.from_row, may_see=_may_see_customer
        )

    @cached_property
    def addresses_by_customer(self) -> DataLoader[Any, list[CustomerAddress]]:
        return self.grouped(
            customer_reads.addresses_by_customer_ids, "customer_id", CustomerAddress.from_row
        )

    @cached_property
    def notes_by_customer(self) -> DataLoader[Any, list[CustomerNote]]:
        return self.grouped(
            customer_reads.notes_by_customer_ids, "customer_id", CustomerNote.from_row
        )

    @cached_property
    def credit_by_customer(self) -> DataLoader[int, CustomerCredit | None]:
        # Credit counts every order of the customer, whoever asks: it is what the customer
        # owes, not a list of orders (Customer.creditUsed).
        return self.by_id(credit_reads.credit_by_customer_ids, CustomerCredit.from_row)

    @cached_property
    def customer_groups(self) -> CustomerGroupLoaders:
        return CustomerGroupLoaders(self)

    @cached_property
    def categories(self) -> CategoryLoaders:
        return CategoryLoaders(self)

    @cached_property
    def collections(self) -> CollectionLoaders:
        return CollectionLoaders(self)

    @cached_property
    def promotions(self) -> PromotionLoaders:
        return PromotionLoaders(self)

    @cached_property
    def order_summaries_by_customer(self) -> DataLoader[Any, list[Any]]:
        # A customer's totals count the orders the caller may list, as `Customer.orders` does.
        scope = order_scope(self.principal)
        return self.grouped(
            (lambda session, ids: order_reads.order_summaries_by_customer_ids(session, ids, scope))
            if scope is not None
            else _nothing,
            "customer_id",
            lambda row: row,
        )

    @cached_property
    def order(self) -> DataLoader[int, Order | None]:
        scope = order_scope(self.principal)
        return self.by_id(
            (lambda session, ids: order_reads.orders_by_ids(session, ids, scope))
            if scope is not None
            else _nothing,
            Order.from_row,
        )

    @cached_property
    def lines_by_order(self) -> DataLoader[int, list[OrderLine]]:
        return DataLoader(self._order_lines)

    @cached_property
    def history_by_order(self) -> DataLoader[Any, list[OrderStatusChange]]:
        return self.grouped(
            order_reads.status_changes_by_order_ids, "order_id", OrderStatusChange.from_row
        )

    @cached_property
    def shipments(self) -> ShipmentLoaders:
        return ShipmentLoaders(self)

    @cached_property
    def shipping_methods(self) -> ShippingLoaders:
        return ShippingLoaders(self)

    @cached_property
    def transfers(self) -> TransferLoaders:
        return TransferLoaders(self)

    @cached_property
    def suppliers(self) -> SupplierLoaders:
        return SupplierLoaders(self)

    @cached_property
    def purchase_orders(self) -> PurchaseOrderLoaders:
        return PurchaseOrderLoaders(self)

    @cached_property
    def returns(self) -> ReturnLoaders:
        return ReturnLoaders(self)

    @cached_property
    def counts(self) -> StockCountLoaders:
        return StockCountLoaders(self)

    @cached_property
    def pos(self) -> PosLoaders:
        return PosLoaders(self)

    @cached_property
    def payments(self) -> PaymentLoaders:
        return PaymentLoaders(self)

    @cached_property
    def invoices(self) -> InvoiceLoaders:
        return InvoiceLoaders(self)

    @cached_property
    def services(self) -> ServiceLoaders:
        return ServiceLoaders(self)

    @cached_property
    def boms(self) -> BomLoaders:
        return BomLoaders(self)

    @cached_property
    def work_orders(self) -> WorkOrderLoaders:
        return WorkOrderLoaders(self)

    @cached_property
    def media(self) -> MediaLoaders:
        return MediaLoaders(self)

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
            rows = await self._reads.run(lambda session: fetch(session, ids))
            found = {row.id: build(row) for row in rows}
            if may_see is not None:
                found = {key: obj for key, obj in found.items() if may_see(principal, obj)}
            return [found.get(i) for i in ids]

        return DataLoader(load)

    def grouped(
        self, fetch: Fetch, key: str, build: Callable[[Row], T]
    ) -> DataLoader[Any, list[T]]:
        """A loader of a list per key: `fetch(session, keys)` returns rows with a `key`."""
        return self.grouped_batch(fetch, key, lambda rows: [build(row) for row in rows])

    def grouped_batch(
        self, fetch: Fetch, key: str, build_all: Callable[[Sequence[Row]], list[T]]
    ) -> DataLoader[Any, list[T]]:
        """`grouped`, with the objects of a batch built from all its rows at once, one per
        row and in their order: for objects that share parts within a batch
        (`StockLevel.from_rows`)."""

        async def load(keys: list[Any]) -> list[list[T]]:
            rows = await self._reads.run(lambda session: fetch(session, keys))
            groups: dict[Any, list[T]] = defaultdict(list)
            for row, obj in zip(rows, build_all(rows), strict=True):
                groups[getattr(row, key)].append(obj)
            return [groups.get(k, []) for k in keys]

        return DataLoader(load)

    def paged(
        self, fetch: PagesFetch, build: Callable[[Row], T]
    ) -> DataLoader[tuple[int, Page, Any], Connection[Any]]:
        """A loader of a connection per (owner id, page, option): a list of each owner's
        own (a category's products) paged with `first`/`after`. The keys of a batch that
        share a page and an option (those of one field of a list) cost one `fetch`, whose
        rows carry an `owner_id` and the cursor key as `id`."""

        async def load(keys: list[tuple[int, Page, Any]]) -> list[Connection[Any]]:
            owners: dict[tuple[Page, Any], list[int]] = defaultdict(list)
            for owner, page, option in keys:
                owners[(page, option)].append(owner)
            found: dict[tuple[int, Page, Any], Connection[Any]] = {}
            for (page, option), ids in owners.items():
                rows, totals = await self._reads.run(partial(_fetch_page, fetch, ids, page, option))
                by_owner: dict[int, list[Row]] = defaultdict(list)
                for row in rows:
                    by_owner[row.owner_id].append(row)
                for owner in ids:
                    found[(owner, page, option)] = connection(
                        by_owner[owner], totals.get(owner, 0), page, build
                    )
            return [found[key] for key in keys]

        return DataLoader(load)

    async def _order_lines(self, order_ids: list[int]) -> list[list[OrderLine]]:
        async def read(session: AsyncSession) -> tuple[Sequence[Row], Sequence[Row]]:
            lines = await order_reads.order_lines_by_order_ids(session, order_ids)
            return lines, await order_reads.allocations_by_order_ids(session, order_ids)

        line_rows, allocation_rows = await self._reads.run(read)
        return OrderLine.by_order(order_ids, line_rows, allocation_rows)


def _may_see_customer(principal: Principal, customer: Customer) -> bool:
    """Those who serve customers see them all; a customer sees itself."""
    return principal.may_read_customers() or customer.email == principal.customer_email


def _fetch_page(
    fetch: PagesFetch, ids: Sequence[int], page: Page, option: Any, session: AsyncSession
) -> Awaitable[tuple[Sequence[Row], dict[int, int]]]:
    return fetch(session, ids, page, option)


async def _nothing(session: AsyncSession, ids: Sequence[Any]) -> Sequence[Row]:
    return []


def reload(loader: DataLoader[Any, T], key: Any) -> Awaitable[T]:
    """Load `key` afresh: after a mutation the cached value may be stale."""
    forget(loader, key)
    return loader.load(key)
