"""The product CSV of `omniorder import` and `export` (docs/import-export.md), modelled
on Shopify's: one row per variant; the rows of a product share its `handle`, and its
product columns are filled on its first row and blank (or the same) on the others.

Pure: rows in, commands out (and products in, rows out); no files, no database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from domain.commands.catalog import CreateProduct, NewVariant
from domain.commands.options import NewOption
from domain.errors import InvalidInput
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.categories import slug_for
from domain.model.options import AttributeValues, SelectedOption
from persistence.reads.catalog_export import ExportedProduct

E = TypeVar("E", ProductStatus, ProductKind)

OPTIONS = 3
OPTION_COLUMNS = tuple(
    column for n in range(1, OPTIONS + 1) for column in (f"option{n}_name", f"option{n}_value")
)
COLUMNS = (
    "handle",
    "product_name",
    "description",
    "status",
    "kind",
    "categories",
    "attributes",
    *OPTION_COLUMNS,
    "sku",
    "variant_name",
    "barcode",
    "price",
    "currency",
)
REQUIRED_COLUMNS = ("handle", "product_name", "sku", "price", "currency")
# Filled on a product's first row; blank or the same on its other rows.
PRODUCT_COLUMNS = (
    "product_name",
    "description",
    "status",
    "kind",
    "categories",
    "attributes",
    *(f"option{n}_name" for n in range(1, OPTIONS + 1)),
)
LIST_SEPARATOR = "|"
ATTRIBUTE_SEPARATOR = ";"
# Where a domain error's input path points, as the column to report.
VARIANT_FIELDS = {
    "sku": "sku",
    "name": "variant_name",
    "price": "price",
    "currency": "currency",
    "barcode": "barcode",
    "selectedOptions": "option1_value",
}
PRODUCT_FIELDS = {
    "name": "product_name",
    "description": "description",
    "status": "status",
    "kind": "kind",
    "options": "option1_name",
    "categoryIds": "categories",
    "attributes": "attributes",
    "variants": "sku",
    "productId": "handle",
}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def describe(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.column}: {self.message}"


class CsvRefused(Exception):
    """The file has errors: every one of them, nothing imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ProductRows:
    """One product of the file: what creates it, and where each part of it came from."""

    handle: str
    lines: tuple[int, ...]  # of its variants' rows, in order
    command: CreateProduct
    category_slugs: tuple[str, ...]
    attributes: tuple[AttributeValues, ...]

    def locate(self, field: str | None) -> tuple[int, str]:
        """The line and column a domain error's input path (`variants.2.price`) is about."""
        parts = (field or "name").split(".")
        if parts[0] == "variants" and len(parts) > 2 and parts[1].isdigit():
            return self.lines[int(parts[1])], VARIANT_FIELDS.get(parts[2], parts[2])
        return self.lines[0], PRODUCT_FIELDS.get(parts[0], parts[0])


