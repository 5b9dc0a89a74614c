"""GraphQL types of variant options and product attributes, and their DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from sqlalchemy import Row

from persistence.reads import options as option_reads


@strawberry.type(description="The value a variant has for one option of its product.")
class SelectedOption:
    name: str = strawberry.field(description="The option, e.g. Size.")
    value: str = strawberry.field(description="The variant's value of it, e.g. M.")

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> SelectedOption:
        """`row`: (variant_id, name, value) of option_reads.selected_options_by_variant_ids."""
        _, name, value = row
        return cls(name=name, value=value)


@strawberry.input(description="A value of one of a product's options, e.g. Size: M.")
class SelectedOptionInput:
    name: str = strawberry.field(description="The option's name, any case.")
    value: str = strawberry.field(description="One of its values, any case.")


@strawberry.type(description="One value of a product option, for a storefront's picker.")
class ProductOptionValue:
    name: str = strawberry.field(description="The value, e.g. M.")
    has_variants: bool = strawberry.field(
        description="Whether some variant of the product has this value: a picker may grey "
        "out the others."
    )


@strawberry.type(
    description="An option a product's variants differ by (Size, Colour), with its values "
    "in the order a picker shows them."
)
class ProductOption:
    name: str = strawberry.field(description="The option, e.g. Size.")
    position: int = strawberry.field(description="Its place among the product's options, from 1.")
    values: list[str] = strawberry.field(description="Its values, in order.")
    option_values: list[ProductOptionValue] = strawberry.field(
        description="Its values, in order, each with whether a variant has it."
    )

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> list[ProductOption]:
        """`rows`: one product's rows of option_reads.option_values_by_product_ids, in order."""
        options: list[ProductOption] = []
        for _, name, value, has_variants in rows:
            if not options or options[-1].name != name:
                options.append(
                    cls(name=name, position=len(options) + 1, values=[], option_values=[])
                )
            options[-1].values.append(value)
            options[-1].option_values.append(
                ProductOptionValue(name=value, has_variants=bool(has_variants))
            )
        return options


@strawberry.type(description="The values a product has for one attribute (material, brand…).")
class ProductAttribute:
    name: str = strawberry.field(description="The attribute's name, e.g. Material.")
    slug: str = strawberry.field(description="The attribute's slug, e.g. material.")
    values: list[str] = strawberry.field(description="The product's values of it, in order.")

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> list[ProductAttribute]:
        """`rows`: one product's rows of option_reads.attribute_values_by_product_ids."""
        found: list[ProductAttribute] = []
        for _, name, slug, value in rows:
            if not found or found[-1].slug != slug:
                found.append(cls(name=name, slug=slug, values=[]))
            found[-1].values.append(value)
        return found


@strawberry.type(
    description="An attribute products may have (material, brand…), with every value known "
    "to it; products name values of it through setProductAttributes."
)
class Attribute:
    name: str = strawberry.field(description="Display name, e.g. Material.")
    slug: str = strawberry.field(description="Unique key, e.g. material.")
    values: list[str] = strawberry.field(description="Its known values, in the order added.")

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> list[Attribute]:
        """`rows`: option_reads.attributes, one per value (null for none)."""
        found: list[Attribute] = []
        for name, slug, value in rows:
            if not found or found[-1].slug != slug:
                found.append(cls(name=name, slug=slug, values=[]))
            if value is not None:
                found[-1].values.append(value)
        return found


def _row(row: Row) -> Row:
    return row


class OptionLoaders:
    """Per-request DataLoaders of options and attributes; `loaders` is the request's
    api.loaders.Loaders. Options and attributes are read by everyone, as the catalog is."""

    def __init__(self, loaders: Any) -> None:
        # Rows, grouped into each product's options or attributes by the resolver.
        self.option_values = loaders.grouped(
            option_reads.option_values_by_product_ids, "product_id", _row
        )
        self.selected = loaders.grouped(
            option_reads.selected_options_by_variant_ids, "variant_id", SelectedOption.from_row
        )
        self.attribute_values = loaders.grouped(
            option_reads.attribute_values_by_product_ids, "product_id", _row
        )
