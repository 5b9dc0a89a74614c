"""Running a plan: level by level, every resolver of a level called before any is awaited.

A level is the objects whose fields are to be filled: the root first, then the objects the
root's fields returned, and so on. Plain fields are read off each object at once; resolvers
are called for all the objects of the level (a coroutine started at once: api/plans/eager.py),
and what they return is awaited together, so every DataLoader `load` of a level lands in
one batch. Completing a value that holds objects queues them, with their selection, for the
next level.

Any error, and a null where the schema promises a value, stops the run (`FallBack`): the
operation is then executed by graphql-core, whose response (with its errors and paths) is
the one the client gets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from graphql.execution.values import get_argument_values
from graphql.pyutils import Path

from api.plans.eager import Resumed, start
from api.plans.fallback import FallBack, FallBackReason
from api.plans.shapes import FieldPlan, OperationPlan, SelectionPlan

if TYPE_CHECKING:
    from api.plans.executor import PlanningExecutionContext

Queued = tuple[SelectionPlan, Any, dict[str, Any], Path | None]


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
    queued: list[Queued] = [(plan.root, executor.root_value, data, None)]
    arguments: dict[FieldPlan, dict[str, Any]] = {}
    while queued:
        level = Level(executor, arguments)
        try:
            for selection, source, out, path in queued:
                selection.fill(source, out, path, level)
        except BaseException:
            await _abandon(level.awaiting)
            raise
        if level.awaiting:
            results = await _settle(level.awaiting)
            for (field, out, path), result in zip(level.pending, results, strict=True):
                out[field.key] = field.complete(result, path, level)
        queued = level.queue
    return data


class Level:
    """One level of a run: the objects it queues for the next, and what its resolvers gave
    that is still to be awaited."""

    __slots__ = ("arguments", "awaiting", "executor", "pending", "queue")

    def __init__(
        self, executor: PlanningExecutionContext, arguments: dict[FieldPlan, dict[str, Any]]
    ) -> None:
        self.executor = executor
        self.arguments = arguments  # each field's coerced arguments, the same all run long
        self.queue: list[Queued] = []
        self.awaiting: list[Awaitable[Any]] = []
        self.pending: list[tuple[FieldPlan, dict[str, Any], Path]] = []

    def resolve(
        self, field: FieldPlan, source: Any, out: dict[str, Any], path: Path | None
    ) -> None:
        """Call the field's resolver on `source`: what it gives now is completed into `out`,
        an awaitable is kept to be awaited with the level's others."""
        executor = self.executor
        definition = field.definition
        assert definition is not None and definition.resolve is not None
        field_path = Path(path, field.key, field.parent_type.name)
        info = executor.build_resolve_info(definition, field.nodes, field.parent_type, field_path)
        if field.direct is not None:
            for gate in field.gates:
                if gate.has_permission(source, info) is not True:
                    raise FallBack(FallBackReason.ERROR)  # graphql-core words the refusal
            result = field.direct(source, info)
        else:
            args = self.arguments.get(field)
            if args is None:
                args = self.arguments[field] = _arguments(field, executor)
            result = definition.resolve(source, info, **args)
        if result.__class__ is CoroutineType:
            finished, result = start(result)
            if finished:
                out[field.key] = field.complete(result, field_path, self)
                return
        elif not executor.is_awaitable(result):
            out[field.key] = field.complete(result, field_path, self)
            return
        out[field.key] = None  # keeps the key's place among its siblings
        self.awaiting.append(result)
        self.pending.append((field, out, field_path))


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


async def _abandon(awaiting: list[Awaitable[Any]]) -> None:
    """What a level had called when it stopped: coroutines not started are closed (no
    "never awaited" warnings); those started are let finish, their outcomes dropped, so
    that no read is cut off halfway on the request's connection, which the fall-back run
    reads on next."""
    started = [awaitable for awaitable in awaiting if isinstance(awaitable, Resumed)]
    for awaitable in awaiting:
        if isinstance(awaitable, Coroutine):
            awaitable.close()
    if started:
        await asyncio.gather(*started, return_exceptions=True)
