"""POS terminals, and the sales they ring up at a store's till and sync later.

A terminal is registered at a store; the token it is given names it. It rings up sales
offline and syncs them in batches. Each sale, known by the id the terminal gave it
(`client_sale_id`), becomes one COUNTER order of the POS channel, COMPLETED at once:

- priced at what was charged at the till, in the variants' one currency, less any
  discount the clerk gave a line by hand, and taxed at the store's address (a line's
  net, tax and gross: domain/model/order_pricing.py);
- one line per SKU: lines of the same SKU at the same price are merged, the same SKU at
  two prices is refused (returns and refunds find a line by its SKU);
- paid in full: the payments add up to at least the total, and whatever is paid beyond it
  is change handed back in cash, so it may not exceed the cash tendered; what the till
  kept of each tender (`kept`: the cash less the change) is a CAPTURED payment of the
  order in the money ledger, provider `pos`;
- its units leave the store's shelf whatever the ledger says is there (the goods are gone):
  SALE movements that may take on hand below zero, each such line reported as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from domain.access import Principal, Role
from domain.errors import DomainError, InvalidInput, NotFound
from domain.model.catalog import Variant, normalise_sku, require_goods
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.inventory import MovementKind, StockMovement
from domain.model.locations import ChannelCode
from domain.model.orders import Allocation, FulfilmentMethod, Order, OrderLine, OrderStatus
from domain.model.payments import PaymentMethod
from domain.model.pos_sync import SyncStatus
from domain.model.store_pricing import StoreTaxes, price_at_store
from domain.money import MAX_AMOUNT, Money

MAX_SALES = 1000  # per sync
MAX_LINES = 100  # per sale
MAX_QUANTITY = 100_000  # units of one line: a till never sells more, a typo often does
MAX_NAME = 100
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of ours a terminal's clock may run


@dataclass(frozen=True, slots=True)
class SaleLine:
    """Units of one SKU sold, at the price charged at the till, less what the clerk took
    off the line by hand (`discount`, for the whole line)."""

    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class SalePayment:
    method: PaymentMethod
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Payment:
    method: PaymentMethod
    amount: Money


@dataclass
class PosTerminal:
    name: str
    location_id: int
    location_code: str
    registered_at: datetime
    last_synced_at: datetime | None = None
    id: int | None = None
    deactivated_at: datetime | None = None  # then its tokens are revoked; it syncs no more

    def principal(self) -> Principal:
        """Who the terminal is when it calls: POS at its store, naming itself."""
        assert self.id is not None
        return Principal(
            role=Role.POS,
            subject=f"pos-terminal-{self.id}",
            location_codes=frozenset({self.location_code}),
            terminal_id=self.id,
        )


@dataclass(frozen=True, slots=True)
class StockWarning:
    """A line that left the store's on hand below zero: `on_hand` is the level it left."""

    sku: str
    on_hand: int


@dataclass
class SaleOutcome:
    client_sale_id: UUID
    status: SyncStatus
    order_id: int | None = None
    error: DomainError | None = None
    warnings: list[StockWarning] = field(default_factory=list)


@dataclass
class SyncReport:
    """What became of each sale of a batch, in the order they were sent."""

    outcomes: list[SaleOutcome]

    def count(self, status: SyncStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)


@dataclass
class CounterSale:
    """An accepted sale: the order it becomes and how it was paid."""

    client_sale_id: UUID
    order: Order
    payments: list[Payment]


@dataclass(frozen=True)
class PricedSale:
    """A sale that keeps every rule: its lines priced, its payments counted."""

    currency: str
    lines: list[OrderLine]
    payments: list[Payment]
    prices_include_tax: bool = True

    @property
    def total(self) -> Money:
        return Money.total((line.total for line in self.lines), self.currency)


def may_see_terminals(principal: Principal) -> bool:
    return principal.role in (Role.ADMIN, Role.STAFF)


def may_see_terminal(principal: Principal, store_code: str) -> bool:
    """Admins see every terminal; staff those of the stores they work at."""
    return may_see_terminals(principal) and principal.works_at(store_code)