def read_rows(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row with the line it ends on (the header is line 1); a header that lacks
    a required column or names an unknown one is refused."""
    reader = csv.DictReader(lines, restval="")
    header = reader.fieldnames or []
    errors = [
        RowError(1, column, "required column missing")
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    errors += [RowError(1, column, "unknown column") for column in header if column not in COLUMNS]
    if errors:
        raise CsvRefused(errors)
    for row in reader:
        if None in row:
            raise CsvRefused([RowError(reader.line_num, "", "more values than columns")])
        yield reader.line_num, {column: (value or "").strip() for column, value in row.items()}


def group_products(rows: Iterable[tuple[int, dict[str, str]]]) -> list[ProductRows]:
    """The products of these rows, in the order of their first rows; CsvRefused with every
    error found if any row is wrong."""
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    errors: list[RowError] = []
    for line, row in rows:
        if not row["handle"]:
            errors.append(RowError(line, "handle", "every row needs the handle of its product"))
            continue
        grouped.setdefault(row["handle"], []).append((line, row))
    products = []
    for handle, product_rows in grouped.items():
        found: list[RowError] = []
        product = _product(handle, product_rows, found)
        errors += found
        if not found:
            products.append(product)
    if errors:
        raise CsvRefused(sorted(errors, key=lambda error: error.line))
    return products


def _product(
    handle: str, rows: list[tuple[int, dict[str, str]]], errors: list[RowError]
) -> ProductRows:
    first_line, first = rows[0]
    for line, row in rows[1:]:
        for column in PRODUCT_COLUMNS:
            if row.get(column) and row[column] != first.get(column, ""):
                errors.append(
                    RowError(line, column, f"differs from line {first_line} of product {handle}")
                )
    option_names = [first.get(f"option{n}_name", "") for n in range(1, OPTIONS + 1)]
    values: dict[str, list[str]] = {name: [] for name in option_names if name}
    variants = []
    for line, row in rows:
        selected = []
        for n, name in enumerate(option_names, start=1):
            value = row.get(f"option{n}_value", "")
            if name and not value:
                errors.append(RowError(line, f"option{n}_value", f"a value of {name} is needed"))
            elif value and not name:
                errors.append(RowError(line, f"option{n}_value", f"option{n}_name is blank"))
            elif name:
                selected.append(SelectedOption(name, value))
                if value not in values[name]:
                    values[name].append(value)
        variants.append(
            NewVariant(
                sku=row["sku"],
                name=row.get("variant_name", "") or first["product_name"],
                price=_price(line, row["price"], errors),
                currency=row["currency"],
                barcode=row.get("barcode") or None,
                selected_options=tuple(selected),
            )
        )
    command = CreateProduct(
        name=first["product_name"],
        description=first.get("description", ""),
        status=_choice(ProductStatus, first_line, "status", first, errors),
        kind=_choice(ProductKind, first_line, "kind", first, errors),
        variants=tuple(variants),
        options=tuple(NewOption(name, tuple(v)) for name, v in values.items()),
    )
    return ProductRows(
        handle=handle,
        lines=tuple(line for line, _ in rows),
        command=command,
        category_slugs=tuple(_listed(first.get("categories", ""), LIST_SEPARATOR)),
        attributes=_attributes(first_line, first.get("attributes", ""), errors),
    )


def _price(line: int, text: str, errors: list[RowError]) -> Decimal:
    try:
        price = Decimal(text)
    except InvalidOperation:
        price = Decimal("NaN")
    if not price.is_finite():
        errors.append(RowError(line, "price", f"{text!r} is not a number"))
        return Decimal(0)
    return price


def _choice(
    kind: type[E], line: int, column: str, row: dict[str, str], errors: list[RowError]
) -> E:
    text = row.get(column, "").upper()
    if not text:
        return next(iter(kind))
    try:
        return kind(text)
    except ValueError:
        errors.append(RowError(line, column, f"{row[column]!r} is not one of {', '.join(kind)}"))
        return next(iter(kind))


def _listed(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _attributes(line: int, text: str, errors: list[RowError]) -> tuple[AttributeValues, ...]:
    """`material=Cotton|Fleece;brand=Acme`: attribute slugs and their values."""
    chosen = []
    for part in _listed(text, ATTRIBUTE_SEPARATOR):
        slug, equals, values = part.partition("=")
        if not equals or not slug.strip():
            errors.append(RowError(line, "attributes", f"{part!r} is not slug=value|value"))
            continue
        chosen.append(AttributeValues(slug.strip().lower(), tuple(_listed(values, "|"))))
    return tuple(chosen)


class Handles:
    """The handle of each exported product: its name's slug, made unique in the file by
    a suffix (`tee`, `tee-2`) in the order the products are written."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def next(self, name: str) -> str:
        try:
            base = slug_for(name, None)
        except InvalidInput:
            base = "product"
        handle, suffix = base, 1
        while handle in self._taken:
            suffix += 1
            handle = f"{base}-{suffix}"
        self._taken.add(handle)
        return handle


def product_rows(product: ExportedProduct, handle: str) -> Iterator[list[str]]:
    """The rows of one product: its product columns on the first row only."""
    attributes = ATTRIBUTE_SEPARATOR.join(
        f"{slug}={LIST_SEPARATOR.join(values)}" for slug, values in product.attributes
    )
    for index, variant in enumerate(product.variants):
        first = index == 0
        options: list[str] = []
        for n in range(OPTIONS):
            named = n < len(product.option_names)
            options.append(product.option_names[n] if named and first else "")
            options.append(variant.option_values[n] if named else "")
        yield [
            handle,
            product.name if first else "",
            product.description if first else "",
            product.status if first else "",
            product.kind if first else "",
            LIST_SEPARATOR.join(product.category_slugs) if first else "",
            attributes if first else "",
            *options,
            variant.sku,
            variant.name,
            variant.barcode or "",
            str(variant.price.amount),
            variant.price.currency,
        ]
