"""The product CSV, without files or a database: rows grouped into products by handle,
every error with its line and column, and products written back as rows."""

from decimal import Decimal

import pytest

from api.catalog_csv import (
    COLUMNS,
    CsvRefused,
    Handles,
    RowError,
    group_products,
    product_rows,
    read_rows,
)
from domain.commands.options import NewOption
from domain.model.catalog import ProductKind, ProductStatus
from domain.model.options import AttributeValues, SelectedOption
from domain.money import Money
from persistence.reads.catalog_export import ExportedProduct, ExportedVariant

HEADER = (
    "handle,product_name,status,kind,categories,attributes,option1_name,option1_value,"
    "sku,variant_name,price,currency"
)


def products_of(*rows: str):
    return group_products(read_rows([HEADER, *rows]))


def errors_of(*rows: str) -> list[RowError]:
    with pytest.raises(CsvRefused) as refused:
        products_of(*rows)
    return refused.value.errors


def test_rows_of_one_handle_make_one_product_with_its_options_in_order():
    # when
    (hoodie,) = products_of(
        "hoodie,Hoodie,ARCHIVED,,tops|sale,material=Cotton|Fleece;brand=Acme,"
        "Size,M,H-M,Hoodie M,39.90,EUR",
        "hoodie,,,,,,,S,H-S,Hoodie S,35,EUR",
        "hoodie,Hoodie,,,,,Size,M,H-M2,,39.90,EUR",
    )
    # then
    command = hoodie.command
    assert (command.name, command.status, command.kind) == (
        "Hoodie",
        ProductStatus.ARCHIVED,
        ProductKind.GOODS,
    )
    assert command.options == (NewOption("Size", ("M", "S")),)
    assert [(v.sku, v.name, v.price) for v in command.variants] == [
        ("H-M", "Hoodie M", Decimal("39.90")),
        ("H-S", "Hoodie S", Decimal("35")),
        ("H-M2", "Hoodie", Decimal("39.90")),
    ]
    assert command.variants[1].selected_options == (SelectedOption("Size", "S"),)
    assert hoodie.lines == (2, 3, 4)
    assert hoodie.category_slugs == ("tops", "sale")
    assert hoodie.attributes == (
        AttributeValues("material", ("Cotton", "Fleece")),
        AttributeValues("brand", ("Acme",)),
    )


def test_every_error_is_reported_with_its_line_and_column():
    # when
    errors = errors_of(
        "a,Alpha,SOLD,,,,Size,S,A-S,Alpha S,abc,EUR",
        "a,Other,,,,,,,A-M,Alpha M,1,EUR",
        ",Beta,,,,,,,B,Beta,1,EUR",
        "c,Gamma,,THING,,brand,,,C,Gamma,1,EUR",
    )
    # then
    assert [error.describe("products.csv") for error in errors] == [
        "products.csv:2: price: 'abc' is not a number",
        "products.csv:2: status: 'SOLD' is not one of ACTIVE, ARCHIVED",
        "products.csv:3: product_name: differs from line 2 of product a",
        "products.csv:3: option1_value: a value of Size is needed",
        "products.csv:4: handle: every row needs the handle of its product",
        "products.csv:5: kind: 'THING' is not one of GOODS, SERVICE",
        "products.csv:5: attributes: 'brand' is not slug=value|value",
    ]


def test_a_header_without_a_required_column_or_with_an_unknown_one_is_refused():
    with pytest.raises(CsvRefused) as refused:
        list(read_rows(["handle,product_name,sku,price,colour", "a,A,A,1,red"]))

    assert refused.value.errors == [
        RowError(1, "currency", "required column missing"),
        RowError(1, "colour", "unknown column"),
    ]


def test_a_domain_error_points_at_the_row_and_column_of_its_input_path():
    (product,) = products_of(
        "a,Alpha,,,,,,,A-1,One,1,EUR",
        "a,,,,,,,,A-2,Two,1,EUR",
    )

    assert product.locate("variants.1.price") == (3, "price")
    assert product.locate("variants.0.selectedOptions") == (2, "option1_value")
    assert product.locate("name") == (2, "product_name")
    assert product.locate("categoryIds") == (2, "categories")
    assert product.locate(None) == (2, "product_name")


def test_handles_are_the_names_slugs_made_unique_in_order():
    handles = Handles()

    assert [handles.next(name) for name in ["Tee", "Tee", "tee!", "***"]] == [
        "tee",
        "tee-2",
        "tee-3",
        "product",
    ]


def test_a_product_is_written_with_its_product_columns_on_its_first_row_only():
    # given
    product = ExportedProduct(
        name="Hoodie",
        description="Warm",
        status="ACTIVE",
        kind="GOODS",
        option_names=("Size",),
        category_slugs=("sale", "tops"),
        attributes=(("brand", ("Acme",)), ("material", ("Cotton", "Fleece"))),
        variants=(
            ExportedVariant("H-S", "Hoodie S", "123", Money.of("35.00", "EUR"), ("S",)),
            ExportedVariant("H-M", "Hoodie M", None, Money.of("39.90", "EUR"), ("M",)),
        ),
    )
    # when
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in product_rows(product, "hoodie")]
    # then
    assert rows[0] == {
        **dict.fromkeys(COLUMNS, ""),
        "handle": "hoodie",
        "product_name": "Hoodie",
        "description": "Warm",
        "status": "ACTIVE",
        "kind": "GOODS",
        "categories": "sale|tops",
        "attributes": "brand=Acme;material=Cotton|Fleece",
        "option1_name": "Size",
        "option1_value": "S",
        "sku": "H-S",
        "variant_name": "Hoodie S",
        "barcode": "123",
        "price": "35.00",
        "currency": "EUR",
    }
    assert rows[1] == {
        **dict.fromkeys(COLUMNS, ""),
        "handle": "hoodie",
        "option1_value": "M",
        "sku": "H-M",
        "variant_name": "Hoodie M",
        "price": "39.90",
        "currency": "EUR",
    }
