"""Running a plan: level by level, every resolver of a level called before any is awaited.

A level is the objects whose fields are to be filled: the root first, then the objects the
root's fields returned, and so on. Plain fields are read off each object at once; resolvers
are called for all the objects of the level, and what they return is awaited together, so
every DataLoader `load` of a level lands in one batch. Completing a value that holds objects
queues them, with their selection, for the next level.

Any error, and a null where the schema promises a value, stops the run (`FallBack`): the
operation is then executed by graphql-core, whose response (with its errors and paths) is
the one the client gets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any

from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

from api.plans.compiler import FieldKind, FieldPlan, OperationPlan, SelectionPlan, node_id
from api.plans.fallback import FallBack, FallBackReason

if TYPE_CHECKING:
    from api.plans.executor import PlanningExecutionContext

Queued = tuple[SelectionPlan, Any, dict[str, Any], Path | None]
Pending = tuple[FieldPlan, dict[str, Any], Path]


async def run_plan(plan: OperationPlan, executor: PlanningExecutionContext) -> dict[str, Any]:
    """The operation's `data`; FallBack if it stopped short."""
    try:
        return await _run(plan, executor)
    except FallBack:
        raise
    except Exception as error:  # a resolver or a completion failed: graphql-core will say how
        raise FallBack(FallBackReason.ERROR) from error


async def _run(plan: OperationPlan, executor: PlanningExecutionContext) -> dict[str, Any]:
    data: dict[str, Any] = {}
    level: list[Queued] = [(plan.root, executor.root_value, data, None)]
    arguments: dict[FieldPlan, dict[str, Any]] = {}
    while level:
        queue: list[Queued] = []
        awaiting: list[Awaitable[Any]] = []
        pending: list[Pending] = []
        try:
            for selection, source, out, path in level:
                _fill(selection, source, out, path, queue, awaiting, pending, executor, arguments)
        except BaseException:
            _discard(awaiting)
            raise
        if awaiting:
            results = await _settle(awaiting)
            for (field, out, path), result in zip(pending, results, strict=True):
                out[field.key] = field.complete(result, path, queue)
        level = queue
    return data


def _fill(
    selection: SelectionPlan,
    source: Any,
    out: dict[str, Any],
    path: Path | None,
    queue: list[Queued],
    awaiting: list[Awaitable[Any]],
    pending: list[Pending],
    executor: PlanningExecutionContext,
    arguments: dict[FieldPlan, dict[str, Any]],
) -> None:
    type_name = selection.object_type.name
    for field in selection.fields:
        kind = field.kind
        if kind is FieldKind.ATTRIBUTE:
            field_path = Path(path, field.key, type_name) if field.needs_path else None
            out[field.key] = field.complete(getattr(source, field.attribute), field_path, queue)
            continue
        if kind is FieldKind.TYPENAME:
            out[field.key] = type_name
            continue
        if kind is FieldKind.NODE_ID and source.__class__ is field.node_class:
            out[field.key] = field.complete(node_id(field, source), None, queue)
            continue
        field_path = Path(path, field.key, type_name)
        assert field.definition is not None and field.definition.resolve is not None
        info = executor.build_resolve_info(
            field.definition, field.nodes, selection.object_type, field_path
        )
        if field.direct is not None:
            result = field.direct(source, info)
        else:
            args = arguments.get(field)
            if args is None:
                args = arguments[field] = _arguments(field, executor)
            result = field.definition.resolve(source, info, **args)
        if executor.is_awaitable(result):
            out[field.key] = None  # keeps the key's place among its siblings
            awaiting.append(result)
            pending.append((field, out, field_path))
        else:
            out[field.key] = field.complete(result, field_path, queue)


def _arguments(field: FieldPlan, executor: PlanningExecutionContext) -> dict[str, Any]:
    """The field's coerced arguments: the same for every object of the run."""
    if not field.has_arguments:
        return {}
    assert field.definition is not None
    first = field.details[0]
    return get_argument_values(
        field.definition,
        first.node,
        executor.variable_values,
        first.fragment_variable_values,
        executor.hide_suggestions,
    )


async def _settle(awaiting: list[Awaitable[Any]]) -> list[Any]:
    """What the awaitables give, awaited together (all of them, even when one fails, so
    that none is left running); the first failure is raised."""
    if len(awaiting) == 1:
        return [await awaiting[0]]
    results = await asyncio.gather(*awaiting, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


def _discard(awaiting: list[Awaitable[Any]]) -> None:
    """Close coroutines that will not be awaited now (no "never awaited" warnings)."""
    for awaitable in awaiting:
        if isinstance(awaitable, Coroutine):
            awaitable.close()
