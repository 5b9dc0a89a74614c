"""OpenTelemetry tracing: an HTTP server span per request (continuing the caller's trace
from its `traceparent` header), a span per GraphQL operation and resolver, a span per SQL
statement; exported over OTLP/HTTP.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and then nothing of it is in the request
path: no middleware, no schema extension, no SQLAlchemy listeners. The exporter reads
OpenTelemetry's own variables (OTEL_EXPORTER_OTLP_HEADERS, …); OTEL_SERVICE_NAME names
the service ("omniorder" by default). Tests pass their own provider (with an in-memory
exporter) to `create_app`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import partial

from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.middleware import Middleware
from strawberry import Schema
from strawberry.extensions.tracing import OpenTelemetryExtension

from api.settings import Settings
from persistence.database import Database

UNTRACED_PATHS = "/health,/ready,/metrics"


def otlp_provider(settings: Settings) -> TracerProvider | None:
    """A provider exporting to the OTLP endpoint of the settings; None when none is set."""
    if not settings.otlp_endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


@dataclass(frozen=True)
class Tracing:
    provider: TracerProvider

    def middleware(self) -> Middleware:
        """The outermost middleware: it reads `traceparent` and opens the server span."""
        return Middleware(
            OpenTelemetryMiddleware,
            tracer_provider=self.provider,
            excluded_urls=UNTRACED_PATHS,
            exclude_spans=["receive", "send"],
        )

    def traced(self, schema: Schema) -> Schema:
        """The schema with Strawberry's tracing extension added. A shallow copy, since the
        schema cannot be built twice in a process and the shared one must stay untraced."""
        traced = copy.copy(schema)
        extension = partial(OpenTelemetryExtension, tracer_provider=self.provider)
        traced.extensions = (*schema.extensions, extension)
        return traced

    def instrument(self, database: Database) -> None:
        SQLAlchemyInstrumentor().instrument(
            engines=[engine.sync_engine for engine in database.engines],
            tracer_provider=self.provider,
            # Its declared range ends below SQLAlchemy 2.1, which it traces all the same
            # (tests/api/test_tracing.py proves it).
            skip_dep_check=True,
        )

    def shutdown(self) -> None:
        """Stop tracing SQL and send what is left."""
        SQLAlchemyInstrumentor().uninstrument()
        self.provider.shutdown()
