"""The webhook dispatcher: sends due deliveries, and records what became of each attempt.

Every process runs one. It wakes every `poll_seconds`, claims a batch of due deliveries
(persistence/webhook_deliveries.py leases each, so two processes never send one delivery at
once), and sends them concurrently with httpx: a short timeout, no redirects followed, no
proxy from the environment, and the connection pinned to an address checked just before
(a host may resolve elsewhere than it did when the webhook was created). 2xx is
DELIVERED; anything else is a failed attempt, retried with exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from strawberry.relay.utils import to_base64

from api.observability.logs import RepeatedFailure
from api.observability.metrics import WEBHOOK_DELIVERIES
from api.settings import Settings
from api.webhooks.addresses import pinned_address
from api.webhooks.payloads import PayloadError, render
from api.webhooks.signing import SIGNATURE_HEADER, signature_header
from domain.errors import InvalidInput
from persistence import webhook_deliveries
from persistence.database import Database
from persistence.webhook_deliveries import ClaimedDelivery

log = logging.getLogger("omniorder.webhooks")
BATCH = 20
# A claim outlives the attempt it is for by this much before another process may retry.
LEASE_MARGIN = timedelta(seconds=30)
RETRY_SECONDS = 1.0
USER_AGENT = "Omniorder-Webhooks/1"


class Refused(Exception):
    """A request that was not sent, or not answered 2xx; `status_code` if it was answered."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class WebhookDispatcher:
    def __init__(self, database: Database, settings: Settings, schema: Any) -> None:
        self.database = database
        self.settings = settings
        self.webhooks = settings.webhooks
        self.schema = schema
        self._task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._http = httpx.AsyncClient(
            timeout=self.webhooks.timeout_seconds,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT},
        )
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._http is not None:
            await self._http.aclose()

    async def _run(self) -> None:
        failures = RepeatedFailure(log, "webhook dispatcher")
        while True:
            try:
                while await self.dispatch_once() == BATCH:
                    pass
            except Exception as error:  # the database is away: deliveries wait
                failures.failed(error)
                await asyncio.sleep(RETRY_SECONDS)
            else:
                failures.succeeded()
            await asyncio.sleep(self.webhooks.poll_seconds)

    async def dispatch_once(self) -> int:
        """Claim due deliveries and send them; returns how many were claimed."""
        now = datetime.now(UTC)
        async with self.database.read_session() as session:
            if not await webhook_deliveries.has_due(session, now):
                return 0
        lease = now + timedelta(seconds=self.webhooks.timeout_seconds) + LEASE_MARGIN
        async with self.database.writing() as session, session.begin():
            claimed = await webhook_deliveries.claim_due(session, now, lease, BATCH)
        await asyncio.gather(*(self._attempt(delivery) for delivery in claimed))
        return len(claimed)

    async def _attempt(self, delivery: ClaimedDelivery) -> None:
        body = delivery.body
        try:
            if body is None:
                body = await render(
                    self.schema,
                    self.database,
                    self.settings,
                    kind=delivery.event_kind,
                    message=delivery.message,
                    query=delivery.query,
                )
            status_code = await self._send(delivery, body.encode())
        except (PayloadError, Refused) as refusal:
            await self._failed(delivery, body, str(refusal), getattr(refusal, "status_code", None))
            return
        except Exception:  # a bug of ours: the attempt counts as failed, the log has it
            log.exception("webhook delivery %s failed unexpectedly", delivery.id)
            await self._failed(delivery, body, "internal error (see the server log)", None)
            return
        WEBHOOK_DELIVERIES.labels(outcome="delivered").inc()
        async with self.database.writing() as session, session.begin():
            await webhook_deliveries.settle_delivered(
                session, delivery, body, status_code, datetime.now(UTC)
            )

    async def _failed(
        self, delivery: ClaimedDelivery, body: str | None, error: str, status_code: int | None
    ) -> None:
        WEBHOOK_DELIVERIES.labels(outcome="failed").inc()
        async with self.database.writing() as session, session.begin():
            await webhook_deliveries.settle_failed_attempt(
                session,
                delivery,
                body=body,
                status_code=status_code,
                error=error,
                at=datetime.now(UTC),
                policy=self.webhooks.retry,
            )

    async def _send(self, delivery: ClaimedDelivery, body: bytes) -> int:
        """POST the body to the webhook's URL, signed; the status code if it is 2xx."""
        assert self._http is not None, "the dispatcher is started"
        url = httpx.URL(delivery.url)
        try:
            address = await pinned_address(url.host, allow_private=self.webhooks.allow_private)
        except InvalidInput as error:
            raise Refused(error.message.removeprefix("url: ")) from None
        headers = {
            "Host": url.netloc.decode("ascii"),
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature_header(delivery.secret, int(time.time()), body),
            "Omniorder-Event": delivery.event_kind,
            "Omniorder-Delivery": delivery_id(delivery.id),
            "Omniorder-Sequence": str(delivery.event_sequence),
        }
        try:
            response = await self._http.post(
                url.copy_with(host=address),
                content=body,
                headers=headers,
                extensions={"sni_hostname": url.host},
            )
        except httpx.HTTPError as error:
            raise Refused(f"{type(error).__name__}: {error}".rstrip(": ")) from None
        if not response.is_success:
            raise Refused(f"HTTP {response.status_code}", status_code=response.status_code)
        return response.status_code


def delivery_id(key: int) -> str:
    """A delivery's global id, as the API shows it (`WebhookDelivery.id`)."""
    return to_base64("WebhookDelivery", key)
