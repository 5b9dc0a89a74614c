"""Finding a store by its code, for what only happens in stores (terminals, counter returns)."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.model.locations import Location, LocationKind
from domain.ports import UnitOfWork
from domain.usecases.catalog import known_location


async def store_by_code(uow: UnitOfWork, code: str, *, field: str, why: str) -> Location:
    """The store with this (normalised) code; NotFound, or InvalidInput saying `why` only a
    store will do when it is a warehouse."""
    store = await known_location(uow, code, field=field)
    if store.kind is not LocationKind.STORE:
        raise InvalidInput(f"{code} is a {store.kind.value.lower()}; {why}", field=field)
    return store