def terminal_name(name: str) -> str:
    candidate = name.strip()
    if not candidate or len(candidate) > MAX_NAME:
        raise InvalidInput(f"a terminal's name is 1-{MAX_NAME} characters", field="name")
    return candidate


def check_time(occurred_at: datetime, now: datetime) -> None:
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise InvalidInput("occurredAt needs a time zone (UTC offset)", field="occurredAt")
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(
            f"occurredAt {occurred_at.isoformat()} is in the future; check the terminal's clock",
            field="occurredAt",
        )


def sale_skus(lines: Sequence[SaleLine]) -> list[str]:
    """The SKUs of a sale's lines, normalised, after checking the lines' shape."""
    if not lines:
        raise InvalidInput("a sale needs at least one line", field="lines")
    skus = []
    for index, line in enumerate(lines):
        skus.append(normalise_sku(line.sku, field=f"lines.{index}.sku"))
        if not 0 < line.quantity <= MAX_QUANTITY:
            raise InvalidInput(
                f"quantity must be 1-{MAX_QUANTITY}, got {line.quantity}",
                field=f"lines.{index}.quantity",
            )
    return skus


def price_sale(
    lines: Sequence[SaleLine],
    payments: Sequence[SalePayment],
    variants: Mapping[str, Variant],
    taxes: StoreTaxes,
    at: datetime,
) -> PricedSale:
    """Check a sale against the catalog and price it at what was charged, less its line
    discounts, taxed at the store (domain/model/order_pricing.py). Promotions do not apply:
    the till already charged what the customer paid.

    `variants` holds at least every SKU of the sale that exists. Errors name the field at
    fault within the sale (`lines.2.unitPrice`).
    """
    skus = sale_skus(lines)
    known = []
    for index, sku in enumerate(skus):
        variant = variants.get(sku)
        if variant is None:
            raise NotFound.of("SKU", sku, field=f"lines.{index}.sku")
        known.append(require_goods(variant, field=f"lines.{index}.sku"))
    currencies = {variant.price.currency for variant in known}
    if len(currencies) > 1:
        raise InvalidInput(
            f"a sale has one currency; these SKUs mix {', '.join(sorted(currencies))}",
            field="lines",
        )
    currency = currencies.pop()
    by_sku: dict[str, OrderLine] = {}
    discounts: dict[str, Money] = {}
    for index, (line, variant) in enumerate(zip(lines, known, strict=True)):
        price = Money.of(line.unit_price, currency, field=f"lines.{index}.unitPrice")
        discount = _line_discount(line, price, index)
        discounts[variant.sku] = discounts.get(variant.sku, Money.zero(currency)) + discount
        merged = by_sku.get(variant.sku)
        if merged is None:
            by_sku[variant.sku] = OrderLine(
                variant_id=id_of(variant),
                sku=variant.sku,
                name=variant.name,
                quantity=line.quantity,
                unit_price=price,
            )
        elif merged.unit_price == price:
            merged.quantity += line.quantity
        else:
            raise InvalidInput(
                f"SKU {variant.sku} is sold at {merged.unit_price.amount} and at {price.amount}; "
                "a sale has one price per SKU",
                field=f"lines.{index}.unitPrice",
            )
    tax_classes = {variant.sku: variant.tax_class for variant in known}
    price_at_store(list(by_sku.values()), taxes, ChannelCode.POS, at, discounts, tax_classes)
    priced = PricedSale(
        currency, list(by_sku.values()), _payments(payments, currency), taxes.prices_include_tax
    )
    _check_paid(priced)
    return priced


def _line_discount(line: SaleLine, price: Money, index: int) -> Money:
    """A line's hand-given discount: an amount of the sale's currency, at most the line's."""
    discount = Money.of(line.discount, price.currency, field=f"lines.{index}.discount")
    if discount.amount > price.times(line.quantity).amount:
        raise InvalidInput(
            f"a discount of {discount.amount} is more than the line's "
            f"{price.times(line.quantity).amount}",
            field=f"lines.{index}.discount",
        )
    return discount


