"""`POST /webhooks/payments/{provider}`: a provider's signed events, applied to our payments.

The provider's adapter (one module of api/payments/) checks the request and turns it into
`ProviderEvent`s (the `ProviderWebhook` it implements); this endpoint applies each in a
transaction of its own (`apply_provider_event`) and answers as providers expect:

    200 {"received": true}    applied, a repeat, stale, or about no payment of ours for an
                              hour: the provider stops sending it
    400 / 401                 malformed, or not signed by the provider (or replayed late)
    404                       about a payment we do not know yet (the request that created
                              it may not have committed): the provider sends it again later
    413                       a body over 1 MB
    503                       the database kept colliding with concurrent changes: later

Providers retry anything but a 2xx for days (Stripe for three, with backoff), so an answer
other than 200 is only for what a retry can mend.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.payment_gateway import PaymentGateways, ProviderEvent
from domain.usecases.provider_events import (
    EventOutcome,
    ProviderEventResult,
    apply_provider_event,
)
from persistence.database import Database
from persistence.uow import SqlUnitOfWork, TransactionConflict

log = logging.getLogger("omniorder.payments.webhooks")

MAX_BODY = 1_000_000  # bytes; providers' events are a few kB
# An event about a payment we do not know is answered 404 (send it again) while it is this
# young, then 200: by then it is not one of ours (another system on the same account).
UNKNOWN_PAYMENT_GRACE = timedelta(hours=1)
TRIES = 3  # of one event's transaction, when the database breaks a deadlock


class WebhookRefused(Exception):
    """The adapter will not take the request: `status` (400 malformed, 401 not signed by
    the provider, or signed too long ago) and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@runtime_checkable
class ProviderWebhook(Protocol):
    """What a provider's adapter implements to receive its webhooks."""

    def events(self, headers: Mapping[str, str], body: bytes, now: datetime) -> list[ProviderEvent]:
        """The events a request holds (none for kinds we do not use); WebhookRefused when
        it is not the provider's, too old, or malformed. `headers` look up names in any
        case (Starlette's `Headers`)."""
        ...


Endpoint = Callable[[Request], Awaitable[Response]]


def payment_webhook_endpoint(
    database: Database,
    gateways: PaymentGateways,
    webhooks: Mapping[str, ProviderWebhook],
    on_commit: Callable[[], None] | None = None,
) -> Endpoint:
    """The endpoint for `webhooks` (the providers that post them, by name); `gateways`
    give back money an event brings to a cancelled order."""

    async def endpoint(request: Request) -> Response:
        provider = request.path_params["provider"]
        webhook = webhooks.get(provider)
        if webhook is None:
            return _answer(404, f"no payment provider {provider!r} takes webhooks here")
        body = await _body(request)
        if body is None:
            return _answer(413, f"the body is over {MAX_BODY} bytes")
        now = datetime.now(UTC)
        try:
            events = webhook.events(request.headers, body, now)
        except WebhookRefused as refused:
            log.warning("payment webhook of %s refused: %s", provider, refused.message)
            return _answer(refused.status, refused.message)
        for event in events:
            try:
                result = await _apply(database, gateways, on_commit, event, now)
            except TransactionConflict:
                return _answer(503, "concurrent changes kept colliding; send it again")
            if result.outcome is EventOutcome.UNKNOWN_PAYMENT:
                if event.occurred_at > now - UNKNOWN_PAYMENT_GRACE:
                    log.info("payment event %s: no payment %s yet", event.event_id, _of(event))
                    return _answer(404, f"no payment has reference {event.payment_reference}")
                log.warning("payment event %s ignored: no payment %s", event.event_id, _of(event))
            elif result.outcome is EventOutcome.IGNORED:
                log.warning("payment event %s ignored: %s", event.event_id, result.note)
            elif result.note:
                log.warning("payment event %s applied: %s", event.event_id, result.note)
            else:
                log.info(
                    "payment event %s (%s, %s): %s",
                    event.event_id,
                    event.kind.value,
                    _of(event),
                    result.outcome.value.lower(),
                )
        return JSONResponse({"received": True})

    return endpoint


async def _apply(
    database: Database,
    gateways: PaymentGateways,
    on_commit: Callable[[], None] | None,
    event: ProviderEvent,
    now: datetime,
) -> ProviderEventResult:
    """One event, one transaction, run again when PostgreSQL broke a deadlock with it."""
    for attempt in range(1, TRIES + 1):
        try:
            uow = SqlUnitOfWork(database, on_commit)
            return await apply_provider_event(uow, gateways, event, now)
        except TransactionConflict:
            if attempt == TRIES:
                raise
    raise AssertionError("unreachable")


async def _body(request: Request) -> bytes | None:
    """The request's body, or None once it passes MAX_BODY (not read further)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(status: int, error: str) -> JSONResponse:
    return JSONResponse({"received": False, "error": error}, status_code=status)


def _of(event: ProviderEvent) -> str:
    return f"{event.provider}:{event.payment_reference}"
