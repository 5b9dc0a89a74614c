"""Mutations on returns (RMAs): request, approve or reject, receive, refund."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.errors import UserError
from api.mutations.payloads import user_errors_field
from api.mutations.payments import RefundShareInput
from api.mutations.runner import UseCase, key_of, run_mutation
from api.types.returns import Return
from domain.commands import returns as commands
from domain.commands.payments import PaymentShare
from domain.model.returns import ReceiptLine, ReturnDisposition, ReturnRequest
from domain.model.returns import Return as DomainReturn
from domain.payment_gateway import PaymentGateways
from domain.usecases import returns


@strawberry.input(description="Units of one SKU to send back.")
class ReturnLineInput:
    sku: str = strawberry.field(description="The SKU, as ordered.")
    quantity: int = strawberry.field(
        description="Units, at least 1, at most those shipped or picked up and not already "
        "returned or being returned."
    )
    reason: str = strawberry.field(default="", description="Why (at most 500 characters).")


@strawberry.input(description="Ask to return units of an order.")
class RequestReturnInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    lines: list[ReturnLineInput] = strawberry.field(description="What comes back; SKUs unique.")


@strawberry.input(description="Move a return one step in its lifecycle.")
class ReturnStatusInput:
    return_id: strawberry.ID = strawberry.field(description="The return.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.input(description="Refund a received return through the order's payments.")
class RefundReturnInput:
    return_id: strawberry.ID = strawberry.field(description="The return.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")
    payments: list[RefundShareInput] | None = strawberry.field(
        default=None,
        description="Which payments give the refund back, adding up to it; by default the "
        "largest refundable first.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="A string unique among the caller's own keys: a retry with the same key "
        "answers with the return the first one refunded, and moves no money again.",
    )


@strawberry.input(description="Units of one SKU that arrived, and what becomes of them.")
class ReceiveReturnLineInput:
    sku: str = strawberry.field(description="The SKU.")
    quantity: int = strawberry.field(description="Units, at least 1.")
    disposition: ReturnDisposition = strawberry.field(
        description="RESTOCK (back in stock) or DAMAGED (held, never sold)."
    )


@strawberry.input(description="The goods of an approved return arrived.")
class ReceiveReturnInput:
    return_id: strawberry.ID = strawberry.field(description="The return.")
    location_code: str = strawberry.field(
        description="Where they arrived: any store or warehouse the caller works at."
    )
    lines: list[ReceiveReturnLineInput] = strawberry.field(
        description="What arrived; a SKU may appear once per disposition. Units of a SKU "
        "may be fewer than asked back, never more."
    )
    note: str | None = strawberry.field(default=None, description="Why, for the history.")


@strawberry.type(description="Result of a mutation on a return.")
class ReturnPayload:
    return_: Return | None = strawberry.field(
        default=None, name="return", description="The return, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


async def _show(context: Context, rma: DomainReturn) -> ReturnPayload:
    assert rma.id is not None and rma.order_id is not None  # the use case stored it
    return ReturnPayload(return_=await context.loaders.returns.fresh(rma.id, rma.order_id))


async def _change_status(
    info: strawberry.Info,
    input: ReturnStatusInput,
    use_case: UseCase[commands.ChangeReturnStatus, DomainReturn],
) -> ReturnPayload:
    return await run_mutation(
        info,
        ReturnPayload,
        use_case,
        lambda: commands.ChangeReturnStatus(
            key_of(input.return_id, "Return", "returnId"), input.note
        ),
        _show,
    )


@strawberry.type
class ReturnMutations:
    @strawberry.mutation(
        description="Ask to return units that were shipped or picked up → REQUESTED. A "
        "customer returns from its own orders."
    )
    async def request_return(
        self, info: strawberry.Info, input: RequestReturnInput
    ) -> ReturnPayload:
        return await run_mutation(
            info,
            ReturnPayload,
            returns.request_return,
            lambda: commands.RequestReturn(
                order_id=key_of(input.order_id, "Order", "orderId"),
                lines=tuple(
                    ReturnRequest(line.sku, line.quantity, line.reason) for line in input.lines
                ),
            ),
            _show,
        )

    @strawberry.mutation(description="REQUESTED → APPROVED (staff and admins).")
    async def approve_return(
        self, info: strawberry.Info, input: ReturnStatusInput
    ) -> ReturnPayload:
        return await _change_status(info, input, returns.approve_return)

    @strawberry.mutation(
        description="REQUESTED or APPROVED → REJECTED (staff and admins); its units may be "
        "asked back again."
    )
    async def reject_return(self, info: strawberry.Info, input: ReturnStatusInput) -> ReturnPayload:
        return await _change_status(info, input, returns.reject_return)

    @strawberry.mutation(
        description="APPROVED → RECEIVED at a location: RESTOCK units go back on hand, DAMAGED "
        "ones are held as damaged; the order becomes PARTIALLY_RETURNED or RETURNED."
    )
    async def receive_return(
        self, info: strawberry.Info, input: ReceiveReturnInput
    ) -> ReturnPayload:
        return await run_mutation(
            info,
            ReturnPayload,
            returns.receive_return,
            lambda: commands.ReceiveReturn(
                return_id=key_of(input.return_id, "Return", "returnId"),
                location_code=input.location_code,
                lines=tuple(
                    ReceiptLine(line.sku, line.quantity, line.disposition) for line in input.lines
                ),
                note=input.note,
            ),
            _show,
        )

    @strawberry.mutation(
        description="RECEIVED → REFUNDED: refund = units received times the order's unit "
        "prices, given back as REFUND entries against the order's captured payments (largest "
        "refundable first, or as `payments` says), never more than was captured and not "
        "refunded (AMOUNT_EXCEEDS_BALANCE). An order that never had money captured is "
        "refunded without money moving."
    )
    async def refund_return(self, info: strawberry.Info, input: RefundReturnInput) -> ReturnPayload:
        gateways: PaymentGateways = info.context.payment_gateways
        return await run_mutation(
            info,
            ReturnPayload,
            returns.refund_return(gateways),
            lambda: commands.RefundReturn(
                return_id=key_of(input.return_id, "Return", "returnId"),
                note=input.note,
                payments=tuple(
                    PaymentShare(
                        key_of(share.payment_id, "Payment", f"payments.{index}.paymentId"),
                        str(share.amount),
                    )
                    for index, share in enumerate(input.payments or ())
                ),
                idempotency_key=input.idempotency_key,
            ),
            _show,
        )
