"""Use cases for orders: placing them, and moving them through their lifecycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from domain.access import Principal, Role
from domain.commands.ordering import ChangeOrderStatus, PlaceOrder, ShipOrder
from domain.errors import Duplicate, InvalidInput, NotFound
from domain.model.addresses import checked_address
from domain.model.allocation import LineDemand, allocate
from domain.model.catalog import Variant, normalise_sku, require_goods
from domain.model.channel_availability import require_published
from domain.model.customers import Customer
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import (
    Channel,
    ChannelCode,
    Location,
    LocationKind,
    normalise_location_code,
)
from domain.model.orders import Allocation, FulfilmentMethod, Order, OrderLine
from domain.model.shipments import Shipment
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.cancellation_money import settle_cancelled_order
from domain.usecases.catalog import known_location
from domain.usecases.credit import judge_credit, require_override_right
from domain.usecases.customer_recognition import ordering_customer
from domain.usecases.invoice_settlement import allocate_captured
from domain.usecases.invoices import invoice_shipment
from domain.usecases.order_pricing import OrderPricing, price_order_lines, redeem_vouchers
from domain.usecases.shipment_capture import capture_shipment
from domain.usecases.wholesale_pricing import unit_prices

MAX_LINES = 100
IDEMPOTENCY_FIELD = "idempotencyKey"


async def place_order(
    uow: UnitOfWork, principal: Principal, command: PlaceOrder, now: datetime
) -> Order:
    """Price, allocate and reserve in one transaction; a repeated idempotency key
    returns the order the first request created.

    Keys are the caller's own (`Principal.idempotency_scope`): one another caller sent is
    no repeat, so it places an order of this caller's, and never returns or names theirs.
    """
    principal.require(principal.is_authenticated, "place orders")
    require_override_right(principal, command.override_credit_limit)
    try:
        return await _place_order(uow, principal, command, now)
    except Duplicate as duplicate:
        if duplicate.field != IDEMPOTENCY_FIELD:
            raise
        return await order_that_won(uow, duplicate, principal, command.idempotency_key)


async def order_that_won(
    uow: UnitOfWork, error: Exception, principal: Principal, idempotency_key: str | None
) -> Order:
    """The order of a concurrent request of this caller's with the same idempotency key
    that won the race this request lost with `error`; `error` itself when there is none."""
    if idempotency_key is None:
        raise error
    async with uow:
        existing = await uow.orders.by_idempotency_key(principal.idempotency_scope, idempotency_key)
    if existing is None:
        raise error
    return existing


async def repeated_order(
    uow: UnitOfWork, principal: Principal, idempotency_key: str | None
) -> Order | None:
    """The order this caller placed before with this idempotency key, if any. It is shown
    as the first response showed it: a payload reads it back as the caller may see it."""
    if not idempotency_key:
        return None
    return await uow.orders.by_idempotency_key(principal.idempotency_scope, idempotency_key)


def idempotency_scope(principal: Principal, idempotency_key: str | None) -> str | None:
    """The space a new order's key is stored in: the caller's own; no key, no space."""
    return principal.idempotency_scope if idempotency_key else None


async def _place_order(
    uow: UnitOfWork, principal: Principal, command: PlaceOrder, now: datetime
) -> Order:
    async with uow:
        existing = await repeated_order(uow, principal, command.idempotency_key)
        if existing is not None:
            return existing
        draft = await _priced_draft(uow, principal, command, now)
        order = draft.order
        pickup = draft.pickup
        location_ids = [id_of(pickup)] if pickup else _channel_locations(draft.pricing.channel)
        levels = await uow.stock.levels([line.variant_id for line in order.lines], location_ids)
        locations = await uow.locations.by_id(location_ids)
        plan = allocate(
            [LineDemand(line.variant_id, line.sku, line.quantity) for line in order.lines],
            location_ids,
            {key: level.available for key, level in levels.items()},
            {loc_id: loc.code for loc_id, loc in locations.items()},
            allow_backorder=command.allow_backorder,
        )
        for line, allotments in zip(order.lines, plan, strict=True):
            line.allocations = [
                Allocation(a.location_id, locations[a.location_id].code, a.quantity)
                for a in allotments
            ]
        credit_note = await judge_credit(uow, order, override=command.override_credit_limit)
        order.record_placement(principal.subject, now, credit_note)
        order = await uow.orders.add(order)
        await redeem_vouchers(uow, draft.pricing.vouchers, id_of(order), draft.customer)
        await uow.stock.apply(order.reservations(principal.subject, now))
        await uow.commit()
    return order


async def price_order(
    uow: UnitOfWork, principal: Principal, command: PlaceOrder, now: datetime
) -> Order:
    """The order `command` would place, priced exactly as placeOrder prices it, without
    reserving, storing or counting anything (a cart preview): nothing is committed."""
    principal.require(principal.is_authenticated, "price orders")
    async with uow:
        return (await _priced_draft(uow, principal, command, now)).order


@dataclass(frozen=True)
class Draft:
    order: Order  # priced, not yet allocated nor stored
    customer: Customer | None
    pickup: Location | None
    pricing: OrderPricing


async def _priced_draft(
    uow: UnitOfWork, principal: Principal, command: PlaceOrder, now: datetime
) -> Draft:
    """The order as placeOrder prices it, before any stock is looked at."""
    skus = _validated_skus(command)
    shipping_address = (
        None
        if command.shipping_address is None
        else checked_address(
            command.shipping_address, field="shippingAddress", phone_region=command.phone_region
        )
    )
    variants = await uow.catalog.variants_by_sku(skus)
    ordered_variants = [_known_variant(variants, sku, i) for i, sku in enumerate(skus)]
    unpublished = await uow.catalog.unpublished_skus(skus, command.channel)
    require_published(skus, unpublished, command.channel)
    currency = _single_currency(ordered_variants)
    customer = await ordering_customer(
        uow,
        principal,
        email=command.customer_email,
        phone=command.customer_phone,
        name=command.customer_name,
        now=now,
        phone_region=command.phone_region,
    )
    prices = await unit_prices(
        uow,
        command.channel,
        customer,
        ordered_variants,
        [line.quantity for line in command.lines],
    )
    pickup = await _pickup_store(uow, command)
    pricing = await price_order_lines(
        uow, command, ordered_variants, prices, customer, shipping_address, pickup, now
    )
    order = Order(
        channel=command.channel,
        fulfilment=command.fulfilment,
        currency=currency,
        created_at=now,
        customer_id=customer.id if customer else None,
        customer_email=customer.email if customer else None,
        shipping_address=shipping_address,
        pickup_location_id=pickup.id if pickup else None,
        pickup_location_code=pickup.code if pickup else None,
        idempotency_key=command.idempotency_key,
        idempotency_scope=idempotency_scope(principal, command.idempotency_key),
        prices_include_tax=pricing.channel.prices_include_tax,
        shipping=pricing.priced.shipping,
        lines=[
            OrderLine(
                variant_id=id_of(v),
                sku=v.sku,
                name=v.name,
                quantity=line.quantity,
                unit_price=prices[v.sku],
                discounts=priced.discounts,
                amounts=priced.amounts,
            )
            for v, line, priced in zip(
                ordered_variants, command.lines, pricing.priced.lines, strict=True
            )
        ],
    )
    return Draft(order, customer, pickup, pricing)


def _validated_skus(command: PlaceOrder) -> list[str]:
    if not command.lines:
        raise InvalidInput("an order needs at least one line", field="lines")
    if len(command.lines) > MAX_LINES:
        raise InvalidInput(f"an order has at most {MAX_LINES} lines", field="lines")
    skus: list[str] = []
    for index, line in enumerate(command.lines):
        sku = normalise_sku(line.sku, field=f"lines.{index}.sku")
        if line.quantity <= 0:
            raise InvalidInput("quantity must be positive", field=f"lines.{index}.quantity")
        if sku in skus:
            raise InvalidInput(f"SKU {sku} appears twice", field=f"lines.{index}.sku")
        skus.append(sku)
    if command.fulfilment is FulfilmentMethod.SHIPPING and command.shipping_address is None:
        raise InvalidInput("a SHIPPING order needs a shipping address", field="shippingAddress")
    if command.fulfilment is FulfilmentMethod.PICKUP and not command.pickup_location_code:
        raise InvalidInput("a PICKUP order needs a pickup store", field="pickupLocationCode")
    if command.fulfilment is FulfilmentMethod.COUNTER:
        raise InvalidInput(
            "COUNTER orders are sales a POS terminal syncs (syncPosSales)", field="fulfilment"
        )
    if command.allow_backorder and command.channel is not ChannelCode.WHOLESALE:
        raise InvalidInput("only WHOLESALE orders may be backordered", field="allowBackorder")
    return skus


def _known_variant(variants: dict[str, Variant], sku: str, index: int) -> Variant:
    variant = variants.get(sku)
    if variant is None:
        raise NotFound.of("SKU", sku, field=f"lines.{index}.sku")
    return require_goods(variant, field=f"lines.{index}.sku", instead="book it with bookService")


def _single_currency(variants: list[Variant]) -> str:
    currencies = {v.price.currency for v in variants}
    if len(currencies) > 1:
        raise InvalidInput(
            f"an order has one currency; these SKUs mix {', '.join(sorted(currencies))}",
            field="lines",
        )
    return currencies.pop()


async def _pickup_store(uow: UnitOfWork, command: PlaceOrder) -> Location | None:
    """The store a PICKUP order is collected from; None for other orders."""
    if command.fulfilment is not FulfilmentMethod.PICKUP:
        return None
    code = normalise_location_code(command.pickup_location_code or "", field="pickupLocationCode")
    pickup = await known_location(uow, code, field="pickupLocationCode")
    if pickup.kind is not LocationKind.STORE:
        raise InvalidInput(f"{code} is not a store", field="pickupLocationCode")
    return pickup


def _channel_locations(channel: Channel) -> list[int]:
    """Where a SHIPPING order may be filled from: its channel's locations."""
    if not channel.location_ids:
        raise InvalidInput(
            f"channel {channel.code} has no locations to fulfil from", field="channel"
        )
    return list(channel.location_ids)


