"""What the domain needs from the outside world, as Protocols the persistence layer fulfils."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from domain.access import Role
from domain.category_ports import CategoryRepository, CollectionRepository
from domain.media_ports import MediaRepository
from domain.model.accounts import AccountTokenPurpose, CustomerAccount
from domain.model.addresses import Address
from domain.model.boms import Component, Structure
from domain.model.catalog import Product, ProductStatus, Variant
from domain.model.counts import Snapshot, StockCount
from domain.model.credit import CreditPosition
from domain.model.customers import Customer
from domain.model.inventory import StockLevel, StockMovement
from domain.model.locations import Channel, ChannelCode, Location
from domain.model.material_requirements import BackorderedLine
from domain.model.options import Attribute, AttributeValues, ProductOption, SelectedOption
from domain.model.orders import Order
from domain.model.pos import CounterSale, PosTerminal
from domain.model.pricing import CustomerGroup, GroupPrice
from domain.model.purchase_orders import PurchaseOrder
from domain.model.returns import Return
from domain.model.services import Booking, Consumable, ServiceCapacity
from domain.model.sessions import Revocation, Session, SessionKind
from domain.model.shipments import Shipment
from domain.model.suppliers import Supplier, SupplierCost, SupplierPrice
from domain.model.transfers import Transfer
from domain.model.webhooks import Webhook
from domain.model.work_orders import WorkOrder
from domain.money import Money
from domain.money_ports import InvoiceRepository, PaymentRepository
from domain.pricing_ports import PromotionRepository, ShippingRepository, TaxRepository


class CatalogRepository(Protocol):
    async def add(self, product: Product) -> Product: ...
    async def existing_skus(self, skus: Iterable[str]) -> set[str]: ...
    async def variants_by_sku(self, skus: Iterable[str]) -> dict[str, Variant]: ...
    async def set_price(self, variant_id: int, price: Money) -> None: ...
    async def status_of(self, product_id: int) -> ProductStatus | None: ...

    async def set_channels(self, product_id: int, channels: Sequence[ChannelCode]) -> bool:
        """Publish a product on these channels only; False when there is no such product."""
        ...

    async def unpublished_skus(self, skus: Iterable[str], channel: ChannelCode) -> set[str]:
        """Those of `skus` whose product is not published on `channel`."""
        ...

    async def set_status(self, product_id: int, status: ProductStatus) -> None:
        """Change a product's status, and mark its variants changed (the POS feed)."""
        ...

    async def set_tax_class(self, variant_ids: Iterable[int], tax_class: str | None) -> None:
        """Put these variants in a tax class (None: STANDARD), and mark them changed."""
        ...


class OptionRepository(Protocol):
    async def options_of(self, product_id: int) -> tuple[ProductOption, ...] | None:
        """The product's options, in order, the product locked for the transaction (so
        changes to its options and its variants' selections run one at a time); None when
        there is no such product."""
        ...

    async def used_values(self, product_id: int) -> set[SelectedOption]:
        """The option values some variant of the product selects."""
        ...

    async def set_options(self, product_id: int, options: Sequence[ProductOption]) -> None:
        """Replace the product's options (those kept matched by name); variants with a
        selection get the first value of each new option."""
        ...

    async def variant_of(
        self, variant_id: int | None, sku: str | None
    ) -> tuple[int, int, str] | None:
        """(variant id, product id, SKU) of the variant of this id, else of this SKU."""
        ...

    async def select_options(
        self, variant_id: int, product_id: int, selection: Sequence[SelectedOption]
    ) -> None:
        """Give the variant these values of its product's options (a valid selection);
        OptionCombinationTaken when another variant of the product has them."""
        ...


class AttributeRepository(Protocol):
    async def add(self, attribute: Attribute) -> Attribute:
        """Duplicate when its slug is taken."""
        ...

    async def by_slugs(self, slugs: Sequence[str]) -> dict[str, Attribute]: ...
    async def add_values(self, attribute: Attribute, values: Sequence[str]) -> None: ...

    async def set_product_values(
        self, product_id: int, attributes: Sequence[tuple[Attribute, AttributeValues]]
    ) -> None:
        """Make the product's attribute values exactly these."""
        ...


