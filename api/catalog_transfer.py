"""`omniorder import FILE` and `omniorder export`: the catalog as a product CSV
(api/catalog_csv.py, docs/import-export.md).

An import runs every product through the use cases the GraphQL mutations use
(createProduct, setProductCategories, setProductAttributes, updateVariantPrice,
setProductStatus), all in ONE transaction (SqlBatchUnitOfWork): it goes on after an
error to report every one, and keeps everything or, with any error or a dry run, nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from api.catalog_csv import COLUMNS, CsvRefused, Handles, ProductRows, RowError, product_rows
from domain.access import Principal, Role
from domain.commands.catalog import SetProductStatus, UpdateVariantPrice
from domain.commands.categories import SetProductCategories
from domain.commands.options import SetProductAttributes
from domain.errors import DomainError
from domain.model.catalog import Variant, normalise_sku
from domain.model.identity import id_of
from domain.money import Money
from domain.usecases import catalog, categories, options
from persistence.database import Database
from persistence.reads.catalog_export import exported_products
from persistence.uow import SqlBatchUnitOfWork

IMPORTER = Principal(role=Role.ADMIN, subject="cli-import")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # handles of products already there
    variants_created: int = 0

    def describe(self, *, dry_run: bool) -> str:
        return (
            f"products: {self.created} created, {self.updated} updated, "
            f"{len(self.skipped)} skipped; variants: {self.variants_created} created"
            + (" (dry run: nothing would be kept)" if dry_run else "")
        )


async def import_products(
    database: Database, products: list[ProductRows], *, update: bool, dry_run: bool
) -> ImportSummary:
    """Import in one transaction; CsvRefused with every error found, nothing kept."""
    summary = ImportSummary()
    errors: list[RowError] = []
    async with SqlBatchUnitOfWork.batch(database) as uow:
        category_ids = await _category_ids(uow, products, errors)
        existing = await _existing(uow, products, errors)
        for product in products:
            found = existing.get(product.handle)
            try:
                if found is None:
                    await _create(uow, product, category_ids)
                    summary.created += 1
                    summary.variants_created += len(product.lines)
                elif update:
                    await _update(uow, product, found, category_ids)
                    summary.updated += 1
                else:
                    summary.skipped.append(product.handle)
            except DomainError as error:
                for part in error.parts():
                    errors.append(RowError(*product.locate(part.field), part.message))
        if errors:
            raise CsvRefused(sorted(errors, key=lambda error: error.line))
        if not dry_run:
            await uow.keep()
    return summary


async def _category_ids(
    uow: SqlBatchUnitOfWork, products: list[ProductRows], errors: list[RowError]
) -> dict[str, int]:
    """The id of every category slug the file names; an unknown slug is an error."""
    slugs = {slug.lower() for product in products for slug in product.category_slugs}
    async with uow:
        found = {slug: await uow.categories.by_slug(slug) for slug in sorted(slugs)}
    for product in products:
        for slug in product.category_slugs:
            if found[slug.lower()] is None:
                errors.append(RowError(product.lines[0], "categories", f"no category {slug}"))
    return {slug: id_of(category) for slug, category in found.items() if category is not None}


async def _existing(
    uow: SqlBatchUnitOfWork, products: list[ProductRows], errors: list[RowError]
) -> dict[str, list[Variant]]:
    """The variants already there of each product whose SKUs all exist (by handle); a
    product with only some of its SKUs there, or SKUs of several products, is an error."""
    skus: dict[str, str] = {}
    for product in products:
        for variant in product.command.variants:
            try:
                skus[variant.sku] = normalise_sku(variant.sku)
            except DomainError:
                skus[variant.sku] = variant.sku  # createProduct reports it
    async with uow:
        variants = await uow.catalog.variants_by_sku(set(skus.values()))
    existing = {}
    for product in products:
        there = [variants.get(skus[v.sku]) for v in product.command.variants]
        found = [variant for variant in there if variant is not None]
        if not found:
            continue
        if len(found) < len(there) or len({v.product_id for v in found}) > 1:
            missing = [v.sku for v, t in zip(product.command.variants, there, strict=True) if not t]
            errors.append(
                RowError(
                    product.lines[0],
                    "sku",
                    f"SKU {found[0].sku} already exists but "
                    + (f"{', '.join(missing)} do not" if missing else "in another product")
                    + ": a product's SKUs must be all new, or all of one product already there",
                )
            )
            continue
        existing[product.handle] = found
    return existing


async def _create(
    uow: SqlBatchUnitOfWork, product: ProductRows, categories_by_slug: dict[str, int]
) -> None:
    created = await catalog.create_product(uow, IMPORTER, product.command)
    await _place(uow, product, id_of(created), categories_by_slug, new=True)


async def _update(
    uow: SqlBatchUnitOfWork,
    product: ProductRows,
    variants: list[Variant],
    categories_by_slug: dict[str, int],
) -> None:
    """Prices that differ, the status, the categories and the attributes; names, barcodes
    and options of existing variants stay as they are (no use case changes them)."""
    product_id = variants[0].product_id
    assert product_id is not None
    for index, (given, variant) in enumerate(zip(product.command.variants, variants, strict=True)):
        price = Money.of(given.price, given.currency, field=f"variants.{index}.price")
        if price != variant.price:
            command = UpdateVariantPrice(variant.sku, given.price, given.currency)
            try:
                await catalog.update_variant_price(uow, IMPORTER, command)
            except DomainError as error:  # its fields name no variant: this row's price
                error.field = f"variants.{index}.price"
                raise
    await catalog.set_product_status(
        uow, IMPORTER, SetProductStatus(product_id, product.command.status)
    )
    await _place(uow, product, product_id, categories_by_slug, new=False)


async def _place(
    uow: SqlBatchUnitOfWork,
    product: ProductRows,
    product_id: int,
    by_slug: dict[str, int],
    *,
    new: bool,
) -> None:
    """Make the file's categories and attributes the product's (a new product has none:
    it is spared setting none)."""
    # An unknown slug is already reported: the file will not be kept.
    slugs = [slug.lower() for slug in product.category_slugs]
    ids = tuple(by_slug[slug] for slug in slugs if slug in by_slug)
    if ids or not new:
        await categories.set_product_categories(
            uow, IMPORTER, SetProductCategories(product_id, ids), datetime.now(UTC)
        )
    if product.attributes or not new:
        await options.set_product_attributes(
            uow, IMPORTER, SetProductAttributes(product_id, product.attributes)
        )


async def export_products(database: Database, out: TextIO) -> int:
    """Write the header and every product's rows to `out` as they are read; the number
    of products written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    handles = Handles()
    written = 0
    async with database.read_session() as session:
        async for product in exported_products(session):
            writer.writerows(product_rows(product, handles.next(product.name)))
            written += 1
    return written
