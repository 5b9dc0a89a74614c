"""What the use cases of categories and collections need from the store, as Protocols."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from domain.model.categories import Category, Collection
from domain.model.locations import ChannelCode


class CategoryRepository(Protocol):
    """The category tree and which products sit in which categories."""

    async def hold(self) -> None:
        """Take the tree until the transaction ends: changes to its shape (a new
        category, a move, a delete, memberships) run one at a time, so two concurrent
        moves cannot each pass the cycle check and together make a loop."""
        ...

    async def get(self, category_id: int) -> Category | None: ...
    async def by_slug(self, slug: str) -> Category | None: ...
    async def add(self, category: Category, at: datetime) -> Category: ...
    async def update(self, category: Category, at: datetime) -> None:
        """Store its name, slug and description."""
        ...

    async def chain(self, category_id: int) -> list[int]:
        """The category and its ancestors, from it up to its root."""
        ...

    async def children(self, parent_id: int | None) -> list[int]:
        """The categories under `parent_id` (None: the roots), by position."""
        ...

    async def arrange(self, parent_id: int | None, ordered: Sequence[int], at: datetime) -> None:
        """Put these categories under `parent_id` in this order (positions 1, 2, 3…)."""
        ...

    async def delete(self, category_id: int) -> None:
        """Delete it and its product memberships."""
        ...

    async def existing(self, category_ids: Iterable[int]) -> set[int]: ...
    async def hold_product(self, product_id: int) -> bool:
        """Lock the product until the transaction ends; False when there is none."""
        ...

    async def set_product_categories(self, product_id: int, category_ids: Sequence[int]) -> None:
        """Make these the product's categories, and only these."""
        ...


class CollectionRepository(Protocol):
    """Curated collections: their products in manual order and their channels."""

    async def get(self, collection_id: int) -> Collection | None:
        """The collection, held until the transaction ends (one change at a time)."""
        ...

    async def by_slug(self, slug: str) -> Collection | None: ...
    async def add(self, collection: Collection, at: datetime) -> Collection: ...
    async def update(self, collection: Collection, at: datetime) -> None: ...
    async def delete(self, collection_id: int) -> None:
        """Delete it, its product list and its channels."""
        ...

    async def existing_products(self, product_ids: Iterable[int]) -> set[int]: ...
    async def set_products(
        self, collection_id: int, product_ids: Sequence[int], at: datetime
    ) -> None:
        """Make these its products, in this order."""
        ...

    async def channel_ids(self, codes: Iterable[ChannelCode]) -> dict[ChannelCode, int]: ...
    async def set_channels(
        self, collection_id: int, channel_ids: Iterable[int], at: datetime
    ) -> None: ...
