"""The `pos` provider: tenders a till took (cash, a card on the store's own terminal) and
synced with its sales. The money already changed hands at the counter, so nothing is asked
of anyone: every step succeeds at once, as with `manual`. A counter return gives money back
over the same counter, to the tender that paid (cash for cash, the card for a card).
Only `authorize` says no: a till's tenders come in with its sales (`syncPosSales`), never
through `authorizePayment`."""

from __future__ import annotations

from api.payments.manual import ManualGateway
from domain.model.payments import POS_PROVIDER
from domain.payment_gateway import AuthorizationRequest, GatewayOutcome, GatewayStatus


class PosGateway(ManualGateway):
    """As `manual`, under its own name, but refusing authorizations."""

    name = POS_PROVIDER

    async def authorize(self, request: AuthorizationRequest) -> GatewayOutcome:
        """Tenders enter the ledger only with the sales a terminal syncs: one asked for
        through authorizePayment would be money nobody took."""
        return GatewayOutcome(
            GatewayStatus.DECLINED, "", "pos payments come only with syncPosSales"
        )
