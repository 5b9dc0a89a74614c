"""The composition root: `create_app(settings)` wires database, broker, relay and routes."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from functools import partial

from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute

from api.authentication import Authenticator
from api.broker import Broker, EventHub, InMemoryBroker, RedisBroker
from api.context import utc_now
from api.external_tokens import ExternalTokenVerifier
from api.graphiql.page import asset_routes
from api.graphql_app import GraphQLApp
from api.invoice_pdf import invoice_pdf_endpoint
from api.media.serving import media_endpoint
from api.media.storage import LocalMediaStorage, media_storage
from api.observability.access_log import AccessLogMiddleware
from api.observability.exposition import forget_this_worker, metrics_endpoint, observe_pool
from api.observability.logs import configure_logging
from api.observability.tracing import Tracing, otlp_provider
from api.payments.registry import close_gateways, payment_gateways, provider_webhooks
from api.payments.webhook_endpoint import payment_webhook_endpoint
from api.rate_limits import RateLimiter
from api.relay import OutboxRelay, last_position, replay_from
from api.request_id import RequestIdMiddleware
from api.schema import schema
from api.session_service import SessionService
from api.settings import Settings
from api.unpaid_orders import UnpaidOrderExpiry
from api.webhooks.dispatcher import WebhookDispatcher
from persistence.database import Database

log = logging.getLogger("omniorder.app")


def make_broker(settings: Settings, database: Database) -> Broker:
    """Redis when REDIS_URL is set (several processes), otherwise in-process."""
    hub = EventHub()
    if settings.redis_url:
        return RedisBroker(
            settings.redis_url,
            hub,
            replay=partial(replay_from, database),
            last_position=partial(last_position, database),
        )
    return InMemoryBroker(hub)


def cors_middleware(origins: tuple[str, ...]) -> Middleware:
    """Lets pages on `origins` call the API from a browser (docs/browsers.md). No
    credentials: tokens travel in the Authorization header, never in cookies. Innermost,
    so that preflights get a request id and an access-log line too."""
    return Middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID"],
        allow_credentials=False,
        max_age=600,  # seconds a browser may reuse a preflight's answer
    )


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    tracer_provider: TracerProvider | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Starlette:
    """The app; traced when given a `tracer_provider`, or when the settings name an OTLP
    endpoint (api/observability/tracing.py). Requests read the time from `clock`."""
    settings = settings or Settings.from_env()
    database = database or Database(settings.database_url)
    provider = tracer_provider or otlp_provider(settings)
    tracing = Tracing(provider) if provider is not None else None
    observe_pool(database)
    middleware = [Middleware(RequestIdMiddleware), Middleware(AccessLogMiddleware)]
    if tracing is not None:
        tracing.instrument(database)
        middleware.insert(0, tracing.middleware())
    if settings.cors_origins:
        middleware.append(cors_middleware(settings.cors_origins))
    sessions = SessionService.build(settings, database)
    identity_provider = (
        ExternalTokenVerifier(settings.external_tokens) if settings.external_tokens else None
    )
    broker = make_broker(settings, database)
    relay = OutboxRelay(database, broker, settings.webhooks.delivery_retention)
    dispatcher = WebhookDispatcher(database, settings, schema)
    expiry = UnpaidOrderExpiry(database, settings.jobs.unpaid_order_sweep_seconds, relay.wake)
    rate_limiter = RateLimiter(settings.redis_url)
    gateways = payment_gateways(settings)
    storage = media_storage(settings.media)
    graphql = GraphQLApp(
        tracing.traced(schema) if tracing is not None else schema,
        database=database,
        authenticator=Authenticator(sessions.tokens, sessions.revocations, identity_provider),
        sessions=sessions,
        hub=broker.hub,
        on_commit=relay.wake,
        graphiql=settings.graphiql,
        settings=settings,
        rate_limiter=rate_limiter,
        payment_gateways=gateways,
        media_storage=storage,
        clock=clock,
    )

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        """Ready while the database answers (for load balancers). Without the broker the
        process is only degraded: mutations still work, and their events wait in the outbox
        until it is back, so it should keep its traffic."""
        try:
            await database.ping()
            database_up = True
        except Exception:  # any failure means "not ready"
            log.warning("readiness: database unreachable", exc_info=True)
            database_up = False
        broker_up = await broker.ping()
        status = "unavailable" if not database_up else "ok" if broker_up else "degraded"
        body = {
            "status": status,
            "database": "up" if database_up else "down",
            "broker": "up" if broker_up else "down",
        }
        return JSONResponse(body, status_code=200 if database_up else 503)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if settings.uses_development_secret:
            log.warning("OMNIORDER_SECRET is not set: tokens are signed with a development key")
        await sessions.revocations.start()
        await broker.start()
        await relay.start()
        await dispatcher.start()
        await expiry.start()
        try:
            yield
        finally:
            await close_gateways(gateways)
            await expiry.stop()
            await dispatcher.stop()
            await relay.stop()
            await broker.stop()
            await sessions.finish_sending()
            await sessions.revocations.stop()
            await graphql.persisted_queries.close()
            await rate_limiter.close()
            await database.dispose()
            forget_this_worker()
            if tracing is not None:
                tracing.shutdown()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/health", health),
            Route("/ready", ready),
            Route("/metrics", metrics_endpoint),
            Route(
                "/webhooks/payments/{provider}",
                payment_webhook_endpoint(
                    database, gateways, provider_webhooks(gateways), relay.wake
                ),
                methods=["POST"],
            ),
            Route(
                "/invoices/{id}.pdf",
                invoice_pdf_endpoint(
                    database,
                    Authenticator(sessions.tokens, sessions.revocations, identity_provider),
                ),
                methods=["GET"],
            ),
            *(
                [Route("/media/{key}", media_endpoint(storage), methods=["GET"])]
                if isinstance(storage, LocalMediaStorage)
                else []
            ),
            *(asset_routes() if settings.graphiql else ()),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.tokens = sessions.tokens
    app.state.sessions = sessions
    app.state.broker = broker
    app.state.relay = relay
    app.state.rate_limiter = rate_limiter
    app.state.payment_gateways = gateways
    app.state.media_storage = storage
    return app


def app_from_env() -> Starlette:
    """Factory for uvicorn (`--factory`), so every worker process builds its own app.

    What start-up builds (modules, the schema, the app) lives as long as the process:
    `gc.freeze()` spares the cyclic garbage collector from walking it over and over, which
    otherwise took a third of a large request (a POS sync of 1,000 sales: bench/pos_sync.py).
    """
    settings = Settings.from_env()
    configure_logging(settings)
    app = create_app(settings)
    gc.collect()
    gc.freeze()
    return app
