"""Mutations of POS terminals: register one at a store, sync the sales it rang up offline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

import strawberry

from api.context import Context
from api.errors import ErrorCode, UserError, user_error
from api.loaders import reload
from api.mutations.payloads import user_errors_field
from api.mutations.runner import run_mutation
from api.observability.metrics import POS_SYNC_BATCH_SIZE
from api.types.orders import Order
from api.types.pos import PosTerminal
from domain.commands.pos import PosSale, RegisterPosTerminal, SyncPosSales
from domain.model.payments import PaymentMethod
from domain.model.pos import (
    MAX_LINES,
    MAX_SALES,
    SaleLine,
    SaleOutcome,
    SalePayment,
    SyncReport,
)
from domain.model.pos_sync import SyncStatus
from domain.usecases import pos_sales
from domain.usecases.pos_sales import RegisteredTerminal


@strawberry.enum(description="Why a recorded sale deserves a look.")
class SaleWarningCode(Enum):
    NEGATIVE_STOCK = "NEGATIVE_STOCK"


@strawberry.input(description="A new terminal at a store.")
class RegisterPosTerminalInput:
    store_code: str = strawberry.field(description="The store's code; not a warehouse.")
    name: str = strawberry.field(description="Its name, unique within the store, e.g. Till 1.")


@strawberry.type(description="Result of registering a POS terminal.")
class RegisterPosTerminalPayload:
    terminal: PosTerminal | None = strawberry.field(
        default=None, description="The terminal, when it succeeded."
    )
    token: str | None = strawberry.field(
        default=None,
        description="The terminal's bearer token (role POS, bound to its store, naming the "
        "terminal): the one token that may sync its sales. Shown once; keep it on the till.",
    )
    token_expires_at: datetime | None = strawberry.field(
        default=None,
        description="When the token expires (OMNIORDER_TOKEN_DAYS after registering); "
        "register the till again before then. deactivatePosTerminal revokes it at once.",
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="Units of one SKU sold, at the price charged.")
class PosSaleLineInput:
    sku: str = strawberry.field(description="The variant's SKU.")
    quantity: int = strawberry.field(description="Units sold, at least 1.")
    unit_price: Decimal = strawberry.field(
        description="Price per unit charged at the till, in the variant's currency; "
        "zero or more, two decimals at most."
    )
    discount: Decimal = strawberry.field(
        default=Decimal(0),
        description="Taken off the whole line by hand at the till (a MANUAL discount on the "
        "order line): zero or more, at most unitPrice * quantity. The line's total is "
        "unitPrice * quantity - discount, taxed at the store.",
    )


@strawberry.input(description="Money tendered for a sale.")
class PosPaymentInput:
    method: PaymentMethod = strawberry.field(
        description="How it was tendered: CASH (change is given from cash), CARD, GIFT_CARD…"
    )
    amount: Decimal = strawberry.field(description="More than zero, in the sale's currency.")


@strawberry.input(description="One sale as the terminal recorded it.")
class PosSaleInput:
    client_sale_id: UUID = strawberry.field(
        description="The id the terminal gave the sale: it is recorded once at the "
        "terminal's store, however often any of the store's terminals sends it."
    )
    occurred_at: datetime = strawberry.field(
        description="When it was rung up, with a UTC offset; becomes the order's createdAt."
    )
    lines: list[PosSaleLineInput] = strawberry.field(
        description=f"What was sold, 1-{MAX_LINES} lines; lines of one SKU at one price are "
        "merged, the same SKU at two prices is rejected."
    )
    payments: list[PosPaymentInput] = strawberry.field(
        description="What was tendered: at least the total; what exceeds it was change, "
        "handed back from the cash tendered."
    )
    customer_email: str | None = strawberry.field(
        default=None,
        description="The customer's email: the order is linked to that customer, who is "
        "created if unknown.",
    )


@strawberry.input(description="Sales a terminal rang up, to record.")
class SyncPosSalesInput:
    sales: list[PosSaleInput] = strawberry.field(
        description=f"At most {MAX_SALES}, in any order; sales sent before come back as DUPLICATE."
    )


@strawberry.type(description="Why a synced sale was rejected.")
class PosSaleError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field at fault, e.g. ['input', 'sales', '3', 'lines', "
        "'0', 'sku']."
    )
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="What is wrong, for a person to act on.")


@strawberry.type(description="A recorded sale line that left the store's stock short.")
class PosSaleWarning:
    code: SaleWarningCode = strawberry.field(
        description="NEGATIVE_STOCK: more was sold than the ledger held; count the shelf."
    )
    sku: str = strawberry.field(description="The SKU.")
    on_hand: int = strawberry.field(description="On hand at the store after this line.")


@strawberry.type(description="What became of one synced sale.")
class PosSaleResult:
    order_id: strawberry.Private[int | None]
    client_sale_id: UUID = strawberry.field(description="The sale's id, as sent.")
    status: SyncStatus = strawberry.field(description="ACCEPTED, DUPLICATE or REJECTED.")
    error: PosSaleError | None = strawberry.field(description="Why it was REJECTED.")
    warnings: list[PosSaleWarning] = strawberry.field(
        description="For an ACCEPTED sale, the lines that left stock short."
    )

    @classmethod
    def of(cls, outcome: SaleOutcome) -> PosSaleResult:
        error = None
        if outcome.error is not None:
            shown = user_error(outcome.error)
            error = PosSaleError(field=shown.field, code=shown.code, message=shown.message)
        return cls(
            order_id=outcome.order_id,
            client_sale_id=outcome.client_sale_id,
            status=outcome.status,
            error=error,
            warnings=[
                PosSaleWarning(code=SaleWarningCode.NEGATIVE_STOCK, sku=w.sku, on_hand=w.on_hand)
                for w in outcome.warnings
            ],
        )

    @strawberry.field(description="The COUNTER order the sale is (ACCEPTED or DUPLICATE).")
    async def order(self, info: strawberry.Info) -> Order | None:
        if self.order_id is None:
            return None
        return await info.context.loaders.order.load(self.order_id)


@strawberry.type(description="Result of a sync: one result per sale sent, in the same order.")
class SyncPosSalesPayload:
    results: list[PosSaleResult] = strawberry.field(
        default_factory=list, description="Per sale, as sent."
    )
    accepted: int = strawberry.field(default=0, description="Sales recorded by this sync.")
    duplicates: int = strawberry.field(default=0, description="Sales recorded before.")
    rejected: int = strawberry.field(
        default=0, description="Sales not recorded, each with its reason."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the whole request was refused (nothing was recorded); per-sale "
        "problems are in `results`.",
    )


def _sync_command(input: SyncPosSalesInput) -> SyncPosSales:
    return SyncPosSales(
        tuple(
            PosSale(
                client_sale_id=sale.client_sale_id,
                occurred_at=sale.occurred_at,
                lines=tuple(
                    SaleLine(line.sku, line.quantity, line.unit_price, line.discount)
                    for line in sale.lines
                ),
                payments=tuple(
                    SalePayment(payment.method, payment.amount) for payment in sale.payments
                ),
                customer_email=sale.customer_email,
            )
            for sale in input.sales
        )
    )


@strawberry.type
class PosMutations:
    @strawberry.mutation(
        description="Register a POS terminal at a store and issue its token (ADMIN)."
    )
    async def register_pos_terminal(
        self, info: strawberry.Info, input: RegisterPosTerminalInput
    ) -> RegisterPosTerminalPayload:
        return await run_mutation(
            info,
            RegisterPosTerminalPayload,
            pos_sales.register_pos_terminal,
            lambda: RegisterPosTerminal(
                input.store_code,
                input.name,
                info.context.settings.sessions.token_lifetime,
            ),
            _show_terminal,
        )

    @strawberry.mutation(
        description="Record sales a terminal rang up offline, each once, in one transaction: "
        "every sale becomes a COMPLETED COUNTER order at the terminal's store, even when the "
        "ledger shows too little stock there (a NEGATIVE_STOCK warning). Malformed sales are "
        "rejected one by one. Only a registered terminal's token may sync."
    )
    async def sync_pos_sales(
        self, info: strawberry.Info, input: SyncPosSalesInput
    ) -> SyncPosSalesPayload:
        POS_SYNC_BATCH_SIZE.labels("syncPosSales").observe(len(input.sales))
        return await run_mutation(
            info,
            SyncPosSalesPayload,
            pos_sales.sync_pos_sales,
            lambda: _sync_command(input),
            _show_sync,
        )


async def _show_terminal(
    context: Context, registered: RegisteredTerminal
) -> RegisterPosTerminalPayload:
    """The terminal registered, and the token it syncs with."""
    access = context.session_service.access_token(registered.session, context.now())
    return RegisterPosTerminalPayload(
        terminal=await reload(context.loaders.pos.terminal, registered.terminal.id),
        token=access.token,
        token_expires_at=access.expires_at,
    )


async def _show_sync(context: Context, report: SyncReport) -> SyncPosSalesPayload:
    return SyncPosSalesPayload(
        results=[PosSaleResult.of(outcome) for outcome in report.outcomes],
        accepted=report.count(SyncStatus.ACCEPTED),
        duplicates=report.count(SyncStatus.DUPLICATE),
        rejected=report.count(SyncStatus.REJECTED),
    )
