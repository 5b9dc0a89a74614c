"""Use cases for services: recipes, capacities, bookings and the service lifecycle.

Who may do what:
- recipes: ADMIN and STAFF (catalog managers);
- capacities: ADMIN, and STAFF who work at the location;
- booking: a CUSTOMER books for itself, at any location; STAFF and POS book for anyone at
  the locations they work at; ADMIN anywhere;
- starting and completing: ADMIN, and STAFF or POS who work at the booking's location;
- cancelling: those, and the customer whose booking it is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from domain.access import Principal, Role
from domain.commands.services import (
    BookService,
    ChangeServiceStatus,
    CompleteService,
    ConsumableRequest,
    SetServiceCapacity,
    SetServiceRecipe,
)
from domain.errors import Duplicate, InsufficientStock, InvalidInput, NotFound, SlotFull
from domain.model import services
from domain.model.catalog import ProductKind, Variant, normalise_sku
from domain.model.identity import id_of
from domain.model.inventory import StockMovement
from domain.model.locations import normalise_location_code
from domain.model.orders import FulfilmentMethod, Order
from domain.model.services import Booking, Consumable, ServiceCapacity
from domain.model.store_pricing import price_at_store
from domain.payment_gateway import PaymentGateways
from domain.ports import UnitOfWork
from domain.usecases.cancellation_money import settle_cancelled_order
from domain.usecases.catalog import known_location, known_variants
from domain.usecases.customer_recognition import ordering_customer
from domain.usecases.order_pricing import store_taxes
from domain.usecases.ordering import (
    IDEMPOTENCY_FIELD,
    idempotency_scope,
    order_that_won,
    repeated_order,
)

# -- set-up ----------------------------------------------------------------------------------


async def set_service_recipe(
    uow: UnitOfWork, principal: Principal, command: SetServiceRecipe
) -> Variant:
    """Replace what a service uses up per unit performed; returns the service."""
    principal.require_catalog_manager("change service recipes")
    sku = normalise_sku(command.sku)
    lines = _requested(command.consumables, "consumables")
    async with uow:
        service = await _service(uow, sku)
        consumables = await _consumables(uow, lines, "consumables")
        await uow.services.set_recipe(id_of(service), consumables)
        await uow.commit()
    return service


async def set_service_capacity(
    uow: UnitOfWork, principal: Principal, command: SetServiceCapacity
) -> ServiceCapacity:
    """Set how many bookings of a service a location takes per slot. The capacity may
    change at any time (bookings already made stand); the slot length only while no
    booking there holds a place, since places are counted per slot."""
    code = normalise_location_code(command.location_code, field="locationCode")
    principal.require(principal.role in (Role.ADMIN, Role.STAFF), "set service capacities")
    principal.require_works_at(code, "set service capacities")
    services.validate_capacity(command.slot_minutes, command.capacity)
    sku = normalise_sku(command.sku)
    async with uow:
        service = await _service(uow, sku)
        location = await known_location(uow, code)
        current = await uow.services.capacity(id_of(service), id_of(location), to_change=True)
        if current is not None and current.slot_minutes != command.slot_minutes:
            open_bookings = await uow.services.open_bookings(id_of(service), id_of(location))
            if open_bookings:
                raise InvalidInput(
                    f"SKU {sku} at {code}: {open_bookings} booking(s) hold places in "
                    f"{current.slot_minutes}-minute slots; the slot length changes once "
                    "they are completed or cancelled",
                    field="slotMinutes",
                )
        capacity = ServiceCapacity(
            id_of(service),
            id_of(location),
            command.slot_minutes,
            command.capacity,
        )
        await uow.services.set_capacity(capacity)
        await uow.commit()
    return capacity


# -- booking ---------------------------------------------------------------------------------


async def book_service(
    uow: UnitOfWork, principal: Principal, command: BookService, now: datetime
) -> Order:
    """A SERVICE order, BOOKED, holding a place in its slot; a repeated idempotency key
    returns the order the first request booked."""
    principal.require(principal.is_authenticated, "book services")
    try:
        return await _book(uow, principal, command, now)
    except (Duplicate, SlotFull) as error:
        # A concurrent request with the same key may have won the race, and the last place.
        if isinstance(error, Duplicate) and error.field != IDEMPOTENCY_FIELD:
            raise
        return _repeated(
            await order_that_won(uow, error, principal, command.idempotency_key), principal
        )


async def _book(
    uow: UnitOfWork, principal: Principal, command: BookService, now: datetime
) -> Order:
    sku = normalise_sku(command.sku)
    code = normalise_location_code(command.location_code, field="locationCode")
    if principal.role in (Role.STAFF, Role.POS):
        principal.require_works_at(code, "book services")
    async with uow:
        existing = await repeated_order(uow, principal, command.idempotency_key)
        if existing is not None:
            return _repeated(existing, principal)
        service = await _service(uow, sku)
        location = await known_location(uow, code)
        capacity = await uow.services.capacity(id_of(service), id_of(location))
        if capacity is None:
            raise InvalidInput(
                f"no capacity for {sku} at {code}: it is not booked there", field="locationCode"
            )
        slot = services.booked_slot(capacity, command.scheduled_at, now)
        customer = await ordering_customer(
            uow,
            principal,
            email=command.customer_email,
            phone=command.customer_phone,
            name=command.customer_name,
            now=now,
            phone_region=command.phone_region,
        )
        order = services.book(
            service,
            location,
            customer,
            command.channel,
            command.idempotency_key,
            principal.subject,
            now,
        )
        order.idempotency_scope = idempotency_scope(principal, command.idempotency_key)
        taxes = await store_taxes(uow, command.channel, id_of(location))
        price_at_store(
            order.lines, taxes, command.channel, now, tax_classes={sku: service.tax_class}
        )
        order.prices_include_tax = taxes.prices_include_tax
        # The customer first, then the slot, then the order: every booking takes its locks
        # in this order, so concurrent ones queue and never deadlock.
        if not await uow.services.take_place(
            capacity.variant_id, capacity.location_id, slot, capacity.capacity
        ):
            end = capacity.slot_end(slot)
            raise SlotFull(sku, code, f"{slot:%Y-%m-%d %H:%M}-{end:%H:%M} UTC", capacity.capacity)
        order = await uow.orders.add(order)
        await uow.services.add_booking(
            Booking(
                id_of(order),
                capacity.variant_id,
                capacity.location_id,
                code,
                slot,
                command.scheduled_at.astimezone(UTC),
            )
        )
        await uow.commit()
    return order


def _repeated(order: Order, principal: Principal) -> Order:
    """The booking this caller made before with the same idempotency key; refused if the
    key placed an order of goods instead, named only if the caller may see it."""
    if order.fulfilment is not FulfilmentMethod.SERVICE:
        seen = principal.may_see_order(order.location_codes, order.customer_email)
        placed = order.label if seen else "an order"
        raise Duplicate(
            f"{placed} was placed with this key; book with another", field=IDEMPOTENCY_FIELD
        )
    return order


# -- the service lifecycle -------------------------------------------------------------------

Step = Callable[[Order, Booking], Awaitable[list[StockMovement]]]


async def start_service(
    uow: UnitOfWork, principal: Principal, command: ChangeServiceStatus, now: datetime
) -> Order:
    """BOOKED → IN_SERVICE."""

    async def step(order: Order, booking: Booking) -> list[StockMovement]:
        principal.require_works_at(booking.location_code, "start services")
        services.start(order, principal.subject, now, command.note)
        return []

    return await _change_service(uow, principal, command.order_id, step)


def cancel_service(
    gateways: PaymentGateways,
) -> Callable[[UnitOfWork, Principal, ChangeServiceStatus, datetime], Awaitable[Order]]:
    async def use_case(
        uow: UnitOfWork, principal: Principal, command: ChangeServiceStatus, now: datetime
    ) -> Order:
        """BOOKED → CANCELLED, freeing its place; its customer may cancel it too. Its
        money is settled as any cancelled order's (usecases/cancellation_money.py)."""

        async def step(order: Order, booking: Booking) -> list[StockMovement]:
            if principal.role is not Role.CUSTOMER:  # a customer sees only its own bookings
                principal.require_works_at(booking.location_code, "cancel services")
            services.cancel(order, principal.subject, now, command.note)
            await uow.services.free_place(booking)
            await settle_cancelled_order(uow, gateways, order, principal.subject, now)
            return []

        return await _change_service(uow, principal, command.order_id, step)

    return use_case


