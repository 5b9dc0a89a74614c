"""The composition root: `create_app(settings)` wires database, tokens and routes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.auth import TokenService
from api.graphql_app import GraphQLApp
from api.request_id import RequestIdMiddleware, configure_logging
from api.schema import schema
from api.settings import Settings
from persistence.database import Database

log = logging.getLogger("omniorder.app")


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    database = database or Database(settings.database_url)
    tokens = TokenService(settings.secret, settings.token_max_age_seconds)
    graphql = GraphQLApp(schema, database=database, tokens=tokens, graphiql=settings.graphiql)

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(_: Request) -> JSONResponse:
        try:
            await database.ping()
        except Exception:  # any failure means "not ready"; the details go to the log
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        configure_logging()
        if settings.uses_development_secret:
            log.warning("OMNIORDER_SECRET is not set: tokens are signed with a development key")
        yield
        await database.dispose()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health", health),
            Route("/ready", ready),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.tokens = tokens
    return app


def app_from_env() -> Starlette:
    """Factory for uvicorn (`--factory`), so every worker process builds its own app."""
    return create_app(Settings.from_env())
