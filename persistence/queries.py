"""The read side: lean SELECTs of just the columns the API shows, for lists and loaders.

Writes go through repositories and domain objects; reads come straight from here as rows
(attribute access by column label), so a page of results is built into API objects once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.model.customers import phone_search_key
from persistence.records import (
    ChannelLocationRecord,
    ChannelRecord,
    CustomerAddressRecord,
    CustomerNoteRecord,
    CustomerRecord,
    DocumentStatusChangeRecord,
    LocationRecord,
    OrderAllocationRecord,
    OrderLineRecord,
    OrderRecord,
    OrderStatusChangeRecord,
    ProductRecord,
    StockLevelRecord,
    StockMovementRecord,
    VariantRecord,
)

Rows = Sequence[Row]


@dataclass(frozen=True, slots=True)
class Page:
    """Keyset pagination over the id column: rows after `after_id`, `limit` of them.

    One row more than `limit` is fetched, so the caller can tell whether a next page exists.
    """

    limit: int
    after_id: int | None = None
    newest_first: bool = False
    count_total: bool = True  # a full count is not free on a big table: only when asked


async def _page(session: AsyncSession, query: Select, id_column, page: Page) -> tuple[Rows, int]:  # type: ignore[no-untyped-def]
    """One page of `query` plus the total count of rows matching it (without the cursor),
    or 0 for the count when the page does not ask for it."""
    total = 0
    if page.count_total:
        count = select(func.count()).select_from(query.order_by(None).subquery())
        total = await session.scalar(count) or 0
    if page.after_id is not None:
        query = query.where(
            id_column < page.after_id if page.newest_first else id_column > page.after_id
        )
    query = query.order_by(id_column.desc() if page.newest_first else id_column).limit(
        page.limit + 1
    )
    return (await session.execute(query)).all(), total


# -- catalog -----------------------------------------------------------------------------

PRODUCT_COLUMNS = (
    ProductRecord.id,
    ProductRecord.name,
    ProductRecord.description,
    ProductRecord.status,
    ProductRecord.kind,
    ProductRecord.created_at,
    ProductRecord.updated_at,
)
VARIANT_COLUMNS = (
    VariantRecord.id,
    VariantRecord.product_id,
    VariantRecord.sku,
    VariantRecord.name,
    VariantRecord.barcode,
    VariantRecord.price_cents,
    VariantRecord.currency,
)


async def products_page(
    session: AsyncSession, page: Page, *, search: str | None, sku: str | None
) -> tuple[Rows, int]:
    query = select(*PRODUCT_COLUMNS)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(ProductRecord.name).like(pattern),
                exists().where(
                    VariantRecord.product_id == ProductRecord.id,
                    func.lower(VariantRecord.sku).like(pattern),
                ),
            )
        )
    if sku:
        query = query.where(
            exists().where(VariantRecord.product_id == ProductRecord.id, VariantRecord.sku == sku)
        )
    return await _page(session, query, ProductRecord.id, page)


async def products_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    return (await session.execute(select(*PRODUCT_COLUMNS).where(ProductRecord.id.in_(ids)))).all()


async def variants_by_product_ids(session: AsyncSession, product_ids: Sequence[int]) -> Rows:
    query = (
        select(*VARIANT_COLUMNS)
        .where(VariantRecord.product_id.in_(product_ids))
        .order_by(VariantRecord.id)
    )
    return (await session.execute(query)).all()


async def variants_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    return (await session.execute(select(*VARIANT_COLUMNS).where(VariantRecord.id.in_(ids)))).all()


async def variants_by_skus(session: AsyncSession, skus: Sequence[str]) -> Rows:
    query = select(*VARIANT_COLUMNS).where(VariantRecord.sku.in_(skus))
    return (await session.execute(query)).all()


# -- locations and channels ----------------------------------------------------------------

LOCATION_COLUMNS = (
    LocationRecord.id,
    LocationRecord.code,
    LocationRecord.name,
    LocationRecord.kind,
    LocationRecord.address,
)


async def locations(session: AsyncSession, kind: str | None) -> Rows:
    query = select(*LOCATION_COLUMNS).order_by(LocationRecord.code)
    if kind:
        query = query.where(LocationRecord.kind == kind)
    return (await session.execute(query)).all()


async def locations_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = select(*LOCATION_COLUMNS).where(LocationRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def location_by_code(session: AsyncSession, code: str) -> Row | None:
    query = select(*LOCATION_COLUMNS).where(LocationRecord.code == code)
    return (await session.execute(query)).first()


async def channels(session: AsyncSession, codes: Sequence[str] | None = None) -> Rows:
    query = select(ChannelRecord.id, ChannelRecord.code, ChannelRecord.name).order_by(
        ChannelRecord.id
    )
    if codes is not None:
        query = query.where(ChannelRecord.code.in_(codes))
    return (await session.execute(query)).all()


async def channel_location_ids(session: AsyncSession, channel_ids: Sequence[int]) -> Rows:
    query = (
        select(ChannelLocationRecord.channel_id, ChannelLocationRecord.location_id)
        .where(ChannelLocationRecord.channel_id.in_(channel_ids))
        .order_by(ChannelLocationRecord.channel_id, ChannelLocationRecord.position)
    )
    return (await session.execute(query)).all()


# -- customers -----------------------------------------------------------------------------

CUSTOMER_COLUMNS = (
    CustomerRecord.id,
    CustomerRecord.email,
    CustomerRecord.name,
    CustomerRecord.phone,
    CustomerRecord.created_at,
    CustomerRecord.group_id,
)


async def customers_page(
    session: AsyncSession, page: Page, *, search: str | None, email: str | None = None
) -> tuple[Rows, int]:
    query = select(*CUSTOMER_COLUMNS)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(CustomerRecord.email).like(pattern),
                func.lower(CustomerRecord.name).like(pattern),
                CustomerRecord.phone.like(f"%{phone_search_key(search) or search}%"),
            )
        )
    if email is not None:
        query = query.where(CustomerRecord.email == email)
    return await _page(session, query, CustomerRecord.id, page)


async def customers_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = select(*CUSTOMER_COLUMNS).where(CustomerRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def addresses_by_customer_ids(session: AsyncSession, customer_ids: Sequence[int]) -> Rows:
    address = CustomerAddressRecord
    query = (
        select(address.customer_id, address.label, address.address, address.created_at)
        .where(address.customer_id.in_(customer_ids))
        .order_by(address.id)
    )
    return (await session.execute(query)).all()


async def notes_by_customer_ids(session: AsyncSession, customer_ids: Sequence[int]) -> Rows:
    note = CustomerNoteRecord
    query = (
        select(note.customer_id, note.note, note.author, note.created_at)
        .where(note.customer_id.in_(customer_ids))
        .order_by(note.id)
    )
    return (await session.execute(query)).all()


async def customer_by_email(session: AsyncSession, email: str) -> Row | None:
    query = select(*CUSTOMER_COLUMNS).where(CustomerRecord.email == email)
    return (await session.execute(query)).first()


# -- stock -----------------------------------------------------------------------------------

LEVEL_COLUMNS = (
    StockLevelRecord.id,
    StockLevelRecord.variant_id,
    StockLevelRecord.location_id,
    StockLevelRecord.on_hand,
    StockLevelRecord.reserved,
    StockLevelRecord.in_transit,
    StockLevelRecord.damaged,
    StockLevelRecord.incoming,
    StockLevelRecord.reorder_point,
    StockLevelRecord.safety_stock,
    # A level always shows its location, and there are few: joined in, not loaded apart.
    LocationRecord.code.label("location_code"),
    LocationRecord.name.label("location_name"),
    LocationRecord.kind.label("location_kind"),
    LocationRecord.address.label("location_address"),
)


def _levels() -> Select:
    return select(*LEVEL_COLUMNS).join(
        LocationRecord, LocationRecord.id == StockLevelRecord.location_id
    )


MOVEMENT_COLUMNS = (
    StockMovementRecord.id,
    StockMovementRecord.variant_id,
    StockMovementRecord.location_id,
    StockMovementRecord.kind,
    StockMovementRecord.on_hand_delta,
    StockMovementRecord.reserved_delta,
    StockMovementRecord.in_transit_delta,
    StockMovementRecord.damaged_delta,
    StockMovementRecord.incoming_delta,
    StockMovementRecord.reason,
    StockMovementRecord.reference,
    StockMovementRecord.note,
    StockMovementRecord.actor,
    StockMovementRecord.occurred_at,
)


def _by_sku_and_location(query: Select, record, sku: str | None, location_code: str | None):  # type: ignore[no-untyped-def]
    if sku:
        query = query.where(
            record.variant_id
            == select(VariantRecord.id).where(VariantRecord.sku == sku).scalar_subquery()
        )
    if location_code:
        query = query.where(
            record.location_id
            == select(LocationRecord.id)
            .where(LocationRecord.code == location_code)
            .scalar_subquery()
        )
    return query


async def stock_levels_page(
    session: AsyncSession, page: Page, *, sku: str | None, location_code: str | None
) -> tuple[Rows, int]:
    query = _by_sku_and_location(_levels(), StockLevelRecord, sku, location_code)
    return await _page(session, query, StockLevelRecord.id, page)


async def stock_levels_by_variant_ids(session: AsyncSession, variant_ids: Sequence[int]) -> Rows:
    query = (
        _levels()
        .where(StockLevelRecord.variant_id.in_(variant_ids))
        .order_by(StockLevelRecord.variant_id, StockLevelRecord.location_id)
    )
    return (await session.execute(query)).all()


async def stock_levels_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = _levels().where(StockLevelRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def stock_movements_page(
    session: AsyncSession,
    page: Page,
    *,
    sku: str | None,
    location_code: str | None,
    kind: str | None,
    reference: str | None,
) -> tuple[Rows, int]:
    query = _by_sku_and_location(select(*MOVEMENT_COLUMNS), StockMovementRecord, sku, location_code)
    if kind:
        query = query.where(StockMovementRecord.kind == kind)
    if reference:
        query = query.where(StockMovementRecord.reference == reference)
    return await _page(session, query, StockMovementRecord.id, page)


async def stock_movements_by_ids(session: AsyncSession, ids: Sequence[int]) -> Rows:
    query = select(*MOVEMENT_COLUMNS).where(StockMovementRecord.id.in_(ids))
    return (await session.execute(query)).all()


QUANTITIES = ("on_hand", "reserved", "in_transit", "damaged", "incoming")


async def ledger_discrepancies(session: AsyncSession) -> Rows:
    """Levels whose quantities differ from the sums of their movements, or break a rule
    (reserved, in transit, damaged and incoming never below zero; a short on hand is a
    warning: `stock_shortfalls`)."""
    sums = (
        select(
            StockMovementRecord.variant_id,
            StockMovementRecord.location_id,
            *(func.sum(getattr(StockMovementRecord, f"{q}_delta")).label(q) for q in QUANTITIES),
        )
        .group_by(StockMovementRecord.variant_id, StockMovementRecord.location_id)
        .subquery()
    )
    level = StockLevelRecord
    ledger = {q: func.coalesce(getattr(sums.c, q), 0) for q in QUANTITIES}
    query = (
        select(
            VariantRecord.sku,
            LocationRecord.code,
            *(getattr(level, q) for q in QUANTITIES),
            *(ledger[q].label(f"ledger_{q}") for q in QUANTITIES),
        )
        .join(VariantRecord, VariantRecord.id == level.variant_id)
        .join(LocationRecord, LocationRecord.id == level.location_id)
        .outerjoin(
            sums,
            (sums.c.variant_id == level.variant_id) & (sums.c.location_id == level.location_id),
        )
        .where(
            or_(
                *(getattr(level, q) != ledger[q] for q in QUANTITIES),
                *(getattr(level, q) < 0 for q in QUANTITIES if q != "on_hand"),
            )
        )
        .order_by(VariantRecord.sku, LocationRecord.code)
    )
    return (await session.execute(query)).all()


async def stock_shortfalls(session: AsyncSession) -> Rows:
    """Levels with on hand below zero, or below what is reserved there: a counter sale sold
    more than the ledger held. Not an error (the goods had left), but the shelf wants a count."""
    level = StockLevelRecord
    query = (
        select(VariantRecord.sku, LocationRecord.code, level.on_hand, level.reserved)
        .join(VariantRecord, VariantRecord.id == level.variant_id)
        .join(LocationRecord, LocationRecord.id == level.location_id)
        .where(or_(level.on_hand < 0, level.reserved > level.on_hand))
        .order_by(VariantRecord.sku, LocationRecord.code)
    )
    return (await session.execute(query)).all()


# -- orders ------------------------------------------------------------------------------------

ORDER_COLUMNS = (
    OrderRecord.id,
    OrderRecord.number,
    OrderRecord.channel,
    OrderRecord.fulfilment,
    OrderRecord.status,
    OrderRecord.currency,
    OrderRecord.total_cents,
    OrderRecord.customer_id,
    OrderRecord.shipping_address,
    OrderRecord.pickup_location_id,
    OrderRecord.created_at,
    OrderRecord.updated_at,
    CustomerRecord.email.label("customer_email"),
)


@dataclass(frozen=True, slots=True)
class OrderScope:
    """Which orders a caller may see: all, one customer's, or those touching some locations."""

    customer_email: str | None = None
    location_codes: frozenset[str] | None = None


