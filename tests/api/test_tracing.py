"""Tracing: a request continues its caller's trace (`traceparent`) with an HTTP server
span, a span for the GraphQL operation, and spans for the SQL it ran beneath it; off, the
app has no tracing in its request path at all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from strawberry.extensions.tracing import OpenTelemetryExtension

from api.app import create_app
from api.settings import Settings
from persistence.database import Database

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN_ID = "00f067aa0ba902b7"
PRODUCTS = "query ProductNames { products(first: 5) { edges { node { name } } } }"


@pytest.fixture
async def traced(
    database: Database, shop
) -> AsyncIterator[tuple[httpx.AsyncClient, InMemorySpanExporter]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(
        Settings(database_url=str(database.url)), database=database, tracer_provider=provider
    )
    async with (
        app.router.lifespan_context(app),  # its end stops tracing SQL
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http,
    ):
        yield http, exporter


def ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[ReadableSpan]:
    chain = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        chain.append(span)
    return chain


async def test_a_request_continues_the_callers_trace_down_to_its_sql(traced):
    http, exporter = traced

    response = await http.post(
        "/graphql",
        json={"query": PRODUCTS},
        headers={"traceparent": f"00-{TRACE_ID}-{CALLER_SPAN_ID}-01"},
    )

    assert response.status_code == 200
    spans = [s for s in exporter.get_finished_spans() if s.context.trace_id == int(TRACE_ID, 16)]
    by_id = {span.context.span_id: span for span in spans}
    [server] = [s for s in spans if s.kind is SpanKind.SERVER and s.name.startswith("POST")]
    assert server.parent.span_id == int(CALLER_SPAN_ID, 16)
    [operation] = [s for s in spans if s.name == "GraphQL Query: ProductNames"]
    assert server in ancestors(operation, by_id)
    sql = [s for s in spans if s.kind is SpanKind.CLIENT and "db.system" in s.attributes]
    assert sql
    assert all(operation in ancestors(statement, by_id) for statement in sql)


def test_without_an_otlp_endpoint_nothing_of_tracing_is_in_the_request_path(database):
    app = create_app(Settings(database_url=str(database.url)), database=database)

    assert not any(m.cls is OpenTelemetryMiddleware for m in app.user_middleware)
    [graphql] = [route.endpoint for route in app.routes if route.path == "/graphql"][:1]
    assert not any(
        getattr(extension, "func", extension) is OpenTelemetryExtension
        for extension in graphql.schema.extensions
    )
