"""The allow-list over WebSocket: with OMNIORDER_PERSISTED_ONLY=1, an operation a client
starts on a WebSocket runs only if its document is registered; any other is answered with
an `error` message (`PERSISTED_QUERY_NOT_ALLOWED`) and the connection stays open. Documents
are sent in full over WebSocket: naming one by hash alone is for HTTP."""

from __future__ import annotations

from typing import Any, Protocol, cast

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import StartMessage

from api.persisted_queries import PersistedQueries, PersistedQueryError


class _ViewWithPersistedQueries(Protocol):
    persisted_queries: PersistedQueries


async def _refusal(view: object, payload: Any) -> PersistedQueryError | None:
    """Why the allow-list refuses the operation `payload` starts; None if it may run."""
    persisted = cast(_ViewWithPersistedQueries, view).persisted_queries
    query = payload.get("query") if isinstance(payload, dict) else None
    if not persisted.only_registered or not isinstance(query, str):
        return None  # a payload without a document is Strawberry's to refuse
    try:
        await persisted.check_registered(query)
    except PersistedQueryError as error:
        return error
    return None


class AllowListTransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    """graphql-transport-ws, the allow-list checked on each `subscribe`."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and message["id"] not in self.operations:
            refusal = await _refusal(self.view, message["payload"])
            if refusal is not None:
                error = refusal.graphql_error().formatted
                await self.send_message({"id": message["id"], "type": "error", "payload": [error]})
                return
        await super().handle_subscribe(message)


class AllowListWSHandler(BaseGraphQLWSHandler[Any, Any]):
    """The legacy graphql-ws, the allow-list checked on each `start`."""

    async def handle_start(self, message: StartMessage) -> None:
        if self.connection_acknowledged:
            refusal = await _refusal(self.view, message["payload"])
            if refusal is not None:
                error = refusal.graphql_error().formatted
                await self.send_message({"id": message["id"], "type": "error", "payload": error})
                return
        await super().handle_start(message)
