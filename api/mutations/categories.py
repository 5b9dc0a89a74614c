"""Mutations on the category tree, and on which categories a product sits in (ADMIN,
STAFF: whoever manages the catalog)."""

from __future__ import annotations

import strawberry
from strawberry.relay.utils import to_base64

from api.context import Context
from api.errors import UserError
from api.loaders import reload
from api.mutations.payloads import ProductPayload, user_errors_field
from api.mutations.runner import key_of, keys_of, run_mutation
from api.types.categories import Category as CategoryType
from api.types.nodes import forget
from domain.commands.categories import (
    CreateCategory,
    DeleteCategory,
    MoveCategory,
    SetProductCategories,
    UpdateCategory,
)
from domain.model.categories import Category
from domain.model.identity import id_of
from domain.usecases import categories

MANAGERS = "(ADMIN, STAFF)"
SLUG_RULE = (
    "1-100 lower-case letters and digits in words joined by single hyphens (sent in any "
    "case), unique among categories"
)


@strawberry.type(description="Result of a mutation on a category.")
class CategoryPayload:
    category: CategoryType | None = strawberry.field(
        default=None, description="The category, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Result of deleting a category.")
class DeleteCategoryPayload:
    deleted_category_id: strawberry.ID | None = strawberry.field(
        default=None, description="The deleted category's id, when it succeeded."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="A new category.")
class CreateCategoryInput:
    name: str = strawberry.field(description="Display name, 1-200 characters.")
    slug: str | None = strawberry.field(
        default=None, description=f"{SLUG_RULE}; null: made from the name."
    )
    description: str = strawberry.field(default="", description="Longer text.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The category to put it under; null: a root."
    )
    position: int | None = strawberry.field(
        default=None,
        description="Its place among its siblings, 1 first (the others move down); null or "
        "past the end: last.",
    )


@strawberry.input(description="New values for a category's own fields; null keeps one.")
class UpdateCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category.")
    name: str | None = strawberry.field(default=None, description="Display name.")
    slug: str | None = strawberry.field(default=None, description=f"{SLUG_RULE}.")
    description: str | None = strawberry.field(default=None, description="Longer text.")


@strawberry.input(description="A new place in the tree for a category and what is below it.")
class MoveCategoryInput:
    id: strawberry.ID = strawberry.field(description="The category to move.")
    parent_id: strawberry.ID | None = strawberry.field(
        description="The category to put it under (not itself nor one below it: "
        "CATEGORY_CYCLE); null: make it a root."
    )
    position: int | None = strawberry.field(
        default=None,
        description="Its place among its new siblings, 1 first; null or past the end: last.",
    )


@strawberry.input(description="A category to delete.")
class DeleteCategoryInput:
    id: strawberry.ID = strawberry.field(
        description="The category; it must have no subcategories (CATEGORY_HAS_CHILDREN). "
        "Its products stay in the catalog."
    )


@strawberry.input(description="The categories a product sits in.")
class SetProductCategoriesInput:
    product_id: strawberry.ID = strawberry.field(description="The product.")
    category_ids: list[strawberry.ID] = strawberry.field(
        description="All its categories (at most 100, each once), replacing those it had; "
        "empty takes it out of every category."
    )


async def _show(context: Context, category: Category) -> CategoryPayload:
    loaders = context.loaders.categories
    forget(loaders.children, category.parent_id)
    return CategoryPayload(category=await reload(loaders.category, id_of(category)))


async def _show_deleted(context: Context, category: Category) -> DeleteCategoryPayload:
    deleted = strawberry.ID(to_base64("Category", id_of(category)))
    return DeleteCategoryPayload(deleted_category_id=deleted)


async def _show_product(context: Context, product_id: int) -> ProductPayload:
    forget(context.loaders.categories.by_product, product_id)
    return ProductPayload(product=await reload(context.loaders.product, product_id))


def _parent_key(parent_id: strawberry.ID | None) -> int | None:
    return None if parent_id is None else key_of(parent_id, "Category", "parentId")


def _move(input: MoveCategoryInput) -> MoveCategory:
    if input.parent_id is None:
        return MoveCategory(key_of(input.id, "Category"), None, input.position)
    key, parent = keys_of((input.id, "Category", "id"), (input.parent_id, "Category", "parentId"))
    return MoveCategory(key, parent, input.position)


@strawberry.type
class CategoryMutations:
    @strawberry.mutation(description=f"Create a category {MANAGERS}.")
    async def create_category(
        self, info: strawberry.Info, input: CreateCategoryInput
    ) -> CategoryPayload:
        return await run_mutation(
            info,
            CategoryPayload,
            categories.create_category,
            lambda: CreateCategory(
                input.name,
                input.slug,
                input.description,
                _parent_key(input.parent_id),
                input.position,
            ),
            _show,
        )

    @strawberry.mutation(description=f"Change a category's name, slug or description {MANAGERS}.")
    async def update_category(
        self, info: strawberry.Info, input: UpdateCategoryInput
    ) -> CategoryPayload:
        return await run_mutation(
            info,
            CategoryPayload,
            categories.update_category,
            lambda: UpdateCategory(
                key_of(input.id, "Category"), input.name, input.slug, input.description
            ),
            _show,
        )

    @strawberry.mutation(
        description="Move a category, with everything below it, under another category or "
        f"to the root, at a position among its new siblings {MANAGERS}."
    )
    async def move_category(
        self, info: strawberry.Info, input: MoveCategoryInput
    ) -> CategoryPayload:
        return await run_mutation(
            info,
            CategoryPayload,
            categories.move_category,
            lambda: _move(input),
            _show,
        )

    @strawberry.mutation(
        description="Delete a category that has no subcategories; its products leave it "
        f"{MANAGERS}."
    )
    async def delete_category(
        self, info: strawberry.Info, input: DeleteCategoryInput
    ) -> DeleteCategoryPayload:
        return await run_mutation(
            info,
            DeleteCategoryPayload,
            categories.delete_category,
            lambda: DeleteCategory(key_of(input.id, "Category")),
            _show_deleted,
        )

    @strawberry.mutation(
        description=f"Set the categories a product sits in, replacing its others {MANAGERS}."
    )
    async def set_product_categories(
        self, info: strawberry.Info, input: SetProductCategoriesInput
    ) -> ProductPayload:
        return await run_mutation(
            info,
            ProductPayload,
            categories.set_product_categories,
            lambda: SetProductCategories(
                key_of(input.product_id, "Product", "productId"),
                tuple(key_of(key, "Category", "categoryIds") for key in input.category_ids),
            ),
            _show_product,
        )
