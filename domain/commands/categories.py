"""Commands on categories and collections: what a caller asks, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.locations import ChannelCode


@dataclass(frozen=True)
class CreateCategory:
    name: str
    slug: str | None = None
    description: str = ""
    parent_id: int | None = None
    position: int | None = None  # among its siblings, 1 first; None: last


@dataclass(frozen=True)
class UpdateCategory:
    """Change what is given (None: keep)."""

    category_id: int
    name: str | None = None
    slug: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class MoveCategory:
    category_id: int
    parent_id: int | None  # None: a root
    position: int | None = None


@dataclass(frozen=True)
class DeleteCategory:
    category_id: int


@dataclass(frozen=True)
class SetProductCategories:
    product_id: int
    category_ids: tuple[int, ...]


@dataclass(frozen=True)
class CreateCollection:
    name: str
    slug: str | None = None
    description: str = ""


@dataclass(frozen=True)
class UpdateCollection:
    collection_id: int
    name: str | None = None
    slug: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SetCollectionProducts:
    collection_id: int
    product_ids: tuple[int, ...]  # in the order the collection shows them


@dataclass(frozen=True)
class SetCollectionChannels:
    collection_id: int
    channels: tuple[ChannelCode, ...]


@dataclass(frozen=True)
class DeleteCollection:
    collection_id: int
