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


class ProductKind(StrEnum):
    """What a product is, fixed when it is created. GOODS are held in stock and ordered
    (placeOrder); a SERVICE is performed at a location, booked (bookService), and holds no
    stock of its own: it has no stock levels, and may use up goods (its recipe)."""

    GOODS = "GOODS"
    SERVICE = "SERVICE"


@dataclass
class Variant:
    sku: str
    name: str
    price: Money
    barcode: str | None = None
    id: int | None = None
    product_id: int | None = None
    kind: ProductKind = ProductKind.GOODS  # its product's
    tax_class: str | None = None  # None: STANDARD (domain/model/taxes.py)
    weight_grams: int | None = None  # what a BY_WEIGHT shipping method weighs


@dataclass
class Product:
    name: str
    description: str
    variants: list[Variant]
    status: ProductStatus = ProductStatus.ACTIVE
    id: int | None = None
    kind: ProductKind = ProductKind.GOODS


def normalise_sku(sku: str, *, field: str = "sku") -> str:
    """SKUs are upper case letters, digits, '.', '_' and '-', at most 64 characters."""
    candidate = sku.strip().upper()
    if not SKU_PATTERN.match(candidate):
        raise InvalidInput(
            f"SKU {sku!r} must be 1-64 letters, digits, '.', '_' or '-'", field=field
        )
    return candidate


def unique_skus(skus: list[str], *, field: str, limit: int, within: str = ".sku") -> list[str]:
    """The SKUs of a list of entries (`field`.N.sku; `within=""`: a list of SKUs, `field`.N),
    normalised: 1 to `limit`, each once."""
    if not skus:
        raise InvalidInput("name at least one SKU", field=field)
    if len(skus) > limit:
        raise InvalidInput(f"at most {limit} SKUs at once", field=field)
    seen: list[str] = []
    for index, sku in enumerate(skus):
        where = f"{field}.{index}{within}"
        normalised = normalise_sku(sku, field=where)
        if normalised in seen:
            raise InvalidInput(f"SKU {normalised} appears twice", field=where)
        seen.append(normalised)
    return seen


def require_goods(variant: Variant, *, field: str | None, instead: str = "") -> Variant:
    """The variant, if it is goods; a service holds no stock, so nothing stocked may name it.
    `instead` tells the caller what to do with a service."""
    if variant.kind is ProductKind.SERVICE:
        raise InvalidInput(
            f"SKU {variant.sku} is a service and holds no stock"
            + (f"; {instead}" if instead else ""),
            field=field,
        )
    return variant


def new_product(
    name: str,
    description: str,
    variants: list[Variant],
    status: ProductStatus,
    kind: ProductKind = ProductKind.GOODS,
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
        variant.kind = kind
    return Product(
        name=name.strip(), description=description, variants=variants, status=status, kind=kind
    )