class LocationRepository(Protocol):
    async def add(self, location: Location) -> Location: ...
    async def by_code(self, codes: Iterable[str]) -> dict[str, Location]: ...
    async def by_id(self, ids: Iterable[int]) -> dict[int, Location]: ...
    async def channel(self, code: ChannelCode) -> Channel: ...
    async def set_channel_locations(self, channel: Channel, location_ids: list[int]) -> None: ...
    async def set_payment_settings(self, channel: Channel) -> None: ...
    async def set_tax_settings(self, channel: Channel) -> None: ...

    async def set_postal_address(self, location_id: int, address: Address | None) -> None:
        """The location's structured address (what sales there are taxed by)."""
        ...


class CustomerRepository(Protocol):
    async def add(self, customer: Customer, at: datetime | None = None) -> Customer: ...
    async def by_email(self, email: str) -> Customer | None: ...
    async def by_phone(self, phone: str) -> Customer | None: ...
    async def get(self, customer_id: int) -> Customer | None: ...
    async def set_group(self, customer_id: int, group_id: int | None) -> None: ...

    async def add_address(
        self, customer_id: int, label: str, address: Address, at: datetime
    ) -> None: ...

    async def add_note(self, customer_id: int, note: str, author: str, at: datetime) -> None: ...
    async def set_credit_limit(self, customer_id: int, limit: Money | None) -> None: ...

    async def credit_position(self, customer_id: int) -> CreditPosition:
        """The customer's limit (its own, else its group's) and what it owes in that
        currency. Holds the customer's row until the transaction ends, so concurrent orders
        of one customer are judged one at a time, each seeing those committed before it."""
        ...


class CustomerGroupRepository(Protocol):
    """Customer groups and their price lists (wholesale terms)."""

    async def add(self, group: CustomerGroup) -> CustomerGroup: ...

    async def by_code(self, code: str) -> CustomerGroup | None:
        """The group without its price list. Holds it until the transaction ends, so its
        terms change one request at a time."""
        ...

    async def get(self, group_id: int, variant_ids: Iterable[int]) -> CustomerGroup | None:
        """The group with the entries of its price list for these variants."""
        ...

    async def set_prices(self, group_id: int, prices: Sequence[GroupPrice]) -> None:
        """Add these entries, replacing any for the same variants."""
        ...

    async def remove_prices(self, group_id: int, variant_ids: Iterable[int]) -> None: ...
    async def set_credit_limit(self, group_id: int, limit: Money | None) -> None: ...


class StockRepository(Protocol):
    async def levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]: ...

    async def apply(self, movements: Sequence[StockMovement]) -> None:
        """Write movements and update their levels, refusing any that would break a level."""
        ...

    async def hold_levels(
        self, variant_ids: Iterable[int], location_ids: Iterable[int]
    ) -> dict[tuple[int, int], StockLevel]:
        """The levels, held until the transaction ends (no one else changes them): locked
        in (variant, location) order, as every writer locks levels."""
        ...

    async def apply_held(self, movements: Sequence[StockMovement]) -> None:
        """Write movements on levels `hold_levels` holds, each already checked against the
        level (`inventory.refusal`), with a few statements however many there are."""
        ...

    async def set_thresholds(
        self, variant_id: int, location_id: int, reorder_point: int, safety_stock: int
    ) -> None: ...


class OrderRepository(Protocol):
    async def add(self, order: Order) -> Order: ...

    async def add_many(self, orders: Sequence[Order]) -> list[Order]:
        """Add new orders with a few bulk statements, numbering them in this order."""
        ...

    async def get(self, order_id: int) -> Order | None: ...

    async def by_idempotency_key(self, scope: str, key: str) -> Order | None:
        """The order placed with this key in this caller's space (`idempotency_scope`)."""
        ...

    async def save(self, order: Order) -> None: ...

    async def backordered(self, variant_ids: set[int]) -> list[int]:
        """The ids of BACKORDERED orders waiting for any of these variants, oldest first,
        held by this transaction (orders another one holds are skipped)."""
        ...

    async def ids_by_number(self, numbers: Iterable[str]) -> dict[str, int]:
        """The ids of the orders with these numbers (those that exist)."""
        ...


