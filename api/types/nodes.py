"""Helpers for Relay nodes: turning global-id payloads back into our integer keys."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError

from domain.errors import InvalidInput

KEY = re.compile(r"[1-9][0-9]{0,9}")
MAX_KEY = 2**31 - 1  # keys are 32-bit integers in every table


def parse_key(text: str) -> int | None:
    """The key written in an id or cursor, or None for anything no row can have."""
    if not KEY.fullmatch(text):
        return None
    key = int(text)
    return key if key <= MAX_KEY else None


def key_behind(sent: str, type_name: str, field: str) -> int | None:
    """The key behind an id a client sent in `field` of a mutation's input, if it is the
    global id of a `type_name` that a row can have; None for another type's id.

    Mutation inputs take ids as plain `ID`s, not as Strawberry's `GlobalID` (which refuses
    the whole request before the resolver runs), so that text which is no global id at all
    gets here and is refused on its field, INVALID_INPUT, as any other bad input is.
    """
    try:
        global_id = GlobalID.from_id(sent)
    except GlobalIDValueError:
        message = f"{field} is not an id: send the {type_name}'s `id` as the API returned it"
        raise InvalidInput(message, field=field) from None
    return parse_key(global_id.node_id) if global_id.type_name == type_name else None


def integer_ids(node_ids: Iterable[str]) -> list[int | None]:
    """The key behind each node id, or None where a forged id holds something else."""
    return [parse_key(raw) for raw in node_ids]


async def load_nodes(loader: DataLoader[int, Any], node_ids: Iterable[str]) -> list[Any]:
    ids = integer_ids(node_ids)
    found = await loader.load_many([i for i in ids if i is not None])
    by_id = dict(zip([i for i in ids if i is not None], found, strict=True))
    return [by_id.get(i) if i is not None else None for i in ids]


async def node_of_type(node_type: Any, info: Any, global_id: GlobalID) -> Any | None:
    """The node behind a global id, if it names this type and the caller may see it."""
    if global_id.type_name != node_type.__name__:
        return None
    return (await node_type.resolve_nodes(info=info, node_ids=[global_id.node_id]))[0]


def forget(loader: DataLoader[Any, Any], key: Any) -> None:
    """Drop `key` from the loader's cache, if it is there: a mutation made it stale."""
    with contextlib.suppress(KeyError):  # Strawberry raises when the key was never loaded
        loader.clear(key)