def _visible(order: Order | None, principal: Principal) -> Order:
    """The order, if the caller may see it; else it is told the order does not exist, in
    words that name no id (an internal one means nothing to a person)."""
    if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
        raise NotFound.no_such("order", field="orderId")
    return order


# -- lifecycle -------------------------------------------------------------------------


async def _change_order(
    uow: UnitOfWork,
    principal: Principal,
    order_id: int,
    step: Callable[[Order], list[StockMovement] | None],
    then: Callable[[Order], Awaitable[object]] | None = None,
) -> Order:
    """Load a visible order, apply one step of its lifecycle, write order and stock at once.
    `then` runs last before the commit, in the same transaction (a shipment's capture)."""
    async with uow:
        order = _visible(await uow.orders.get(order_id), principal)
        if order.fulfilment is FulfilmentMethod.SERVICE:
            # Its place in a slot and its consumables move with it: see usecases/services.py.
            raise InvalidInput(
                f"{order.label} is a booked service: move it with startService, "
                "completeService or cancelService",
                field="orderId",
            )
        movements = step(order) or []
        if principal.role in (Role.STAFF, Role.POS):
            # A clerk bound to one store cannot ship or release another location's units.
            for code in {order.location_code(m.location_id) for m in movements}:
                principal.require_works_at(code, "move stock")
        await uow.orders.save(order)
        await uow.stock.apply(movements)
        if then is not None:
            await then(order)
        await uow.commit()
    return order


