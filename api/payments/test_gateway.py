"""The `test` provider: a make-believe card processor that behaves like a real one.

Modelled on Stripe's PaymentIntents. `authorize` answers PENDING with a reference
`test_pay_<32 hex>` and, `delay` seconds later, posts the outcome to the callback URL (this
server's `POST /webhooks/payments/test`) as a signed event, retried with backoff until it
is answered 2xx, as a provider does. The card token decides the outcome:

    tok_visa (or any other)   payment.authorized (payment.captured for a sale)
    tok_declined              payment.failed, "card declined"
    tok_insufficient_funds    payment.failed, "insufficient funds"
    tok_invalid_card          DECLINED at once, "invalid card number"; no event
    tok_refund_fails          authorized as tok_visa; every refund of it is DECLINED
    tok_capture_fails         authorized as tok_visa; every capture of it is DECLINED

Captures, voids and refunds succeed at once (references `test_cap_…`, `test_void_…`,
`test_re_…`). Like a real provider it keeps its answers by idempotency key: the same key
gets the same reference and the same event ids, so a retried command is one payment.
It keeps no other state: what a token decided for later is in the reference itself.

Events (`created` in unix seconds, `amount` in minor units; a payment.captured's amount is
what was captured in all):

    {"id": "evt_…", "type": "payment.authorized", "created": 1765000000,
     "data": {"object": {"id": "test_pay_…", "amount": 3980, "currency": "usd",
                         "failure_message": null}}}

signed in the header `Test-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with
OMNIORDER_TEST_PAYMENTS_SECRET (api/payments/signatures.py). docs/payment-providers.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import httpx

from api.payments.signatures import SignatureRefused, signature_header, verify_signature
from api.payments.webhook_endpoint import WebhookRefused
from api.settings import PaymentSettings
from domain.errors import InvalidInput
from domain.money import Money, currency_code
from domain.payment_gateway import (
    AuthorizationRequest,
    GatewayOutcome,
    GatewayStatus,
    ProviderEvent,
    ProviderEventKind,
)

log = logging.getLogger("omniorder.payments.test")

PROVIDER = "test"
SIGNATURE_HEADER = "Test-Signature"
DECLINES = {"tok_declined": "card declined", "tok_insufficient_funds": "insufficient funds"}
INVALID_CARD = "tok_invalid_card"
REFUND_FAILS = "tok_refund_fails"
CAPTURE_FAILS = "tok_capture_fails"
# What a token decided for later, as the reference's suffix.
SUFFIXES = {REFUND_FAILS: "_refund_fails", CAPTURE_FAILS: "_capture_fails"}
EVENT_TYPES = {
    "payment.authorized": ProviderEventKind.AUTHORIZED,
    "payment.captured": ProviderEventKind.CAPTURED,
    "payment.failed": ProviderEventKind.FAILED,
    "payment.voided": ProviderEventKind.VOIDED,
}
DELIVERY_ATTEMPTS = 8  # the waits double from `delay`: about a minute in all at 0.2 s
MAX_WAIT = 30.0
TIMEOUT = 10.0
_NAMESPACE = uuid5(NAMESPACE_URL, "https://omniorder.invalid/payments/test")


class TestGateway:
    """The adapter, and the receiver of its own webhooks (`events`)."""

    __test__ = False  # not a pytest test class, whatever its name says
    name = PROVIDER

    def __init__(
        self, settings: PaymentSettings, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        if not settings.test_secret:
            raise ValueError("the test provider needs OMNIORDER_TEST_PAYMENTS_SECRET")
        self.secret = settings.test_secret
        self.callback_url = settings.test_callback_url
        self.delay = settings.test_delay_seconds
        self.tolerance = settings.webhook_tolerance_seconds
        self.transport = transport  # tests post into an ASGI app with one (before any send)
        self._client: httpx.AsyncClient | None = None
        self._deliveries: set[asyncio.Task[None]] = set()

    # -- the provider ------------------------------------------------------------------
    async def authorize(self, request: AuthorizationRequest) -> GatewayOutcome:
        token = (request.token or "").strip()
        reference = "test_pay_" + _key(request.idempotency_key) + SUFFIXES.get(token, "")
        if token == INVALID_CARD:
            return GatewayOutcome(GatewayStatus.DECLINED, reference, "invalid card number")
        decline = DECLINES.get(token)
        kind = "payment.failed" if decline else "payment.captured" if request.capture else None
        self.send(event_body(kind or "payment.authorized", reference, request.amount, decline))
        return GatewayOutcome(GatewayStatus.PENDING, reference)

    async def capture(self, reference: str, amount: Money, idempotency_key: str) -> GatewayOutcome:
        if reference.endswith(SUFFIXES[CAPTURE_FAILS]):
            return _declined(reference, f"captures of this payment fail ({CAPTURE_FAILS})")
        return _succeeded("test_cap_", idempotency_key)

    async def void(self, reference: str, idempotency_key: str) -> GatewayOutcome:
        return _succeeded("test_void_", idempotency_key)

    async def refund(self, reference: str, amount: Money, idempotency_key: str) -> GatewayOutcome:
        if reference.endswith(SUFFIXES[REFUND_FAILS]):
            return _declined(reference, f"refunds of this payment are declined ({REFUND_FAILS})")
        return _succeeded("test_re_", idempotency_key)

    # -- its webhooks, sent ------------------------------------------------------------
    def send(self, body: bytes) -> None:
        """Post the event to the callback URL in the background, after the delay; nothing
        without a callback URL (a test delivers it then)."""
        if self.callback_url is None:
            return
        task = asyncio.get_running_loop().create_task(self._deliver(self.callback_url, body))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, url: str, body: bytes) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(transport=self.transport, timeout=TIMEOUT)
        wait = self.delay
        for attempt in range(1, DELIVERY_ATTEMPTS + 1):
            await asyncio.sleep(wait)
            headers = signed_headers(self.secret, body, int(time.time()))
            try:
                response = await self._client.post(url, content=body, headers=headers)
                if response.is_success:
                    return
                problem = f"answered {response.status_code}"
            except httpx.HTTPError as error:
                problem = f"{type(error).__name__}: {error}"
            log.info("test payment event, attempt %d to %s: %s", attempt, url, problem)
            wait = min(max(wait, 0.05) * 2, MAX_WAIT)
        log.warning("test payment event given up after %d attempts", DELIVERY_ATTEMPTS)

    async def aclose(self) -> None:
        """Stop the deliveries still waiting (the server they would call is going away)."""
        pending = list(self._deliveries)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if pending:
            log.info("%d test payment events not delivered: the server stopped", len(pending))
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- its webhooks, received --------------------------------------------------------
    def events(self, headers: Mapping[str, str], body: bytes, now: datetime) -> list[ProviderEvent]:
        try:
            verify_signature(
                self.secret, headers.get(SIGNATURE_HEADER), body, now.timestamp(), self.tolerance
            )
        except SignatureRefused as refused:
            raise WebhookRefused(401, str(refused)) from None
        return parse_event(body)


def parse_event(body: bytes) -> list[ProviderEvent]:
    """The event a (verified) body holds: none for a type we do not use."""
    try:
        event = json.loads(body)
        kind = EVENT_TYPES.get(_text(event, "type"))
        if kind is None:
            return []
        payment = event["data"]["object"]
        amount = payment.get("amount")
        if amount is not None and (type(amount) is not int or amount < 0):
            raise ValueError("amount must be a whole number of minor units, 0 or more")
        currency = currency_code(_text(payment, "currency"), field="currency")
        created = event["created"]
        if type(created) is not int:
            raise ValueError("created must be unix seconds")
        reason = payment.get("failure_message")
        return [
            ProviderEvent(
                provider=PROVIDER,
                event_id=_text(event, "id"),
                kind=kind,
                payment_reference=_text(payment, "id"),
                amount=None if amount is None else Money.from_minor_units(amount, currency),
                occurred_at=datetime.fromtimestamp(created, UTC),
                reason=str(reason)[:500] if reason else None,
            )
        ]
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        InvalidInput,
        OverflowError,
        OSError,
    ) as error:
        raise WebhookRefused(400, f"not a test payment event: {error}") from None


def event_body(
    kind: str,
    reference: str,
    amount: Money | None,
    reason: str | None = None,
    *,
    event_id: str | None = None,
    created: int | None = None,
) -> bytes:
    """An event as the test provider sends it; its id is the same for the same payment
    and type, as a provider's repeat delivery of one event has."""
    payment: dict[str, Any] = {
        "id": reference,
        "amount": None if amount is None else amount.minor_units,
        "currency": (amount.currency if amount else "usd").lower(),
        "failure_message": reason,
    }
    event = {
        "id": event_id or f"evt_{_key(f'{reference}:{kind}')}",
        "type": kind,
        "created": int(time.time()) if created is None else created,
        "data": {"object": payment},
    }
    return json.dumps(event).encode()


def signed_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
    }


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping[key]
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValueError(f"{key} must be a string of 1 to 200 characters")
    return value


def _key(seed: str) -> str:
    return uuid5(_NAMESPACE, seed).hex


def _succeeded(prefix: str, idempotency_key: str) -> GatewayOutcome:
    return GatewayOutcome(GatewayStatus.SUCCEEDED, prefix + _key(idempotency_key))


def _declined(reference: str, message: str) -> GatewayOutcome:
    return GatewayOutcome(GatewayStatus.DECLINED, reference, message)
