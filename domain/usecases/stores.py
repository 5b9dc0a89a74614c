"""Finding a store by its code, for what only happens in stores (terminals, counter returns)."""

from __future__ import annotations

from domain.errors import InvalidInput, NotFound
from domain.model.locations import Location, LocationKind
from domain.ports import UnitOfWork


async def store_by_code(uow: UnitOfWork, code: str, *, field: str, why: str) -> Location:
    """The store with this (normalised) code; NotFound, or InvalidInput saying `why` only a
    store will do when it is a warehouse."""
    store = (await uow.locations.by_code([code])).get(code)
    if store is None:
        raise NotFound.of("location", code, field=field)
    if store.kind is not LocationKind.STORE:
        raise InvalidInput(f"{code} is a {store.kind.value.lower()}; {why}", field=field)
    return store
