"""Mutations on payments: authorize, capture, void, record by hand, refund (docs/payments.md)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import key_of, run_mutation
from api.types.orders import Order
from api.types.payments import Payment, PaymentEntry
from domain.commands import payments as commands
from domain.model.payments import PaymentMethod
from domain.payment_gateway import PaymentGateways
from domain.usecases import payments, refunds
from domain.usecases.money_requests import PaymentResult, RefundResult

IDEMPOTENCY_KEY = strawberry.field(
    description="Any string up to 200 characters, unique per request within the caller's "
    "own requests: a repeat answers with what the first one did, and never takes or gives "
    "money twice."
)


def _amount(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


@strawberry.input(description="Ask a provider to hold (or take) money for an order.")
class AuthorizePaymentInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    provider: str = strawberry.field(
        description="The provider: `test`, `manual` or one this installation has."
    )
    method: PaymentMethod = strawberry.field(
        default=PaymentMethod.CARD, description="How the customer pays."
    )
    amount: Decimal | None = strawberry.field(
        default=None,
        description="How much, in the order's currency; by default what is neither paid "
        "nor held yet. Never more than that.",
    )
    token: str | None = strawberry.field(
        default=None,
        description="What the storefront got from the provider's own payment form (a card "
        "token); the test provider's tokens are in docs/payments.md.",
    )
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.input(description="Take all or part of what an authorization holds.")
class CapturePaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="The AUTHORIZED payment.")
    amount: Decimal | None = strawberry.field(
        default=None, description="How much; by default all that is held."
    )
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.input(description="Release what an authorization still holds.")
class VoidPaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="The AUTHORIZED payment.")
    reason: str | None = strawberry.field(default=None, description="Why, for the ledger.")
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.input(description="Money staff took themselves: cash on delivery, a transfer…")
class RecordManualPaymentInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    amount: Decimal = strawberry.field(description="How much, in the order's currency.")
    method: PaymentMethod = strawberry.field(description="How it was paid.")
    reference: str | None = strawberry.field(
        default=None, description="What proves it: a bank reference, a receipt number."
    )
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.input(description="Give back money one payment captured.")
class RefundPaymentInput:
    payment_id: strawberry.ID = strawberry.field(description="The payment.")
    amount: Decimal | None = strawberry.field(
        default=None, description="How much; by default all it captured and did not refund."
    )
    reason: str | None = strawberry.field(default=None, description="Why, for the ledger.")
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.input(description="One payment's share of a refund.")
class RefundShareInput:
    payment_id: strawberry.ID = strawberry.field(description="A payment of the order.")
    amount: Decimal = strawberry.field(description="How much of the refund it gives back.")


@strawberry.input(description="A goodwill refund: money back without a return.")
class RefundOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    reason: str = strawberry.field(description="Why (required, at most 500 characters).")
    amount: Decimal | None = strawberry.field(
        default=None,
        description="How much; by default all that was captured and not refunded.",
    )
    payments: list[RefundShareInput] | None = strawberry.field(
        default=None,
        description="Which payments give it back, adding up to the amount; by default the "
        "largest refundable first.",
    )
    idempotency_key: str = IDEMPOTENCY_KEY


@strawberry.type(description="Result of a mutation on a payment.")
class PaymentPayload:
    payment: Payment | None = strawberry.field(default=None, description="The payment.")
    order: Order | None = strawberry.field(default=None, description="Its order, as it is now.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of a refund.")
class RefundPayload:
    refunds: list[PaymentEntry] = strawberry.field(
        default_factory=list, description="The REFUND entries written, one per payment."
    )
    order: Order | None = strawberry.field(default=None, description="The order, as it is now.")
    user_errors: list[UserError] = user_errors_field()


async def _show_payment(context: Context, result: PaymentResult) -> PaymentPayload:
    context.refresh_loaders()
    return PaymentPayload(
        payment=await context.loaders.payments.payment.load(result.payment.id or 0),
        order=await reload(context.loaders.order, result.order.id),
    )


async def _show_refunds(context: Context, result: RefundResult) -> RefundPayload:
    context.refresh_loaders()
    entries = await context.loaders.payments.entry.load_many([e.id or 0 for e in result.refunds])
    return RefundPayload(
        refunds=[entry for entry in entries if entry is not None],
        order=await reload(context.loaders.order, result.order.id),
    )


def _gateways(info: strawberry.Info) -> PaymentGateways:
    gateways: PaymentGateways = info.context.payment_gateways
    return gateways


@strawberry.type
class PaymentMutations:
    @strawberry.mutation(
        description="Pay for an order through a provider: money is held (AUTHORIZED), and "
        "taken at once when the order's channel captures on PLACEMENT. A decline is kept as "
        "a FAILED payment; an asynchronous provider leaves it PENDING until its webhook."
    )
    async def authorize_payment(
        self, info: strawberry.Info, input: AuthorizePaymentInput
    ) -> PaymentPayload:
        return await run_mutation(
            info,
            PaymentPayload,
            payments.authorize_payment(_gateways(info)),
            lambda: commands.AuthorizePayment(
                order_id=key_of(input.order_id, "Order", "orderId"),
                amount=_amount(input.amount),
                provider=input.provider,
                method=input.method,
                token=input.token,
                idempotency_key=input.idempotency_key,
            ),
            _show_payment,
        )

    @strawberry.mutation(description="Take all or part of what an AUTHORIZED payment holds.")
    async def capture_payment(
        self, info: strawberry.Info, input: CapturePaymentInput
    ) -> PaymentPayload:
        return await run_mutation(
            info,
            PaymentPayload,
            payments.capture_payment(_gateways(info)),
            lambda: commands.CapturePayment(
                payment_id=key_of(input.payment_id, "Payment", "paymentId"),
                amount=_amount(input.amount),
                idempotency_key=input.idempotency_key,
            ),
            _show_payment,
        )

    @strawberry.mutation(
        description="Release what an AUTHORIZED payment still holds: VOIDED, or CAPTURED "
        "when part of it was captured already."
    )
    async def void_payment(self, info: strawberry.Info, input: VoidPaymentInput) -> PaymentPayload:
        return await run_mutation(
            info,
            PaymentPayload,
            payments.void_payment(_gateways(info)),
            lambda: commands.VoidPayment(
                payment_id=key_of(input.payment_id, "Payment", "paymentId"),
                idempotency_key=input.idempotency_key,
                reason=input.reason,
            ),
            _show_payment,
        )

    @strawberry.mutation(
        description="Record money staff took themselves (cash on delivery, a bank transfer, "
        "a cheque) as a CAPTURED payment of the `manual` provider."
    )
    async def record_manual_payment(
        self, info: strawberry.Info, input: RecordManualPaymentInput
    ) -> PaymentPayload:
        return await run_mutation(
            info,
            PaymentPayload,
            payments.record_manual_payment,
            lambda: commands.RecordManualPayment(
                order_id=key_of(input.order_id, "Order", "orderId"),
                amount=str(input.amount),
                method=input.method,
                reference=input.reference,
                idempotency_key=input.idempotency_key,
            ),
            _show_payment,
        )

    @strawberry.mutation(
        description="Give back part or all of what one payment captured and has not "
        "refunded (staff and admins)."
    )
    async def refund_payment(
        self, info: strawberry.Info, input: RefundPaymentInput
    ) -> RefundPayload:
        return await run_mutation(
            info,
            RefundPayload,
            refunds.refund_payment(_gateways(info)),
            lambda: commands.RefundPayment(
                payment_id=key_of(input.payment_id, "Payment", "paymentId"),
                amount=_amount(input.amount),
                reason=input.reason,
                idempotency_key=input.idempotency_key,
            ),
            _show_refunds,
        )

    @strawberry.mutation(
        description="A goodwill refund without a return, with a reason, split across the "
        "order's payments; never more than they captured and did not refund (staff and "
        "admins)."
    )
    async def refund_order(self, info: strawberry.Info, input: RefundOrderInput) -> RefundPayload:
        return await run_mutation(
            info,
            RefundPayload,
            refunds.refund_order(_gateways(info)),
            lambda: commands.RefundOrder(
                order_id=key_of(input.order_id, "Order", "orderId"),
                amount=_amount(input.amount),
                reason=input.reason,
                idempotency_key=input.idempotency_key,
                payments=tuple(
                    commands.PaymentShare(
                        key_of(share.payment_id, "Payment", f"payments.{index}.paymentId"),
                        str(share.amount),
                    )
                    for index, share in enumerate(input.payments or ())
                ),
            ),
            _show_refunds,
        )