def _orders_query(scope: OrderScope) -> Select:
    query = select(*ORDER_COLUMNS).outerjoin(
        CustomerRecord, CustomerRecord.id == OrderRecord.customer_id
    )
    return _within(query, scope)


def _within(query: Select, scope: OrderScope) -> Select:
    """`query`, over orders joined to their customer, narrowed to the orders in `scope`:
    the one rule for every list, page, count and total of orders a caller reads."""
    if scope.customer_email is not None:
        query = query.where(CustomerRecord.email == scope.customer_email)
    if scope.location_codes is not None:
        location_ids = select(LocationRecord.id).where(
            LocationRecord.code.in_(sorted(scope.location_codes))
        )
        query = query.where(
            or_(
                OrderRecord.pickup_location_id.in_(location_ids),
                exists().where(
                    OrderAllocationRecord.order_id == OrderRecord.id,
                    OrderAllocationRecord.location_id.in_(location_ids),
                ),
            )
        )
    return query


async def orders_page(
    session: AsyncSession,
    page: Page,
    scope: OrderScope,
    *,
    status: str | None,
    channel: str | None,
    customer_email: str | None,
    fulfilment: str | None,
) -> tuple[Rows, int]:
    query = _orders_query(scope)
    if status:
        query = query.where(OrderRecord.status == status)
    if channel:
        query = query.where(OrderRecord.channel == channel)
    if fulfilment:
        query = query.where(OrderRecord.fulfilment == fulfilment)
    if customer_email:
        query = query.where(CustomerRecord.email == customer_email)
    return await _page(session, query, OrderRecord.id, page)


