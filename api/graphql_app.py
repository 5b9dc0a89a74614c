"""The GraphQL endpoint: Strawberry's ASGI view, given our context and authentication.

It follows the GraphQL over HTTP spec (https://graphql.github.io/graphql-over-http/),
checked by the `graphql-http` audit in tests/api/test_graphql_over_http.py. Strawberry
already parses requests as the spec asks; this view adds what it lacks:

- content negotiation: `application/graphql-response+json` when the client's Accept
  prefers it, `application/json` otherwise (also when Accept is missing or names neither);
- with `application/graphql-response+json`, a request error (the document does not
  parse or validate, the operation cannot be chosen, the variables do not coerce) is a
  400 without a `data` entry; with `application/json` it stays a 200, as the spec asks;
- 405 with an `Allow` header for a mutation sent by GET, 401 with `WWW-Authenticate`.

Strawberry refuses (403) a WebSocket handshake from another web origin unless it is one
of OMNIORDER_CORS_ORIGINS: CORS does not cover WebSockets (docs/browsers.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

# HTTPException: the exception Strawberry's views turn into a status.
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api.auth import InvalidToken
from api.authentication import Authenticator
from api.broker import EventHub
from api.context import Context
from api.errors import BAD_REQUEST, MASKED_MESSAGE
from api.graphiql.page import GraphiQLPage
from api.json_encoding import encode_json
from api.media.images import PillowImageDecoder
from api.persisted_queries import NOT_FOUND, PersistedQueries, PersistedQueryError
from api.persisted_query_websockets import AllowListTransportWSHandler, AllowListWSHandler
from api.rate_limits import RateLimiter
from api.session_service import SessionService
from api.settings import Settings
from domain.media_ports import MediaStorage
from domain.payment_gateway import PaymentGateways
from persistence.database import Database
from persistence.request_reads import RequestReads

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
EXACT = 2  # how specific a media range is: */* is 0, type/* is 1, type/subtype is 2


class HTTPError(HTTPException):
    """An HTTPException whose response carries headers too."""

    def __init__(self, status_code: int, reason: str, headers: Mapping[str, str]) -> None:
        super().__init__(status_code, reason)
        self.headers = dict(headers)


class SubResponse(Response):
    """What resolvers may set a status or headers on (`info.context.response`); it also
    carries the negotiated media type to `create_response`, which sees no request."""

    negotiated_media_type: str = JSON


def _quality(accept: str, media_type: str) -> tuple[float, int]:
    """The q-value and specificity of the most specific range in `accept` that matches
    `media_type` (RFC 9110, 12.5.1); (0, -1) if none does."""
    best = (0.0, -1)
    main_type = media_type.split("/")[0]
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        specificity = {"*/*": 0, f"{main_type}/*": 1, media_type: EXACT}.get(media_range.lower())
        if specificity is None or specificity <= best[1]:
            continue
        q = 1.0
        for param in params:
            name, _, value = (side.strip().strip('"').lower() for side in param.partition("="))
            if name == "charset" and value not in ("utf-8", "utf8"):
                q = -1.0  # we only answer in UTF-8, so this range cannot be met
            elif name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0 <= q <= 1:  # also drops NaN
            best = (q, specificity)
    return best


UPLOAD_OVERHEAD_BYTES = 1024 * 1024


def _declared_length(request: AsyncHTTPRequestAdapter) -> int:
    """The request's Content-Length, or 0 when it declares none."""
    raw = request.headers.get("content-length", "")
    return int(raw) if raw.isdigit() else 0


def negotiate(accept: str) -> str:
    """The media type to answer in. Ties go to application/json when both types match
    only by wildcard (`*/*`, as the spec asks) and to graphql-response+json when both are
    named. If neither is acceptable, the spec lets us disregard Accept: application/json."""
    if not accept.strip():
        return JSON
    modern, legacy = _quality(accept, GRAPHQL_RESPONSE_JSON), _quality(accept, JSON)
    if modern[0] <= 0 and legacy[0] <= 0:
        return JSON
    if modern == legacy:
        return GRAPHQL_RESPONSE_JSON if modern[1] == EXACT else JSON
    return GRAPHQL_RESPONSE_JSON if modern > legacy else JSON


def _is_request_error(response: GraphQLHTTPResponse) -> bool:
    """True if the operation never ran. Field errors always have a path; errors from
    parsing, validation or variable coercion never do."""
    errors = _errors(response)
    return response.get("data") is None and bool(errors) and not any("path" in e for e in errors)