def _payments(payments: Sequence[SalePayment], currency: str) -> list[Payment]:
    counted = []
    for index, payment in enumerate(payments):
        where = f"payments.{index}.amount"
        if payment.amount <= 0:
            raise InvalidInput(f"a payment is more than zero, got {payment.amount}", field=where)
        counted.append(Payment(payment.method, Money.of(payment.amount, currency, field=where)))
    return counted


def _check_paid(sale: PricedSale) -> None:
    total = sale.total.amount
    if total >= MAX_AMOUNT:
        raise InvalidInput(f"a sale's total of {total} is too large", field="lines")
    paid = sum((p.amount.amount for p in sale.payments), Decimal("0.00"))
    if paid < total:
        raise InvalidInput(
            f"payments of {paid} {sale.currency} do not cover the total of {total}",
            field="payments",
        )
    cash = sum(
        (p.amount.amount for p in sale.payments if p.method is PaymentMethod.CASH),
        Decimal("0.00"),
    )
    if paid - total > cash:
        raise InvalidInput(
            f"payments of {paid} exceed the total of {total} by more than the {cash} paid in "
            "cash (change is given in cash)",
            field="payments",
        )


def kept(sale: PricedSale) -> list[Payment]:
    """What the till kept of each tender, as it goes into the money ledger: the change
    handed back comes out of the cash (the last cash tendered first), and a cash tender
    all of which went back as change is no payment at all."""
    change = sum((p.amount.amount for p in sale.payments), Decimal("0.00")) - sale.total.amount
    kept: list[Payment] = []
    for payment in reversed(sale.payments):
        amount = payment.amount.amount
        if payment.method is PaymentMethod.CASH and change > 0:
            given = min(change, amount)
            amount, change = amount - given, change - given
        if amount > 0:
            kept.append(Payment(payment.method, Money(amount, sale.currency)))
    return kept[::-1]


def counter_order(
    sale: PricedSale,
    terminal: PosTerminal,
    customer: Customer | None,
    actor: str,
    occurred_at: datetime,
) -> Order:
    """The COMPLETED order a priced sale becomes: every unit handed over at the store."""
    for line in sale.lines:
        line.allocations = [
            Allocation(terminal.location_id, terminal.location_code, line.quantity, line.quantity)
        ]
    order = Order(
        channel=ChannelCode.POS,
        fulfilment=FulfilmentMethod.COUNTER,
        currency=sale.currency,
        lines=sale.lines,
        created_at=occurred_at,
        customer_id=customer.id if customer else None,
        customer_email=customer.email if customer else None,
        status=OrderStatus.COMPLETED,
        prices_include_tax=sale.prices_include_tax,
    )
    order.record_creation(
        actor, occurred_at, f"sold at {terminal.location_code} by {terminal.name}"
    )
    return order


def units_sold(order: Order, actor: str) -> list[StockMovement]:
    """The units of a recorded counter order leaving its store's on hand, however few the
    ledger shows there."""
    return [
        StockMovement(
            variant_id=line.variant_id,
            location_id=allocation.location_id,
            kind=MovementKind.SALE,
            on_hand_delta=-allocation.fulfilled,
            reserved_delta=0,
            reference=order.reference,
            actor=actor,
            occurred_at=order.created_at,
            may_go_negative=True,
        )
        for line in order.lines
        for allocation in line.allocations
    ]


def shortfalls(
    orders: Sequence[Order], on_hand_after: Mapping[int, int]
) -> list[list[StockWarning]]:
    """Per counter order, the lines that left on hand below zero and the level each left.

    The orders are those of one store in the order their units left; `on_hand_after` holds
    each of their variants' on hand there after all of them.
    """
    on_hand = dict(on_hand_after)
    warnings: list[list[StockWarning]] = []
    for order in reversed(orders):
        short = []
        for line in reversed(order.lines):
            if on_hand[line.variant_id] < 0:
                short.append(StockWarning(line.sku, on_hand[line.variant_id]))
            on_hand[line.variant_id] += line.quantity  # as it was before this line
        warnings.append(short[::-1])
    return warnings[::-1]