def _require_operator(principal: Principal, action: str) -> None:
    principal.require(principal.role in (Role.ADMIN, Role.STAFF, Role.POS), action)


def _operator_step(
    action: str, step: Callable[[Order, str, datetime, str | None], list[StockMovement] | None]
) -> Callable[[UnitOfWork, Principal, ChangeOrderStatus, datetime], Awaitable[Order]]:
    """A use case for one lifecycle step that only staff, POS terminals and admins take."""

    async def use_case(
        uow: UnitOfWork, principal: Principal, command: ChangeOrderStatus, now: datetime
    ) -> Order:
        _require_operator(principal, action)
        return await _change_order(
            uow,
            principal,
            command.order_id,
            lambda order: step(order, principal.subject, now, command.note),
        )

    return use_case


confirm_order = _operator_step("confirm orders", Order.confirm)
mark_order_ready_for_pickup = _operator_step("prepare pickups", Order.mark_ready_for_pickup)
mark_order_delivered = _operator_step("mark orders delivered", Order.mark_delivered)
complete_order = _operator_step("complete orders", Order.complete)


def cancel_order(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, ChangeOrderStatus, datetime], Awaitable[Order]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: ChangeOrderStatus, now: datetime
    ) -> Order:
        """Staff cancel any order they can see; a customer only its own, still PENDING one.
        Its authorizations are voided and its captures refunded in the same transaction
        (usecases/cancellation_money.py)."""

        def cancel(order: Order) -> list[StockMovement]:
            if principal.role is Role.CUSTOMER:
                principal.require(order.status == "PENDING", "cancel a confirmed order")
            return order.cancel(principal.subject, now, command.note)

        async def then(order: Order) -> None:
            await settle_cancelled_order(uow, gateways, order, principal.subject, now)

        principal.require(principal.is_authenticated, "cancel orders")
        return await _change_order(uow, principal, command.order_id, cancel, then)

    return use_case


def ship_order(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, ShipOrder, datetime], Awaitable[Order]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: ShipOrder, now: datetime
    ) -> Order:
        """Ship units; a channel that captures on shipment takes what they are worth in
        the same transaction (usecases/shipment_capture.py)."""
        _require_operator(principal, "ship orders")
        shipped: list[Shipment] = []

        def ship(order: Order) -> list[StockMovement]:
            shipment, movements = order.ship(
                list(command.lines),
                command.carrier,
                command.tracking_number,
                principal.subject,
                now,
            )
            shipped.append(shipment)
            return movements

        async def then(order: Order) -> None:
            shipment = shipped[0]
            captured = await capture_shipment(
                uow, gateways, order, shipment, principal.subject, now
            )
            invoice = await invoice_shipment(uow, order, shipment, principal.subject, now)
            if captured and invoice is None:  # an invoice issued before the parcel left
                await allocate_captured(uow, order, now)

        return await _change_order(uow, principal, command.order_id, ship, then)

    return use_case
