"""The payment providers of one installation, built from its settings."""

from __future__ import annotations

from api.payments.manual import ManualGateway
from api.settings import Settings
from domain.payment_gateway import PaymentGateways


def payment_gateways(settings: Settings) -> PaymentGateways:
    return PaymentGateways({"manual": ManualGateway()})