class ShipmentRepository(Protocol):
    """Shipments of orders; they are loaded with their order (`OrderRepository.get`)."""

    async def order_id_of(self, shipment_id: int) -> int | None:
        """The order a shipment belongs to. Holds that order until the transaction ends, so
        no two tracking events of its shipments are recorded at once."""
        ...

    async def save(self, order: Order, shipment: Shipment) -> None:
        """Store a shipment's new status and the tracking events not stored yet."""
        ...


class TransferRepository(Protocol):
    """Transfers of stock between locations."""

    async def add(self, transfer: Transfer) -> Transfer: ...
    async def get(self, transfer_id: int) -> Transfer | None: ...

    async def save(self, transfer: Transfer) -> None:
        """Store its new status, lines and history, refusing if it changed meanwhile."""
        ...


class SupplierRepository(Protocol):
    """Suppliers and their price lists."""

    async def add(self, supplier: Supplier) -> Supplier: ...

    async def by_code(self, code: str) -> Supplier | None:
        """The supplier (without its prices). Holds it until the transaction ends, so its
        price list changes one request at a time."""
        ...

    async def set_prices(self, supplier_id: int, prices: Sequence[SupplierCost]) -> None:
        """Add these entries, replacing any of the supplier's for the same variants."""
        ...

    async def prices_for(self, variant_ids: Iterable[int]) -> dict[int, list[SupplierPrice]]:
        """Every supplier's price of each of these variants, by variant id, each list in
        supplier code order; a variant no supplier prices is left out."""
        ...


class PurchaseOrderRepository(Protocol):
    """Purchase orders from suppliers."""

    async def add(self, order: PurchaseOrder) -> PurchaseOrder: ...
    async def get(self, purchase_order_id: int) -> PurchaseOrder | None: ...

    async def save(self, order: PurchaseOrder) -> None:
        """Store its new status, received units and history, refusing if it changed
        meanwhile."""
        ...


class ReturnRepository(Protocol):
    """Returns (RMAs) of ordered goods."""

    async def add(self, rma: Return) -> Return: ...
    async def get(self, return_id: int) -> Return | None: ...

    async def of_order(self, order_id: int) -> list[Return]:
        """Every return of an order, oldest first. Holds the order until the transaction
        ends, so no other return of it is requested or received meanwhile."""
        ...

    async def hold_client_ids(self, client_ids: Iterable[UUID]) -> None:
        """Hold these client return ids until the transaction ends, so another transaction
        recording any of them waits for this one."""
        ...

    async def save(self, rma: Return) -> None:
        """Store its new status, received units, refund and history, refusing if it
        changed meanwhile."""
        ...

    async def ids_by_client_return_id(
        self, location_id: int, client_ids: Iterable[UUID]
    ) -> dict[UUID, int]:
        """The returns taken back at this store under these client ids (counter returns),
        by client id; another store's are its own affair."""
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


class PosRepository(Protocol):
    """POS terminals and the sales they synced."""

    async def add_terminal(self, terminal: PosTerminal) -> PosTerminal: ...

    async def terminal(self, terminal_id: int) -> PosTerminal | None:
        """The terminal, held until the transaction ends, so it syncs one batch at a time."""
        ...

    async def recorded_sales(
        self, location_id: int, client_sale_ids: Iterable[UUID]
    ) -> dict[UUID, int]:
        """The order each of these sales became, for those the store's terminals recorded
        before; another store's are its own affair."""
        ...

    async def add_sales(
        self, terminal: PosTerminal, sales: Sequence[CounterSale], synced_at: datetime
    ) -> None:
        """Record sales whose orders were just added, with their payments; Duplicate when
        another transaction recorded one of them meanwhile."""
        ...

    async def mark_synced(self, terminal_id: int, at: datetime) -> None: ...

    async def deactivate(self, terminal_id: int, at: datetime) -> bool:
        """Deactivate a terminal; False if it was deactivated already."""
        ...


