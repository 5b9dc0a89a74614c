"""The one way a mutation runs: build the command, run its use case, show the result.

Every mutation resolver is one call:

    return await run_mutation(
        info, TransferPayload, transfers.ship_transfer,
        lambda: ShipTransfer(key_of(input.transfer_id, "Transfer", "transferId"), ...),
        show_transfer,
    )

The command is built inside the error handling, so a malformed or foreign id in any input
(`key_of`) is a userError on its field, like any other refusal; the use case gets the unit
of work, principal, command and clock the same way in every mutation; a transaction lost
to a deadlock runs again; and the result is shown by `show`, which reads it back through
the request's loaders, so a payload shows exactly what a query would (and only what the
caller may see: the loaders filter by caller).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

import strawberry

from api.context import Context
from api.errors import RequestError, UserError, user_error
from api.types.nodes import key_behind
from domain.access import Principal
from domain.errors import DomainError, NotFound
from domain.ports import UnitOfWork
from persistence.uow import TransactionConflict

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")
C_contra = TypeVar("C_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)
CONFLICT_RETRY_DELAYS = (0.01, 0.05, 0.2)  # seconds; spread at random so retries do not meet


class UseCase(Protocol[C_contra, R_co]):
    """A use case as the runner calls it: unit of work, caller, command, the time now."""

    def __call__(
        self, uow: UnitOfWork, principal: Principal, command: C_contra, now: datetime, /
    ) -> Awaitable[R_co]: ...


class Refusable(Protocol):
    """A mutation payload: it can be built with only the reasons nothing changed (every
    other field then has its empty default)."""

    def __init__(self, *, user_errors: list[UserError]) -> None: ...


P = TypeVar("P", bound=Refusable)


def without_clock(use_case: Callable[[UnitOfWork, Principal, C], Awaitable[R]]) -> UseCase[C, R]:
    """A use case that needs no clock, callable as the runner calls every use case."""

    def call(uow: UnitOfWork, principal: Principal, command: C, now: datetime) -> Awaitable[R]:
        return use_case(uow, principal, command)

    return call


async def run_mutation(
    info: strawberry.Info,
    payload: type[P],
    use_case: UseCase[C, R],
    command: Callable[[], C],
    show: Callable[[Context, R], Awaitable[P]],
) -> P:
    """Run `use_case` on the command `command()` builds, and return `show(context, result)`;
    or, when the command could not be built or the use case refused (a `DomainError`),
    `payload(user_errors=…)` with one userError per problem. A refused use case changed
    nothing: its transaction rolled back."""
    context: Context = info.context

    def action() -> Awaitable[R]:
        return use_case(context.unit_of_work(), context.principal, command(), context.now())

    try:
        result = await run_again_after_conflicts(action)
    except DomainError as error:
        return payload(user_errors=[user_error(part) for part in error.parts()])
    return await show(context, result)


async def run_again_after_conflicts(action: Callable[[], Awaitable[T]]) -> T:
    """`action()`, run again (with a fresh transaction) when the database rolled it back for
    a deadlock with a concurrent request; after the last try, a CONFLICT error the client
    may send again.

    Documents are locked in one order (the document, then its stock levels), so deadlocks
    are rare; when PostgreSQL still breaks one, the request that lost should not fail.
    """
    for delay in CONFLICT_RETRY_DELAYS:
        try:
            return await action()
        except TransactionConflict:
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
    try:
        return await action()
    except TransactionConflict as error:
        raise RequestError(
            "concurrent changes to the same documents kept colliding; nothing was changed, "
            "send the request again",
            code="CONFLICT",
        ) from error


def key_of(sent: str, type_name: str, field: str = "id") -> int:
    """The integer key behind an id a client sent in a mutation's input for a `type_name`:
    INVALID_INPUT if it is no id at all, NOT_FOUND if it is another type's (`key_behind`).
    Call it inside the command builder given to `run_mutation`, so either is a userError."""
    key = key_behind(sent, type_name, field)
    if key is None:
        article = "an" if type_name[0] in "AEIOU" else "a"
        raise NotFound(f"{field} is not the id of {article} {type_name}", field=field)
    return key


def keys_of(*sent: tuple[str, str, str]) -> list[int]:
    """`key_of` each (id, type name, field) of one input: INVALID_INPUT for the first that
    is no id at all, before NOT_FOUND for the first of another type, whatever their order."""
    keys = [key_behind(text, type_name, field) for text, type_name, field in sent]
    return [key_of(*each) if key is None else key for key, each in zip(keys, sent, strict=True)]
