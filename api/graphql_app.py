"""The GraphQL endpoint: Strawberry's ASGI view, given our context and authentication."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException  # the exception Strawberry's views turn into a status
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.auth import InvalidToken, TokenService
from api.context import Context
from persistence.database import Database


class GraphQLApp(GraphQL):
    def __init__(
        self, schema: Any, *, database: Database, tokens: TokenService, graphiql: bool
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self.database = database
        self.tokens = tokens

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        try:
            principal = self.tokens.principal_from_header(request.headers.get("authorization"))
        except InvalidToken as error:
            raise HTTPException(401, str(error)) from error
        return Context(
            principal=principal, database=self.database, request=request, response=response
        )