class BillOfMaterialsRepository(Protocol):
    """Bills of materials of manufactured variants."""

    async def hold(self) -> None:
        """Until the transaction ends, no other transaction changes a bill of materials,
        so two changes cannot close a cycle between them."""
        ...

    async def structure(self, variant_ids: Iterable[int]) -> Structure:
        """The BOMs of these variants and of every component below them, at any depth; a
        variant without one is left out."""
        ...

    async def replace(self, variant_id: int, components: Sequence[Component]) -> None:
        """Make `components` the variant's BOM; none removes it."""
        ...


class WorkOrderRepository(Protocol):
    """Work orders, and the demand production has to meet."""

    async def add(self, work_order: WorkOrder) -> WorkOrder: ...
    async def get(self, work_order_id: int) -> WorkOrder | None: ...

    async def save(self, work_order: WorkOrder) -> None:
        """Store its new status, quantities, components and history, refusing if it
        changed meanwhile."""
        ...

    async def open_at(self, location_id: int, due_by: date) -> list[WorkOrder]:
        """Work orders at a location not yet completed or cancelled, due by that day, with
        their components (not their history: for planning, not for changing)."""
        ...

    async def backordered_at(self, location_id: int) -> list[BackorderedLine]:
        """Units of manufactured variants on BACKORDERED sales orders this location may
        fill (its pickup orders, and orders of channels it fulfils), oldest first."""
        ...


class ServiceRepository(Protocol):
    """Services: their recipes, capacities per location, slots and bookings."""

    async def recipe(self, variant_id: int) -> list[Consumable]: ...

    async def set_recipe(self, variant_id: int, consumables: Sequence[Consumable]) -> None:
        """Make `consumables` the service's recipe; none clears it."""
        ...

    async def capacity(
        self, variant_id: int, location_id: int, *, to_change: bool = False
    ) -> ServiceCapacity | None:
        """The service's capacity at the location, held until the transaction ends: shared
        by bookings, or (`to_change`) alone, so it never changes under a booking."""
        ...

    async def set_capacity(self, capacity: ServiceCapacity) -> None: ...

    async def open_bookings(self, variant_id: int, location_id: int) -> int:
        """How many bookings of the service at the location hold a place (any slot)."""
        ...

    async def take_place(
        self, variant_id: int, location_id: int, slot_start: datetime, capacity: int
    ) -> bool:
        """Take a place in the slot if fewer than `capacity` bookings hold one there; False
        when it is full. Concurrent bookings of one slot queue here."""
        ...

    async def add_booking(self, booking: Booking) -> None: ...
    async def booking(self, order_id: int) -> Booking | None: ...

    async def free_place(self, booking: Booking) -> None:
        """The booking no longer holds a place in its slot."""
        ...


class WebhookRepository(Protocol):
    """Webhooks, and the deliveries a replay queues (the relay and the dispatcher keep the
    others: persistence/webhook_deliveries.py)."""

    async def add(self, webhook: Webhook) -> Webhook: ...
    async def get(self, webhook_id: int) -> Webhook | None: ...

    async def disable(self, webhook_id: int, reason: str, at: datetime) -> None: ...

    async def enable(self, webhook_id: int) -> None:
        """Active again, its count of failed deliveries back to zero."""
        ...

    async def queue_replay(self, webhook_id: int, from_sequence: int, at: datetime) -> None:
        """A new delivery of each retained event of the webhook's kinds at or after
        `from_sequence` that webhooks have been sent already."""
        ...

    async def update(self, webhook: Webhook) -> None:
        """Store the webhook's URL, events, secret and query."""
        ...

    async def delete(self, webhook_id: int) -> None:
        """The webhook, the kinds it follows and all its deliveries are gone."""
        ...


