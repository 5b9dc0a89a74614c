"""Ids of stored entities.

An entity is built without an id (`id=None`) and is given one by the store when saved;
everything a use case loads through a repository has one. `id_of` says so to the type
checker at the places that need the integer, and fails loudly if a never-stored entity
reaches one of them (a bug, not bad input, so it is no `DomainError`).
"""

from __future__ import annotations

from typing import Protocol


class Identified(Protocol):
    """Anything with an optional store-given id (a dataclass field or a property)."""

    @property
    def id(self) -> int | None: ...


class NotStored(LookupError):
    """An entity that was never saved was used where only a stored one makes sense."""


def id_of(entity: Identified) -> int:
    """The id the store gave `entity`."""
    if entity.id is None:
        raise NotStored(f"{type(entity).__name__} has no id: it was never stored")
    return entity.id
