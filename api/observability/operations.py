"""A Strawberry extension that measures each GraphQL operation.

Queries and mutations are counted by operation name and outcome and timed; each event a
subscription sends is counted by its field. The operation's name and the caller's role
also go to the request's access log line.

Outcomes: `error` when the response has `errors` (a request error, a field error or a
bug), `user_error` when a mutation payload's `userErrors` is not empty (the client
selected it), `ok` otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from api.observability.access_log import current_request
from api.observability.metrics import (
    ANONYMOUS,
    GRAPHQL_DURATION,
    GRAPHQL_REQUESTS,
    OPERATION_NAMES,
    SUBSCRIPTION_EVENTS,
    UNKNOWN,
)

ANONYMOUS_ROLE = "ANONYMOUS"


def operation_label(context: ExecutionContext) -> str:
    """The metric label of the operation run: its name if the document defines it."""
    name = context.operation_name
    if name is None:
        return ANONYMOUS
    document = context.graphql_document
    defined = {
        definition.name.value
        for definition in (document.definitions if document else ())
        if isinstance(definition, OperationDefinitionNode) and definition.name
    }
    return OPERATION_NAMES.label(name) if name in defined else UNKNOWN


class Result(Protocol):
    """Strawberry's or graphql-core's result of executing an operation."""

    @property
    def data(self) -> Any: ...

    @property
    def errors(self) -> Any: ...


def outcome(result: Result | None) -> str:
    if result is None or result.errors:
        return "error"
    data: Mapping[str, Any] = result.data or {}
    if any(isinstance(payload, dict) and payload.get("userErrors") for payload in data.values()):
        return "user_error"
    return "ok"


def _is_subscription(context: ExecutionContext) -> bool:
    try:
        return context.operation_type is OperationType.SUBSCRIPTION
    except RuntimeError:  # no document, or no operation in it to take the type of
        return False


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        failed = False
        try:
            yield
        except Exception:
            failed = True
            raise
        finally:
            self._measure(time.perf_counter() - started, failed)

    def _measure(self, seconds: float, failed: bool) -> None:
        context = self.execution_context
        name = operation_label(context)
        record = current_request.get()
        if record is not None:
            record.operation = name
            principal = getattr(context.context, "principal", None)
            role = principal.role if principal is not None else None
            record.role = role.value if role is not None else ANONYMOUS_ROLE
        if _is_subscription(context):
            return
        result_outcome = "error" if failed else outcome(context.result)
        GRAPHQL_REQUESTS.labels(name, result_outcome).inc()
        GRAPHQL_DURATION.labels(name).observe(seconds)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        yield
        if _is_subscription(self.execution_context) and getattr(result, "data", None):
            for field in result.data:
                SUBSCRIPTION_EVENTS.labels(field).inc()
