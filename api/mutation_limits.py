"""The rate limit on mutations (docs/api.md, "Rate limits").

Every mutation operation counts one hit for its caller before it runs: a signed-in caller
is counted by its token's caller space (`Principal.idempotency_scope`: a customer, a
terminal, `staff:kim`), an anonymous one by its client address (uvicorn resolves
X-Forwarded-For from the proxies it trusts). ADMIN, STAFF and POS callers have a rule of
their own, off by default. A document with several mutation fields is one operation, one
hit. Queries are not counted here: the query cost limit bounds them.

Over the limit the operation does not run: the answer is a 429 with `Retry-After`, and
a GraphQL error with `extensions.code` RATE_LIMITED and `extensions.retryAfter` (seconds).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.context import Context
from api.errors import ErrorCode
from api.rate_rules import RateRule
from domain.access import Role

STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF, Role.POS})
TOO_MANY_REQUESTS = 429


def caller_key(context: Context) -> str:
    """Whose count a mutation adds to: the caller's own space, or its address."""
    if context.principal.is_authenticated:
        return context.principal.idempotency_scope
    return f"address:{context.client_address}"


def mutation_rule(context: Context) -> RateRule | None:
    limits = context.settings.rate_limits
    return limits.staff_mutation if context.principal.role in STAFF_ROLES else limits.mutation


class MutationRateLimit(SchemaExtension):
    """Counts each mutation operation against its caller's rule, refusing it when over."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.operation_type is OperationType.MUTATION and isinstance(context, Context):
            decision = await context.rate_limiter.hit(mutation_rule(context), caller_key(context))
            if not decision.allowed:
                seconds = decision.retry_after_seconds
                if isinstance(context.response, Response):
                    context.response.status_code = TOO_MANY_REQUESTS
                    context.response.headers["Retry-After"] = str(seconds)
                raise GraphQLError(
                    f"Too many changes in a short time: try again in {seconds} s.",
                    extensions={"code": ErrorCode.RATE_LIMITED.value, "retryAfter": seconds},
                )
        yield