async def order_summaries_by_customer_ids(
    session: AsyncSession, customer_ids: Sequence[int], scope: OrderScope
) -> Rows:
    """Per customer and currency: orders placed (not cancelled), their total, the last one;
    of the orders in `scope` only, so a caller's totals add up what it may list."""
    query = _within(
        select(
            OrderRecord.customer_id,
            OrderRecord.currency,
            func.count().label("orders"),
            func.sum(OrderRecord.total_cents).label("total_cents"),
            func.max(OrderRecord.created_at).label("last_order_at"),
        ).join(CustomerRecord, CustomerRecord.id == OrderRecord.customer_id),
        scope,
    )
    query = (
        query.where(OrderRecord.customer_id.in_(customer_ids), OrderRecord.status != "CANCELLED")
        .group_by(OrderRecord.customer_id, OrderRecord.currency)
        .order_by(OrderRecord.customer_id, OrderRecord.currency)
    )
    return (await session.execute(query)).all()


async def orders_by_ids(session: AsyncSession, ids: Sequence[int], scope: OrderScope) -> Rows:
    query = _orders_query(scope).where(OrderRecord.id.in_(ids))
    return (await session.execute(query)).all()


async def order_lines_by_order_ids(session: AsyncSession, order_ids: Sequence[int]) -> Rows:
    query = (
        select(
            OrderLineRecord.id,
            OrderLineRecord.order_id,
            OrderLineRecord.variant_id,
            OrderLineRecord.sku,
            OrderLineRecord.name,
            OrderLineRecord.quantity,
            OrderLineRecord.unit_price_cents,
            OrderRecord.currency,
        )
        .join(OrderRecord, OrderRecord.id == OrderLineRecord.order_id)
        .where(OrderLineRecord.order_id.in_(order_ids))
        .order_by(OrderLineRecord.id)
    )
    return (await session.execute(query)).all()