async def complete_service(
    uow: UnitOfWork, principal: Principal, command: CompleteService, now: datetime
) -> Order:
    """IN_SERVICE → COMPLETED, freeing its place: what was reported used up (else the
    recipe) leaves the location's stock, or nothing changes if the stock is not there."""
    reported = (
        None
        if command.consumables_used is None
        else _requested(command.consumables_used, "consumablesUsed")
    )

    async def step(order: Order, booking: Booking) -> list[StockMovement]:
        principal.require_works_at(booking.location_code, "complete services")
        if reported is None:
            recipe = await uow.services.recipe(booking.variant_id)
            used = services.recipe_used(recipe, order.lines[0].quantity)
        else:
            used = await _consumables(uow, reported, "consumablesUsed")
        movements = services.complete(order, booking, used, principal.subject, now, command.note)
        await uow.services.free_place(booking)
        return movements

    try:
        return await _change_service(uow, principal, command.order_id, step)
    except InsufficientStock as error:
        skus = [sku for sku, _ in reported or ()]
        if error.sku in skus:
            error.field = f"consumablesUsed.{skus.index(error.sku)}.quantity"
        raise


async def _change_service(
    uow: UnitOfWork, principal: Principal, order_id: int, step: Step
) -> Order:
    """Load a visible service order and its booking, take one step, write it all at once."""
    async with uow:
        order = await uow.orders.get(order_id)
        if order is None or not principal.may_see_order(order.location_codes, order.customer_email):
            raise NotFound.no_such("order", field="orderId")
        services.require_service_order(order)
        booking = await uow.services.booking(order_id)
        if booking is None:
            raise NotFound(f"{order.label} has no booking", field="orderId")
        movements = await step(order, booking)
        await uow.orders.save(order)
        await uow.stock.apply(movements)
        await uow.commit()
    return order


# -- helpers ---------------------------------------------------------------------------------


def _requested(requests: Sequence[ConsumableRequest], field: str) -> list[tuple[str, int]]:
    lines = [
        (normalise_sku(request.sku, field=f"{field}.{index}.sku"), request.quantity)
        for index, request in enumerate(requests)
    ]
    services.validate_consumables(lines, field)
    return lines


async def _consumables(
    uow: UnitOfWork, lines: Sequence[tuple[str, int]], field: str
) -> list[Consumable]:
    """The goods these (sku, quantity) lines name; a service is not a consumable."""
    skus = [sku for sku, _ in lines]
    variants = await known_variants(uow, skus, field=field + ".{}.sku", goods_only=True)
    return [Consumable(id_of(variants[sku]), sku, quantity) for sku, quantity in lines]


async def _service(uow: UnitOfWork, sku: str) -> Variant:
    variant = (await uow.catalog.variants_by_sku([sku])).get(sku)
    if variant is None:
        raise NotFound.of("SKU", sku, field="sku")
    if variant.kind is not ProductKind.SERVICE:
        raise InvalidInput(f"SKU {sku} is goods, not a service", field="sku")
    return variant
