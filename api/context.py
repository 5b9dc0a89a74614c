"""The per-request context: who is calling, their loaders, and how to start a transaction.

A WebSocket connection keeps one context for all its subscriptions; it learns the caller
from the `connection_init` payload, and takes fresh loaders for every event it sends, so
no event is resolved from another's cached rows.

An HTTP request's context is given `shared_reads`, the one read connection its loaders
share, which the view closes once the response is sent; any other context reads with a
connection per loader batch (persistence/request_reads.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import InitVar, dataclass, field
from datetime import UTC, datetime
from typing import Any

from api.broker import EventHub, Message
from api.errors import RequestError
from api.loaders import Loaders
from api.media.images import PillowImageDecoder
from api.media.storage import LocalMediaStorage
from api.payments.manual import ManualGateway
from api.rate_limits import RateLimiter
from api.session_service import SessionService
from api.settings import MediaSettings, Settings
from domain.access import Principal
from domain.media_ports import ImageDecoder, MediaStorage
from domain.payment_gateway import PaymentGateways
from persistence.database import Database
from persistence.request_reads import RequestReads
from persistence.uow import SqlUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    principal: Principal
    database: Database
    hub: EventHub
    on_commit: Callable[[], None] | None = None
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None
    clock: Callable[[], datetime] = utc_now
    settings: Settings = field(default_factory=Settings)
    # The app's one limiter; a context built on its own (a test's) counts in memory.
    rate_limiter: RateLimiter = field(default_factory=RateLimiter)
    # Sign-in, tokens and revocation; None in a context built on its own (a test's).
    sessions: SessionService | None = None
    payment_gateways: PaymentGateways = field(
        default_factory=lambda: PaymentGateways({"manual": ManualGateway()})
    )
    # Where product images are kept; a context built on its own (a test's) keeps them in
    # the default directory.
    media_storage: MediaStorage = field(
        default_factory=lambda: LocalMediaStorage(MediaSettings().directory)
    )
    image_decoder: ImageDecoder = field(default_factory=PillowImageDecoder)
    shared_reads: InitVar[RequestReads | None] = None
    reads: RequestReads = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self, shared_reads: RequestReads | None) -> None:
        self.reads = shared_reads or RequestReads(self.database, shared=False)
        self.refresh_loaders()

    def refresh_loaders(self) -> None:
        self.loaders = Loaders(self.reads, self.principal)

    def authenticate(self, principal: Principal) -> None:
        self.principal = principal
        self.refresh_loaders()

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.database, self.on_commit)

    def now(self) -> datetime:
        return self.clock()

    @contextlib.asynccontextmanager
    async def events(self) -> AsyncIterator[CallerEvents]:
        """The hub's events from now on, for as long as the caller's session lasts."""
        async with self.hub.subscription() as queue:
            yield CallerEvents(queue, self)

    @property
    def client_address(self) -> str:
        """The caller's address (uvicorn resolves X-Forwarded-For from the proxies it
        trusts); "unknown" when the request carries none."""
        client = getattr(self.request, "client", None)
        return client.host if client is not None else "unknown"

    def session_revoked(self) -> bool:
        session_id = self.principal.session_id
        return (
            session_id is not None
            and self.sessions is not None
            and self.sessions.revocations.known_revoked(session_id)
        )

    @property
    def session_service(self) -> SessionService:
        if self.sessions is None:
            raise RuntimeError("this context was built without a session service")
        return self.sessions


@dataclass
class CallerEvents:
    """A subscriber's queue of events that ends its subscription once the caller's session
    is revoked (at the next event; docs/access.md, "Sessions and revocation")."""

    queue: asyncio.Queue[Message | None]
    context: Context

    async def get(self) -> Message | None:
        message = await self.queue.get()
        if message is not None and self.context.session_revoked():
            raise RequestError(
                "the token's session has been revoked; sign in again", code="UNAUTHENTICATED"
            )
        return message
