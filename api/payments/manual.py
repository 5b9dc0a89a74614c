"""The `manual` provider: money staff take and record themselves (cash on delivery, a bank
transfer, a cheque). Nothing is asked of anyone: every step succeeds at once, and the
reference is the one staff typed, or one made up to keep refunds apart."""

from __future__ import annotations

from uuid import uuid4

from domain.money import Money
from domain.payment_gateway import AuthorizationRequest, GatewayOutcome, GatewayStatus


class ManualGateway:
    name = "manual"

    async def authorize(self, request: AuthorizationRequest) -> GatewayOutcome:
        return _done("manual")

    async def capture(self, reference: str, amount: Money, idempotency_key: str) -> GatewayOutcome:
        return _done("capture")

    async def void(self, reference: str, idempotency_key: str) -> GatewayOutcome:
        return _done("void")

    async def refund(self, reference: str, amount: Money, idempotency_key: str) -> GatewayOutcome:
        return _done("refund")


def _done(kind: str) -> GatewayOutcome:
    return GatewayOutcome(GatewayStatus.SUCCEEDED, f"{kind}_{uuid4().hex}")
