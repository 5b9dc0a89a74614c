"""Use cases of the category tree, and of which categories a product sits in.

Whoever manages the catalog (ADMIN, STAFF) changes them. Every change to the tree's shape
holds the tree first (`CategoryRepository.hold`), so the cycle check of a move, the
position of a new sibling and the children a delete counts are read with no concurrent
change to the tree in between.
"""

from __future__ import annotations

from datetime import datetime

from domain.access import Principal
from domain.commands.categories import (
    CreateCategory,
    DeleteCategory,
    MoveCategory,
    SetProductCategories,
    UpdateCategory,
)
from domain.errors import CategoryHasChildren, Duplicate, NotFound
from domain.model.categories import (
    Category,
    check_parent,
    checked_description,
    checked_name,
    new_slug,
    place,
    slug_for,
    unique_ids,
)
from domain.model.identity import id_of
from domain.ports import UnitOfWork

MAX_PRODUCT_CATEGORIES = 100


async def create_category(
    uow: UnitOfWork, principal: Principal, command: CreateCategory, now: datetime
) -> Category:
    principal.require_catalog_manager("create categories")
    name = checked_name(command.name)
    category = Category(
        name=name,
        slug=slug_for(name, command.slug),
        description=checked_description(command.description),
        parent_id=command.parent_id,
    )
    async with uow:
        await uow.categories.hold()
        if command.parent_id is not None and await uow.categories.get(command.parent_id) is None:
            raise NotFound.no_such("parent category", field="parentId")
        await _refuse_taken_slug(uow, category.slug)
        siblings = await uow.categories.children(command.parent_id)
        category.position = len(siblings) + 1
        category = await uow.categories.add(category, now)
        ordered = place(siblings, id_of(category), command.position, field="position")
        await uow.categories.arrange(command.parent_id, ordered, now)
        category.position = ordered.index(id_of(category)) + 1
        await uow.commit()
    return category


async def update_category(
    uow: UnitOfWork, principal: Principal, command: UpdateCategory, now: datetime
) -> Category:
    principal.require_catalog_manager("change categories")
    async with uow:
        category = await _category(uow, command.category_id)
        if (slug := new_slug(category, command.name, command.slug)) is not None:
            await _refuse_taken_slug(uow, slug)
            category.slug = slug
        if command.description is not None:
            category.description = checked_description(command.description)
        await uow.categories.update(category, now)
        await uow.commit()
    return category


async def move_category(
    uow: UnitOfWork, principal: Principal, command: MoveCategory, now: datetime
) -> Category:
    """Put a category under another (or at the root), at a position among its new
    siblings; its subcategories and products go with it."""
    principal.require_catalog_manager("move categories")
    async with uow:
        await uow.categories.hold()
        category = await _category(uow, command.category_id)
        key = id_of(category)
        if command.parent_id is not None:
            if await uow.categories.get(command.parent_id) is None:
                raise NotFound.no_such("parent category", field="parentId")
            check_parent(key, await uow.categories.chain(command.parent_id))
        if category.parent_id != command.parent_id:
            former = await uow.categories.children(category.parent_id)
            await uow.categories.arrange(category.parent_id, [k for k in former if k != key], now)
        siblings = await uow.categories.children(command.parent_id)
        ordered = place(siblings, key, command.position, field="position")
        await uow.categories.arrange(command.parent_id, ordered, now)
        category.parent_id = command.parent_id
        category.position = ordered.index(key) + 1
        await uow.commit()
    return category


async def delete_category(
    uow: UnitOfWork, principal: Principal, command: DeleteCategory, now: datetime
) -> Category:
    """Delete a category with no subcategories; its products stay, outside it."""
    principal.require_catalog_manager("delete categories")
    async with uow:
        await uow.categories.hold()
        category = await _category(uow, command.category_id)
        if await uow.categories.children(command.category_id):
            raise CategoryHasChildren(
                f"category {category.slug} has subcategories: move or delete them first"
            )
        await uow.categories.delete(command.category_id)
        siblings = await uow.categories.children(category.parent_id)
        await uow.categories.arrange(category.parent_id, siblings, now)
        await uow.commit()
    return category


async def set_product_categories(
    uow: UnitOfWork, principal: Principal, command: SetProductCategories, now: datetime
) -> int:
    """Make the given categories the product's, and only those; the product's id."""
    principal.require_catalog_manager("change a product's categories")
    category_ids = unique_ids(
        command.category_ids, field="categoryIds", limit=MAX_PRODUCT_CATEGORIES
    )
    async with uow:
        await uow.categories.hold()
        if not await uow.categories.hold_product(command.product_id):
            raise NotFound.no_such("product", field="productId")
        if set(category_ids) - await uow.categories.existing(category_ids):
            raise NotFound.no_such("category", field="categoryIds")
        await uow.categories.set_product_categories(command.product_id, category_ids)
        await uow.commit()
    return command.product_id


async def _category(uow: UnitOfWork, category_id: int) -> Category:
    category = await uow.categories.get(category_id)
    if category is None:
        raise NotFound.no_such("category", field="id")
    return category


async def _refuse_taken_slug(uow: UnitOfWork, slug: str) -> None:
    if await uow.categories.by_slug(slug) is not None:
        raise Duplicate(f"a category with slug {slug} exists", field="slug")
