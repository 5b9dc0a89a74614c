"""Catalog: products and their sellable variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import Duplicate, InvalidInput
from domain.money import Money

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")


class ProductStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


@dataclass
class Variant:
    sku: str
    name: str
    price: Money
    barcode: str | None = None
    id: int | None = None
    product_id: int | None = None


@dataclass
class Product:
    name: str
    description: str
    variants: list[Variant]
    status: ProductStatus = ProductStatus.ACTIVE
    id: int | None = None


def normalise_sku(sku: str, *, field: str = "sku") -> str:
    """SKUs are upper case letters, digits, '.', '_' and '-', at most 64 characters."""
    candidate = sku.strip().upper()
    if not SKU_PATTERN.match(candidate):
        raise InvalidInput(
            f"SKU {sku!r} must be 1-64 letters, digits, '.', '_' or '-'", field=field
        )
    return candidate


def new_product(
    name: str, description: str, variants: list[Variant], status: ProductStatus
) -> Product:
    """A product with at least one variant, unique SKUs, and one currency for all prices."""
    if not name.strip():
        raise InvalidInput("a product needs a name", field="name")
    if not variants:
        raise InvalidInput("a product needs at least one variant", field="variants")
    if len({variant.price.currency for variant in variants}) > 1:
        raise InvalidInput("all variants of a product are priced in one currency", field="variants")
    seen: set[str] = set()
    for index, variant in enumerate(variants):
        if variant.sku in seen:
            raise Duplicate(f"SKU {variant.sku} appears twice", field=f"variants.{index}.sku")
        seen.add(variant.sku)
        if not variant.name.strip():
            raise InvalidInput("a variant needs a name", field=f"variants.{index}.name")
    return Product(name=name.strip(), description=description, variants=variants, status=status)
