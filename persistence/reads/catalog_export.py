"""The whole catalog, product by product, for `omniorder export`: read in batches of
products by id (keyset pages), so a big catalog never sits in memory at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.money import Money
from persistence.records.catalog import ProductRecord, VariantRecord
from persistence.records.categories import CategoryRecord, ProductCategoryRecord
from persistence.records.options import (
    AttributeRecord,
    AttributeValueRecord,
    ProductAttributeValueRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    VariantOptionValueRecord,
)

PRODUCTS_PER_BATCH = 200


@dataclass(frozen=True)
class ExportedVariant:
    sku: str
    name: str
    barcode: str | None
    price: Money
    option_values: tuple[str, ...]  # one per option of its product, in the options' order


@dataclass(frozen=True)
class ExportedProduct:
    name: str
    description: str
    status: str
    kind: str
    option_names: tuple[str, ...]  # in their order on the product
    category_slugs: tuple[str, ...]  # alphabetical
    attributes: tuple[tuple[str, tuple[str, ...]], ...]  # (slug, values) by slug
    variants: tuple[ExportedVariant, ...]  # by id


async def exported_products(
    session: AsyncSession, *, batch: int = PRODUCTS_PER_BATCH
) -> AsyncIterator[ExportedProduct]:
    """Every product, by id, each with its variants by id."""
    after = 0
    while True:
        products = (
            await session.execute(
                select(
                    ProductRecord.id,
                    ProductRecord.name,
                    ProductRecord.description,
                    ProductRecord.status,
                    ProductRecord.kind,
                )
                .where(ProductRecord.id > after)
                .order_by(ProductRecord.id)
                .limit(batch)
            )
        ).all()
        if not products:
            return
        ids = [row[0] for row in products]
        variants = await _variants(session, ids)
        options = await _option_names(session, ids)
        categories = await _category_slugs(session, ids)
        attributes = await _attributes(session, ids)
        for product_id, name, description, status, kind in products:
            yield ExportedProduct(
                name=name,
                description=description,
                status=status,
                kind=kind,
                option_names=tuple(options[product_id]),
                category_slugs=tuple(categories[product_id]),
                attributes=tuple((slug, tuple(v)) for slug, v in attributes[product_id].items()),
                variants=tuple(variants[product_id]),
            )
        after = ids[-1]


async def _variants(
    session: AsyncSession, product_ids: Sequence[int]
) -> dict[int, list[ExportedVariant]]:
    selected: dict[int, list[str]] = defaultdict(list)
    for variant_id, value in await session.execute(
        select(VariantOptionValueRecord.variant_id, ProductOptionValueRecord.value)
        .join(ProductOptionRecord, ProductOptionRecord.id == VariantOptionValueRecord.option_id)
        .join(
            ProductOptionValueRecord,
            ProductOptionValueRecord.id == VariantOptionValueRecord.value_id,
        )
        .where(ProductOptionRecord.product_id.in_(product_ids))
        .order_by(VariantOptionValueRecord.variant_id, ProductOptionRecord.position)
    ):
        selected[variant_id].append(value)
    variants: dict[int, list[ExportedVariant]] = defaultdict(list)
    for variant_id, product_id, sku, name, barcode, cents, currency in await session.execute(
        select(
            VariantRecord.id,
            VariantRecord.product_id,
            VariantRecord.sku,
            VariantRecord.name,
            VariantRecord.barcode,
            VariantRecord.price_cents,
            VariantRecord.currency,
        )
        .where(VariantRecord.product_id.in_(product_ids))
        .order_by(VariantRecord.id)
    ):
        price = Money.from_minor_units(cents, currency)
        variants[product_id].append(
            ExportedVariant(sku, name, barcode, price, tuple(selected[variant_id]))
        )
    return variants


async def _option_names(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for product_id, name in await session.execute(
        select(ProductOptionRecord.product_id, ProductOptionRecord.name)
        .where(ProductOptionRecord.product_id.in_(product_ids))
        .order_by(ProductOptionRecord.product_id, ProductOptionRecord.position)
    ):
        names[product_id].append(name)
    return names


async def _category_slugs(
    session: AsyncSession, product_ids: Sequence[int]
) -> dict[int, list[str]]:
    slugs: dict[int, list[str]] = defaultdict(list)
    for product_id, slug in await session.execute(
        select(ProductCategoryRecord.product_id, CategoryRecord.slug)
        .join(CategoryRecord, CategoryRecord.id == ProductCategoryRecord.category_id)
        .where(ProductCategoryRecord.product_id.in_(product_ids))
        .order_by(ProductCategoryRecord.product_id, CategoryRecord.slug)
    ):
        slugs[product_id].append(slug)
    return slugs


async def _attributes(
    session: AsyncSession, product_ids: Sequence[int]
) -> dict[int, dict[str, list[str]]]:
    chosen: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for product_id, slug, value in await session.execute(
        select(
            ProductAttributeValueRecord.product_id, AttributeRecord.slug, AttributeValueRecord.value
        )
        .join(AttributeValueRecord, AttributeValueRecord.id == ProductAttributeValueRecord.value_id)
        .join(AttributeRecord, AttributeRecord.id == AttributeValueRecord.attribute_id)
        .where(ProductAttributeValueRecord.product_id.in_(product_ids))
        .order_by(
            ProductAttributeValueRecord.product_id,
            AttributeRecord.slug,
            AttributeValueRecord.position,
        )
    ):
        chosen[product_id][slug].append(value)
    return chosen
