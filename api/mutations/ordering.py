"""Mutations that place orders and move them through their lifecycle."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import OrderPayload, show_order, user_errors_field
from api.mutations.runner import UseCase, key_of, run_mutation
from api.types.addresses import AddressInput
from api.types.order_prices import OrderPrice
from domain.commands.ordering import ChangeOrderStatus, OrderLineRequest, PlaceOrder, ShipOrder
from domain.model.locations import ChannelCode
from domain.model.orders import FulfilmentMethod, Order, ShipRequest
from domain.usecases import ordering


@strawberry.input(description="One SKU and how many.")
class OrderLineInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Units, at least 1.")


@strawberry.input(description="A new order.")
class PlaceOrderInput:
    channel: ChannelCode = strawberry.field(description="The channel it comes through.")
    lines: list[OrderLineInput] = strawberry.field(description="What is ordered; SKUs unique.")
    fulfilment: FulfilmentMethod = strawberry.field(
        description="SHIPPING or PICKUP; COUNTER orders come only from syncPosSales."
    )
    shipping_address: AddressInput | None = strawberry.field(
        default=None,
        description="Where it goes; required for SHIPPING. The order keeps a copy as placed.",
    )
    pickup_location_code: str | None = strawberry.field(
        default=None, description="The store to collect from; required for PICKUP."
    )
    customer_email: str | None = strawberry.field(
        default=None,
        description=(
            "The customer's email: an existing customer, or a new one created with it. "
            "A CUSTOMER caller always orders for itself."
        ),
    )
    customer_phone: str | None = strawberry.field(
        default=None,
        description=(
            "The customer's phone, typed any way: finds the customer when the email does "
            "not (or none is given), and is kept on a customer the email creates."
        ),
    )
    customer_name: str | None = strawberry.field(
        default=None,
        description="The name of a customer the email creates (else the part before '@').",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A string unique among the caller's own keys (a customer's, shared by "
        "its devices; a terminal's; a staff member's): a retry by the same caller with the "
        "same key returns the first order. Another caller's keys are apart from these.",
    )
    allow_backorder: bool = strawberry.field(
        default=False,
        description=(
            "WHOLESALE only: keep the units beyond available stock as BACKORDERED instead of "
            "refusing the order; they are allocated, oldest order first, when stock arrives."
        ),
    )
    override_credit_limit: bool = strawberry.field(
        default=False,
        description="ADMIN only (anyone else: FORBIDDEN): place a WHOLESALE order even if it "
        "takes the customer past its credit limit (else CREDIT_LIMIT_EXCEEDED); the "
        "order's history keeps the override with exposure, order total and limit.",
    )
    voucher_codes: list[str] = strawberry.field(
        default_factory=list,
        description="Voucher codes (any case, at most 5): each must take something off "
        "(else VOUCHER_INVALID) and have a use left (else VOUCHER_USED_UP). A placed order "
        "uses one of each code's uses.",
    )
    shipping_method_code: str | None = strawberry.field(
        default=None,
        description="SHIPPING only: the method, among those its channel offers for the "
        "address's zone (the shippingMethods query); required when any is offered, else "
        "SHIPPING_UNAVAILABLE.",
    )


@strawberry.input(description="Move an order one step in its lifecycle.")
class OrderStatusInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Units of one SKU to ship.")
class ShipLineInput:
    sku: str = strawberry.field(description="The SKU.")
    quantity: int = strawberry.field(description="Units to ship.")
    location_code: str | None = strawberry.field(
        default=None, description="Ship only from this location's allocation."
    )


@strawberry.input(description="Ship some or all of an order.")
class ShipOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    lines: list[ShipLineInput] = strawberry.field(description="What goes in the parcel.")
    carrier: str = strawberry.field(description="Carrier name.")
    tracking_number: str = strawberry.field(description="The carrier's tracking number.")


@strawberry.type(description="Result of priceOrder.")
class PriceOrderPayload:
    price: OrderPrice | None = strawberry.field(
        default=None, description="The order's price, when it could be priced."
    )
    user_errors: list[UserError] = user_errors_field()


def _command(info: strawberry.Info, input: PlaceOrderInput) -> PlaceOrder:
    return PlaceOrder(
        channel=input.channel,
        lines=tuple(OrderLineRequest(line.sku, line.quantity) for line in input.lines),
        fulfilment=input.fulfilment,
        customer_email=input.customer_email,
        customer_phone=input.customer_phone,
        customer_name=input.customer_name,
        shipping_address=(
            None if input.shipping_address is None else input.shipping_address.to_domain()
        ),
        pickup_location_code=input.pickup_location_code,
        idempotency_key=input.idempotency_key or None,
        allow_backorder=input.allow_backorder,
        phone_region=info.context.settings.phone_region,
        override_credit_limit=input.override_credit_limit,
        voucher_codes=tuple(input.voucher_codes),
        shipping_method_code=input.shipping_method_code or None,
    )


async def _price(context: Context, order: Order) -> PriceOrderPayload:
    return PriceOrderPayload(price=OrderPrice.of(order))


async def _change_status(
    info: strawberry.Info, input: OrderStatusInput, use_case: UseCase[ChangeOrderStatus, Order]
) -> OrderPayload:
    return await run_mutation(
        info,
        OrderPayload,
        use_case,
        lambda: ChangeOrderStatus(key_of(input.order_id, "Order", "orderId"), input.note),
        show_order,
    )


@strawberry.type
class OrderMutations:
    @strawberry.mutation(
        description="Price, allocate and reserve stock for a new order, all or nothing."
    )
    async def place_order(self, info: strawberry.Info, input: PlaceOrderInput) -> OrderPayload:
        return await run_mutation(
            info, OrderPayload, ordering.place_order, lambda: _command(info, input), show_order
        )

    @strawberry.mutation(
        description="Price an order exactly as placeOrder would, now, without placing it: "
        "no stock is reserved, no voucher use counted, nothing stored (a cart preview). "
        "Refuses what placeOrder refuses about prices, vouchers and shipping; stock and credit "
        "limits are not looked at."
    )
    async def price_order(self, info: strawberry.Info, input: PlaceOrderInput) -> PriceOrderPayload:
        return await run_mutation(
            info, PriceOrderPayload, ordering.price_order, lambda: _command(info, input), _price
        )

    @strawberry.mutation(description="PENDING → CONFIRMED.")
    async def confirm_order(self, info: strawberry.Info, input: OrderStatusInput) -> OrderPayload:
        return await _change_status(info, input, ordering.confirm_order)

    @strawberry.mutation(
        description="PENDING or CONFIRMED → CANCELLED; reservations released, open "
        "authorizations voided and captured money refunded (reason 'order cancelled')."
    )
    async def cancel_order(self, info: strawberry.Info, input: OrderStatusInput) -> OrderPayload:
        return await _change_status(
            info, input, ordering.cancel_order(info.context.payment_gateways)
        )

    @strawberry.mutation(description="CONFIRMED PICKUP order → READY_FOR_PICKUP.")
    async def mark_order_ready_for_pickup(
        self, info: strawberry.Info, input: OrderStatusInput
    ) -> OrderPayload:
        return await _change_status(info, input, ordering.mark_order_ready_for_pickup)

    @strawberry.mutation(description="SHIPPED → DELIVERED.")
    async def mark_order_delivered(
        self, info: strawberry.Info, input: OrderStatusInput
    ) -> OrderPayload:
        return await _change_status(info, input, ordering.mark_order_delivered)

    @strawberry.mutation(
        description="DELIVERED → COMPLETED, or READY_FOR_PICKUP → COMPLETED (picked up)."
    )
    async def complete_order(self, info: strawberry.Info, input: OrderStatusInput) -> OrderPayload:
        return await _change_status(info, input, ordering.complete_order)

    @strawberry.mutation(
        description="Ship units of a CONFIRMED order: → PARTIALLY_SHIPPED or SHIPPED."
    )
    async def ship_order(self, info: strawberry.Info, input: ShipOrderInput) -> OrderPayload:
        return await run_mutation(
            info,
            OrderPayload,
            ordering.ship_order(info.context.payment_gateways),
            lambda: ShipOrder(
                order_id=key_of(input.order_id, "Order", "orderId"),
                lines=tuple(
                    ShipRequest(line.sku.strip().upper(), line.quantity, line.location_code)
                    for line in input.lines
                ),
                carrier=input.carrier,
                tracking_number=input.tracking_number,
            ),
            show_order,
        )