async def allocations_by_order_ids(session: AsyncSession, order_ids: Sequence[int]) -> Rows:
    query = (
        select(
            OrderAllocationRecord.order_line_id,
            OrderAllocationRecord.order_id,
            OrderAllocationRecord.location_id,
            OrderAllocationRecord.quantity,
            OrderAllocationRecord.fulfilled,
        )
        .where(OrderAllocationRecord.order_id.in_(order_ids))
        .order_by(OrderAllocationRecord.id)
    )
    return (await session.execute(query)).all()


STATUS_CHANGE_COLUMNS = (
    OrderStatusChangeRecord.order_id,
    OrderStatusChangeRecord.sequence,
    OrderStatusChangeRecord.from_status,
    OrderStatusChangeRecord.to_status,
    OrderStatusChangeRecord.actor,
    OrderStatusChangeRecord.note,
    OrderStatusChangeRecord.occurred_at,
)


async def status_changes_after(session: AsyncSession, order_id: int, sequence: int) -> Rows:
    """An order's status changes after a sequence number, in order: what a client missed."""
    query = (
        select(*STATUS_CHANGE_COLUMNS)
        .where(
            OrderStatusChangeRecord.order_id == order_id,
            OrderStatusChangeRecord.sequence > sequence,
        )
        .order_by(OrderStatusChangeRecord.sequence)
    )
    return (await session.execute(query)).all()