def _errors(response: GraphQLHTTPResponse) -> list[dict[str, Any]]:
    """The formatted errors (Strawberry types them as `object`; they are dicts)."""
    return [error for error in response.get("errors") or () if isinstance(error, dict)]


def _is_masked(response: GraphQLHTTPResponse) -> bool:
    """True if an error is one of ours, shown to the client as "Internal server error"."""
    return any(error.get("message") == MASKED_MESSAGE for error in _errors(response))


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _has_escaped_nul(query: object) -> bool:
    """Whether a string literal of the document holds a NUL written as an escape (\\u0000),
    which only reading its tokens reveals."""
    if not isinstance(query, str) or "\\u" not in query:
        return False
    lexer = Lexer(Source(query))
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            strings = (TokenKind.STRING, TokenKind.BLOCK_STRING)
            if token.kind in strings and token.value is not None and "\x00" in token.value:
                return True
            token = lexer.advance()
    except GraphQLError:
        return False  # the document does not parse, and the engine will say so
    return False


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """Sends every message as a text frame: both WebSocket protocols ask for text, and
    Strawberry's adapter would send the bytes our `encode_json` returns as binary frames."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(encode_json(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GraphQLApp(GraphiQLPage, GraphQL[Context, None]):
    # With OMNIORDER_PERSISTED_ONLY=1, WebSocket operations keep to the allow-list too.
    graphql_transport_ws_handler_class = AllowListTransportWSHandler
    graphql_ws_handler_class = AllowListWSHandler
    websocket_adapter_class = TextWebSocketAdapter

    def __init__(
        self,
        schema: Any,
        *,
        database: Database,
        authenticator: Authenticator,
        sessions: SessionService,
        hub: EventHub,
        on_commit: Callable[[], None] | None,
        graphiql: bool,
        settings: Settings,
        rate_limiter: RateLimiter,
        payment_gateways: PaymentGateways,
        media_storage: MediaStorage,
        clock: Callable[[], datetime],
    ) -> None:
        # Uploads (the GraphQL multipart request spec) are on. Strawberry turns them off by
        # default because a multipart POST is a "simple" request a foreign page can send
        # without a CORS preflight, which matters when credentials ride along on their own
        # (cookies). Ours never do: a caller is who its Authorization header says, and a
        # foreign page can neither read our tokens nor set that header without a preflight
        # that CORS answers (docs/media.md, "Uploads and CSRF").
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            allowed_origins=settings.cors_origins,
            multipart_uploads_enabled=True,
        )
        self.settings = settings
        self.database = database
        self.authenticator = authenticator
        self.sessions = sessions
        self.hub = hub
        self.on_commit = on_commit
        self.persisted_queries = PersistedQueries.build(
            settings.persisted_queries, database, settings.redis_url
        )
        self.rate_limiter = rate_limiter
        self.payment_gateways = payment_gateways
        self.media_storage = media_storage
        # An upload's body: its file and at most this much of form fields and framing.
        self._largest_upload_body = settings.media.max_bytes + UPLOAD_OVERHEAD_BYTES
        self.image_decoder = PillowImageDecoder()
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # As Strawberry's own __call__, but an HTTPError's headers reach the client, and
        # the request's loaders read as persistence/request_reads.py says, until the
        # response is sent.
        request = Request(scope, receive)
        request.state.reads = reads = RequestReads.of_request(self.database)
        try:
            try:
                response = await self.run(request)
            except HTTPException as error:
                headers = error.headers if isinstance(error, HTTPError) else {}
                if error.status_code == 405:  # e.g. HEAD, which Starlette routes with GET
                    headers.setdefault("allow", "GET, POST")  # RFC 9110, 15.5.6: a 405 must say
                response = PlainTextResponse(error.reason, error.status_code, headers=headers)
            await response(scope, receive, send)
        finally:
            await reads.close()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        try:
            principal = await self.authenticator.principal_from_header(
                request.headers.get("authorization")
            )
        except InvalidToken as error:
            # RFC 6750, 3: a 401 names the scheme, and why the token was refused.
            challenge = 'Bearer error="invalid_token"'
            raise HTTPError(401, str(error), {"www-authenticate": challenge}) from error
        return Context(
            principal=principal,
            database=self.database,
            hub=self.hub,
            on_commit=self.on_commit,
            request=request,
            response=response,
            settings=self.settings,
            sessions=self.sessions,
            rate_limiter=self.rate_limiter,
            payment_gateways=self.payment_gateways,
            media_storage=self.media_storage,
            image_decoder=self.image_decoder,
            clock=self.clock,
            # A WebSocket's context lives as long as the connection: it reads per batch.
            shared_reads=request.state.reads if isinstance(request, Request) else None,
        )

    async def on_ws_connect(self, context: Context) -> None:
        """WebSocket clients authenticate in `connection_init`: {"Authorization": "Bearer …"};
        a bad token ends the connection: closed with 4403 Forbidden on graphql-transport-ws,
        and on the legacy graphql-ws a `connection_error` message, then closed with 1011."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if header is None:
            return
        try:
            context.authenticate(await self.authenticator.principal_from_header(str(header)))
        except InvalidToken as error:
            raise ConnectionRejectionError({"message": str(error)}) from error

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET that names a persisted query by its hash has no `query` either.
        persisted = "extensions" in request.query_params
        return not persisted and super().should_render_graphql_ide(request)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        # As Strawberry's: no status until a resolver sets one, no content-length.
        sub_response = SubResponse()
        sub_response.status_code = None  # type: ignore[assignment]  # Strawberry's "not set yet"
        del sub_response.headers["content-length"]
        sub_response.negotiated_media_type = negotiate(", ".join(request.headers.getlist("accept")))
        return sub_response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        uploading = (request.content_type or "").startswith("multipart/form-data")
        if uploading and _declared_length(request) > self._largest_upload_body:
            # Refused before the body is read; an upload a little over the limit is read to
            # disk (Starlette spools files) and refused with FILE_TOO_LARGE.
            raise HTTPException(413, "The request is larger than an upload may be.")
        data = await super().parse_http_body(request)
        for item in data if isinstance(data, list) else [data]:
            # Strawberry checks the types of `query`, `variables` and `extensions`, not this one.
            if not isinstance(item.operation_name, str | None):
                raise HTTPException(
                    400, "The GraphQL operation's `operationName` must be a string or null."
                )
        return data

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:  # before anything reads `query`, which a persisted query leaves out
            resolved = await self.persisted_queries.resolve(request_data)
        except PersistedQueryError as error:
            if error.code == NOT_FOUND:
                # As Apollo Server: 200, so that the client sends the document next, and
                # uncached, so that a cache does not keep answering "not found".
                sub_response.status_code = 200
                sub_response.headers["cache-control"] = "private, no-cache, must-revalidate"
            return ExecutionResult(data=None, errors=[error.graphql_error()])
        request_data = resolved.request
        if (
            _has_nul(request_data.query)
            or _has_escaped_nul(request_data.query)
            or _has_nul(request_data.variables)
        ):
            # No text column can store U+0000 (PostgreSQL refuses it): a request error.
            message = "Strings may not contain the NUL character (U+0000)."
            refusal = GraphQLError(message, extensions={"code": BAD_REQUEST})
            return ExecutionResult(data=None, errors=[refusal])
        try:
            result = await super().execute_single(
                request=request,
                request_adapter=request_adapter,
                sub_response=sub_response,
                context=context,
                root_value=root_value,
                request_data=request_data,
            )
        except HTTPException as error:
            cause = error.__cause__
            if isinstance(cause, InvalidOperationTypeError) and request_adapter.method == "GET":
                # The spec: a mutation by GET is a 405, not Strawberry's 400.
                raise HTTPError(405, error.reason, {"allow": "POST"}) from cause
            if isinstance(cause, CannotGetOperationTypeError):
                # A GraphQL request error (no such operation, or no name to choose one
                # by), so it is answered like a validation error, not as a bare 400.
                refusal = GraphQLError(error.reason, extensions={"code": BAD_REQUEST})
                return ExecutionResult(data=None, errors=[refusal])
            raise
        if resolved.register is not None and request_data.query and result.data is not None:
            # Kept only once it has parsed, validated and run.
            await self.persisted_queries.register(resolved.register, request_data.query)
        return result

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type = JSON
        if isinstance(sub_response, SubResponse):
            media_type = sub_response.negotiated_media_type
        status: int | None = None
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, dict)
            and _is_request_error(response_data)
        ):
            # No `data` entry, and a status that says the operation did not run: 400, or
            # 500 if what stopped it was a bug of ours (an error masked as internal).
            response_data = response_data.copy()
            del response_data["data"]
            # A status set on the way (429 for a rate limit) stands.
            status = sub_response.status_code or (500 if _is_masked(response_data) else 400)
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        if status is not None:
            response.status_code = status
        return response
