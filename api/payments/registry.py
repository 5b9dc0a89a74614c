"""The payment providers of one installation, built from its settings.

A provider is one module of api/payments/ with a class implementing `PaymentGateway`
(domain/payment_gateway.py) and, if its provider posts webhooks, `ProviderWebhook`
(api/payments/webhook_endpoint.py), taken at /webhooks/payments/<its name>; and, if it
keeps background work, an `aclose()` the app's lifespan awaits. Adding one is one line in
`payment_gateways` (docs/payment-providers.md).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from api.payments.manual import ManualGateway
from api.payments.pos import PosGateway
from api.payments.test_gateway import TestGateway
from api.payments.webhook_endpoint import ProviderWebhook
from api.settings import Settings
from domain.payment_gateway import PaymentGateway, PaymentGateways


def payment_gateways(settings: Settings) -> PaymentGateways:
    gateways: dict[str, PaymentGateway] = {"manual": ManualGateway(), "pos": PosGateway()}
    if settings.payments.test_secret:  # never in production: its cards are make-believe
        gateways["test"] = TestGateway(settings.payments)
    return PaymentGateways(gateways)


@runtime_checkable
class ClosingGateway(Protocol):
    async def aclose(self) -> None: ...


def provider_webhooks(gateways: PaymentGateways) -> dict[str, ProviderWebhook]:
    """The providers that take webhooks, by name."""
    return {
        name: gateway
        for name in gateways.names
        if isinstance(gateway := gateways[name], ProviderWebhook)
    }


async def close_gateways(gateways: PaymentGateways) -> None:
    """Stop the providers' background work (the test provider's pending callbacks)."""
    for name in gateways.names:
        gateway = gateways[name]
        if isinstance(gateway, ClosingGateway):
            await gateway.aclose()
