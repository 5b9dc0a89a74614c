"""The executor Strawberry runs every operation with: queries through their plan.

It stands where graphql-core's executor stands, after parsing, validation and variable
coercion, and inside every Strawberry extension (query cost, error codes and masking,
metrics): only how the operation's fields execute changes. `OMNIORDER_QUERY_PLANS` chooses,
per request through the context's settings: "on" runs plans, "off" runs graphql-core
alone, "shadow" runs both on a sampled share of queries, logs any difference and answers
with graphql-core's result (docs/query-plans.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections import OrderedDict
from typing import Any, cast

from graphql import ExecutionResult, GraphQLSchema
from graphql.language import OperationType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.observability.metrics import QUERY_PLANS
from api.plans.compiler import NotPlannable, compile_operation
from api.plans.fallback import FallBack
from api.plans.runner import run_plan
from api.plans.shapes import OperationPlan

log = logging.getLogger("omniorder.query_plans")

PLAN_CACHE_SIZE = 512  # as many documents as the parser and validation caches keep
PlanKey = tuple[GraphQLSchema, str, str | None]


class PlanCache:
    """The plans of the documents seen last, and the documents found not plannable (so
    that they are not compiled again), at most `size` of them."""

    def __init__(self, size: int = PLAN_CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[PlanKey, OperationPlan | NotPlannable] = OrderedDict()

    def get(self, key: PlanKey) -> OperationPlan | NotPlannable | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: PlanKey, entry: OperationPlan | NotPlannable) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


PLANS = PlanCache()


class PlanningExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_operation(self, serially: bool | None = None) -> Any:
        if serially is None and self.operation.operation is OperationType.QUERY:
            settings = getattr(self.context_value, "settings", None)
            mode = getattr(settings, "query_plans", "on")
            if mode != "off" and (plan := self._plan()) is not None:
                if mode == "on":
                    return self._planned(plan)
                if random.random() < settings.query_plan_shadow_share:  # type: ignore[union-attr]
                    return self._shadowed(plan)
        return super().execute_operation(serially)

    def _plan(self) -> OperationPlan | None:
        """The operation's plan, compiled the first time its document is seen."""
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            # An extension that wraps every resolver would be skipped for plain fields.
            QUERY_PLANS.labels("not_planned", "middleware").inc()
            return None
        location = self.operation.loc
        if location is None:
            QUERY_PLANS.labels("not_planned", "no_source").inc()
            return None
        name = self.operation.name.value if self.operation.name else None
        key = (self.schema, location.source.body, name)
        entry = PLANS.get(key)
        if entry is None:
            try:
                entry = compile_operation(
                    self.schema, self.operation, self.fragments, self.variable_values
                )
            except NotPlannable as refusal:
                entry = refusal
            PLANS.put(key, entry)
        if isinstance(entry, NotPlannable):
            QUERY_PLANS.labels("not_planned", entry.reason).inc()
            return None
        return entry

    async def _planned(self, plan: OperationPlan) -> ExecutionResult:
        try:
            data = await run_plan(plan, self)
        except FallBack as fall_back:
            QUERY_PLANS.labels("fallback", fall_back.reason.value).inc()
            return await self._by_graphql_core()
        QUERY_PLANS.labels("planned", "").inc()
        return self.build_response(data)  # type: ignore[return-value]  # no incremental delivery

    async def _shadowed(self, plan: OperationPlan) -> ExecutionResult:
        """graphql-core's result, after the plan's: any difference between them is logged."""
        try:
            planned: dict[str, Any] | None = await run_plan(plan, self)
        except FallBack as fall_back:
            QUERY_PLANS.labels("fallback", fall_back.reason.value).inc()
            planned = None
        result = await self._by_graphql_core()
        if planned is not None:
            if result.errors is None and _json(planned) == _json(result.data):
                QUERY_PLANS.labels("shadow_same", "").inc()
            else:
                QUERY_PLANS.labels("shadow_differs", "").inc()
                log.warning(
                    "query plan's result differs from graphql-core's",
                    extra={
                        "operation": self.operation.name.value if self.operation.name else None,
                        "document_sha256": _document_hash(self),
                        "graphql_core_errors": len(result.errors or ()),
                    },
                )
        return result

    async def _by_graphql_core(self) -> ExecutionResult:
        """graphql-core's result, from loaders as fresh as a request's: which of several
        failing fields is reported can hang on the order their loads complete, and loads
        the plan's run left cached would complete in another order."""
        refresh_loaders = getattr(self.context_value, "refresh_loaders", None)
        if refresh_loaders is not None:
            refresh_loaders()
        result = super().execute_operation()
        if self.is_awaitable(result):
            result = await result
        return cast(ExecutionResult, result)  # no incremental delivery here


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _document_hash(executor: PlanningExecutionContext) -> str | None:
    location = executor.operation.loc
    if location is None:
        return None
    return hashlib.sha256(location.source.body.encode()).hexdigest()
