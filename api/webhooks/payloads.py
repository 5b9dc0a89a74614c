"""What a webhook is sent: the event's message, or what the webhook's query selects.

A webhook's `query` is a GraphQL subscription document on the `event` field
(api/subscriptions/webhook_events.py). It is checked against the schema when the webhook
is created, and run once per delivery, at its first attempt, as an ADMIN would run it; the
resulting body is stored, so every retry sends the very same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)

from api.broker import EventHub
from api.context import Context
from api.settings import Settings
from api.subscriptions.webhook_events import EVENT_OBJECTS, WebhookEventRoot
from domain.access import Principal
from domain.errors import InvalidInput
from domain.model.webhooks import WebhookEventType
from persistence.database import Database

QUERY_SHAPE = "subscription { event { ... on OrderStatusEvent { order { number } } } }"


class PayloadError(Exception):
    """A webhook's query could not be run on an event; the message says why."""


def check_query(schema: Any, query: str) -> None:
    """InvalidInput (on `query`) unless `query` is one subscription operation selecting
    `event` alone, valid against the schema, with no variables (none are ever sent)."""
    try:
        document = parse(query)
    except GraphQLError as error:
        raise InvalidInput(f"query is not GraphQL: {error.message}", field="query") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    selections = operations[0].selection_set.selections if len(operations) == 1 else ()
    if (
        len(operations) != 1
        or operations[0].operation is not OperationType.SUBSCRIPTION
        or len(selections) != 1
        or not isinstance(selections[0], FieldNode)
        or selections[0].name.value != "event"
    ):
        raise InvalidInput(
            f"query must be one subscription selecting event alone, e.g. {QUERY_SHAPE}",
            field="query",
        )
    if operations[0].variable_definitions:
        raise InvalidInput("query may not declare variables: none are sent", field="query")
    errors = validate(schema._schema, document)
    if errors:
        raise InvalidInput(f"query: {errors[0].message}", field="query")


async def render(
    schema: Any,
    database: Database,
    settings: Settings,
    *,
    kind: str,
    message: str,
    query: str | None,
) -> str:
    """The body of a delivery of the event `message` (as the outbox stored it): the
    message itself without a query, else the JSON of what the query selects from `event`."""
    if query is None:
        return message
    context = Context(
        principal=Principal.system("webhooks"), database=database, hub=EventHub(), settings=settings
    )
    event = await EVENT_OBJECTS[WebhookEventType(kind)](context, json.loads(message))
    stream = await schema.subscribe(
        query, context_value=context, root_value=WebhookEventRoot(event)
    )
    if isinstance(stream, ExecutionResult):
        raise PayloadError(_failure(stream))
    try:
        result = await anext(stream)
    finally:
        await stream.aclose()
    if result.errors or not result.data:
        raise PayloadError(_failure(result))
    return json.dumps(result.data["event"], separators=(",", ":"))


def _failure(result: ExecutionResult) -> str:
    errors = result.errors or []
    return "query: " + (errors[0].message if errors else "no result")