class SessionRepository(Protocol):
    """Sessions; revoking and rotating are conditional updates, so of two concurrent
    requests for the same change exactly one makes it."""

    async def add(self, session: Session, refresh_digest: str | None = None) -> Session: ...
    async def get(self, session_id: int) -> Session | None: ...
    async def by_refresh_digest(self, refresh_digest: str) -> Session | None: ...

    async def rotate_refresh(self, session_id: int, old: str, new: str, at: datetime) -> bool:
        """Replace the refresh digest `old` with `new`, if the session still holds `old`
        and is not revoked; False if another request rotated or revoked it first."""
        ...

    async def revoke(
        self,
        by: str,
        at: datetime,
        *,
        session_id: int | None = None,
        customer_email: str | None = None,
        terminal_id: int | None = None,
        role: Role | None = None,
        subject: str | None = None,
        kind: SessionKind | None = None,
        except_id: int | None = None,
    ) -> list[Revocation]:
        """Revoke the live sessions that match every criterion given (but not
        `except_id`); the ones this call revoked, not those revoked before it."""
        ...


class AccountRepository(Protocol):
    async def add(self, account: CustomerAccount) -> CustomerAccount: ...
    async def by_email(self, email: str) -> CustomerAccount | None: ...
    async def get(self, account_id: int) -> CustomerAccount | None: ...

    async def add_token(
        self,
        account_id: int,
        purpose: AccountTokenPurpose,
        token_digest: str,
        at: datetime,
        expires_at: datetime,
    ) -> None: ...

    async def account_of_token(
        self, purpose: AccountTokenPurpose, token_digest: str, now: datetime
    ) -> int | None:
        """The account a token that is still usable belongs to; None if none is."""
        ...

    async def spend_token(
        self, purpose: AccountTokenPurpose, token_digest: str, now: datetime
    ) -> int | None:
        """Mark a usable token used and return its account; None if it is unknown, spent
        (by this call's rival too) or expired."""
        ...

    async def set_password(
        self, account_id: int, new_hash: str, at: datetime, *, replacing: str | None = None
    ) -> bool:
        """Store a new hash; with `replacing`, only if the stored one is still that (a
        password changed meanwhile is not overwritten): False then."""
        ...

    async def hold_password(self, account_id: int, password_hash: str) -> bool:
        """Lock the account until the transaction ends, if its stored hash is still
        `password_hash`; False if the password changed meanwhile. A session opened after
        this is either seen by a concurrent reset's revocation or not opened at all."""
        ...

    async def mark_verified(self, account_id: int, at: datetime) -> None: ...


class PasswordHasher(Protocol):
    """A slow, salted password hash (argon2id in api/passwords.py)."""

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through it commits together or not at all."""

    # Read-only (properties), so an adapter may hold its own repository classes: a plain
    # attribute would be settable, and so would have to be of exactly the port's type.
    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def options(self) -> OptionRepository: ...
    @property
    def attributes(self) -> AttributeRepository: ...
    @property
    def locations(self) -> LocationRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def customer_groups(self) -> CustomerGroupRepository: ...
    @property
    def taxes(self) -> TaxRepository: ...
    @property
    def shipping(self) -> ShippingRepository: ...
    @property
    def promotions(self) -> PromotionRepository: ...
    @property
    def stock(self) -> StockRepository: ...
    @property
    def orders(self) -> OrderRepository: ...
    @property
    def shipments(self) -> ShipmentRepository: ...
    @property
    def transfers(self) -> TransferRepository: ...
    @property
    def suppliers(self) -> SupplierRepository: ...
    @property
    def purchase_orders(self) -> PurchaseOrderRepository: ...
    @property
    def returns(self) -> ReturnRepository: ...
    @property
    def counts(self) -> StockCountRepository: ...
    @property
    def pos(self) -> PosRepository: ...
    @property
    def boms(self) -> BillOfMaterialsRepository: ...
    @property
    def work_orders(self) -> WorkOrderRepository: ...
    @property
    def services(self) -> ServiceRepository: ...
    @property
    def webhooks(self) -> WebhookRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def categories(self) -> CategoryRepository: ...
    @property
    def collections(self) -> CollectionRepository: ...
    @property
    def media(self) -> MediaRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
