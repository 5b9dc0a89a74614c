"""The payment provider port: what the domain asks of a card processor or wallet.

An adapter is one module that implements `PaymentGateway` for one provider (api/payments/
holds `manual` and `test`; docs/payment-providers.md shows how a Stripe or Adyen one is
written). The domain calls it while it holds the order's row, so concurrent commands on
one order wait rather than both spending the same money; an adapter must answer quickly
(a network call with a timeout) and pass `idempotency_key` on to its provider, so that a
command run again after a lost answer never charges or refunds twice.

Answers are `GatewayOutcome`s:
- SUCCEEDED: done now (a capture, a refund, a manual payment);
- PENDING: the provider answers later, by a signed webhook the adapter verifies and turns
  into `ProviderEvent`s (`apply_provider_event` in domain/usecases/provider_events.py);
- DECLINED: refused, with the provider's reason; nothing is held or taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.errors import InvalidInput
from domain.model.payments import PaymentMethod
from domain.money import Money


class GatewayStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    PENDING = "PENDING"
    DECLINED = "DECLINED"


@dataclass(frozen=True, slots=True)
class GatewayOutcome:
    status: GatewayStatus
    reference: str  # the provider's id of the payment, or of the refund
    message: str = ""


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    order_id: int
    order_number: str
    amount: Money
    method: PaymentMethod
    token: str | None  # what the storefront got from the provider's own form (a card token)
    idempotency_key: str
    capture: bool  # a sale: capture at once (the channel captures on placement)


class ProviderEventKind(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    CAPTURED = "CAPTURED"
    FAILED = "FAILED"
    VOIDED = "VOIDED"


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """What a provider's webhook said happened to one of its payments."""

    provider: str
    event_id: str  # the provider's id of the event: a repeat delivery has the same one
    kind: ProviderEventKind
    payment_reference: str
    amount: Money | None
    occurred_at: datetime
    reason: str | None = None


class PaymentGateway(Protocol):
    @property
    def name(self) -> str: ...

    async def authorize(self, request: AuthorizationRequest) -> GatewayOutcome: ...

    async def capture(
        self, reference: str, amount: Money, idempotency_key: str
    ) -> GatewayOutcome: ...

    async def void(self, reference: str, idempotency_key: str) -> GatewayOutcome: ...

    async def refund(
        self, reference: str, amount: Money, idempotency_key: str
    ) -> GatewayOutcome: ...


class PaymentGateways:
    """The providers this installation takes payments through, by name."""

    def __init__(self, gateways: Mapping[str, PaymentGateway]) -> None:
        self._gateways = dict(gateways)

    def __getitem__(self, name: str) -> PaymentGateway:
        gateway = self._gateways.get(name.strip().lower())
        if gateway is None:
            known = ", ".join(sorted(self._gateways))
            raise InvalidInput(f"no payment provider {name!r}; known: {known}", field="provider")
        return gateway

    @property
    def names(self) -> list[str]:
        return sorted(self._gateways)