async def status_changes_by_order_ids(session: AsyncSession, order_ids: Sequence[int]) -> Rows:
    query = (
        select(*STATUS_CHANGE_COLUMNS)
        .where(OrderStatusChangeRecord.order_id.in_(order_ids))
        .order_by(OrderStatusChangeRecord.order_id, OrderStatusChangeRecord.sequence)
    )
    return (await session.execute(query)).all()


# -- stock documents (transfers, returns) ----------------------------------------------------

DOCUMENT_CHANGE_COLUMNS = (
    DocumentStatusChangeRecord.document_id,
    DocumentStatusChangeRecord.sequence,
    DocumentStatusChangeRecord.from_status,
    DocumentStatusChangeRecord.to_status,
    DocumentStatusChangeRecord.actor,
    DocumentStatusChangeRecord.note,
    DocumentStatusChangeRecord.occurred_at,
)


async def document_changes_by_ids(
    session: AsyncSession, document: str, document_ids: Sequence[int]
) -> Rows:
    """The histories of several documents of one kind, each oldest first."""
    change = DocumentStatusChangeRecord
    query = (
        select(*DOCUMENT_CHANGE_COLUMNS)
        .where(change.document_type == document, change.document_id.in_(document_ids))
        .order_by(change.document_id, change.sequence)
    )
    return (await session.execute(query)).all()
