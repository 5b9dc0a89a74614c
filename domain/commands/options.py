"""Commands on variant options and product attributes."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.options import AttributeValues, SelectedOption


@dataclass(frozen=True)
class NewOption:
    """An option as a client writes it: a name and its values, in order."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class SetProductOptions:
    product_id: int
    options: tuple[NewOption, ...]


@dataclass(frozen=True)
class SetVariantOptions:
    """Name the variant by `variant_id` or by `sku` (exactly one)."""

    variant_id: int | None
    sku: str | None
    selected_options: tuple[SelectedOption, ...]


@dataclass(frozen=True)
class CreateAttribute:
    name: str
    slug: str | None = None
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetProductAttributes:
    product_id: int
    attributes: tuple[AttributeValues, ...]
