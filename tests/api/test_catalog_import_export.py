"""`omniorder import FILE` and `omniorder export` against SQLite and PostgreSQL: what an
import creates, read back through the GraphQL API; errors with their line and column
and nothing imported; --dry-run; --update; export → import → export gives the same file."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from persistence.database import Database
from tests.api.categories_documents import CREATE_CATEGORY
from tests.api.conftest import build_app, client_of
from tests.api.test_product_attributes import create_attribute
from tests.conftest import Templates, fresh_database
from tests.test_cli import omniorder

PRODUCTS = """
{ products(first: 100) { edges { node {
  name description status kind
  categories { slug }
  options { name values }
  attributes { slug values }
  variants { sku name barcode price { amount currency } selectedOptions { name value } }
} } } }"""
HEADER = (
    "handle,product_name,description,status,kind,categories,attributes,"
    "option1_name,option1_value,option2_name,option2_value,sku,variant_name,barcode,price,currency"
)
CATALOG = "\n".join(
    [
        HEADER,
        'hoodie,Hoodie,"Warm, soft",ACTIVE,GOODS,tops|sale,material=Cotton|Fleece,'
        "Size,S,Colour,Red,HOOD-S-RED,Hoodie S red,4006381333931,39.90,EUR",
        "hoodie,,,,,,,,M,,Red,HOOD-M-RED,Hoodie M red,,42.00,EUR",
        "hoodie,,,,,,,,M,,Blue,HOOD-M-BLUE,Hoodie M blue,,42.00,EUR",
        "mug,Mug,,ARCHIVED,,,,,,,,MUG,Mug,,9.50,EUR",
        "",
    ]
)


@pytest.fixture
def another_database_url(database_url: str, templates: Templates, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same back-end as `database_url`."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with fresh_database(backend, templates, tmp_path) as url:
        yield url


async def prepare_catalog(graphql) -> None:
    """The categories and the attribute the sample file names."""
    for name in ("Tops", "Sale"):
        created = await graphql.admin(CREATE_CATEGORY, {"input": {"name": name}})
        assert created["createCategory"]["userErrors"] == []
    await create_attribute(graphql, "Material", ["Cotton"])


def write(tmp_path: Path, text: str, name: str = "products.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def run(*args: str, database: str):
    """The command, in a thread: the app under test keeps serving meanwhile."""
    return await asyncio.to_thread(omniorder, *args, database=database)


async def products(graphql) -> dict[str, dict]:
    data = await graphql.data(PRODUCTS)
    return {edge["node"]["name"]: edge["node"] for edge in data["products"]["edges"]}


async def test_an_import_creates_products_with_variants_options_categories_and_attributes(
    graphql, database_url, tmp_path
):
    # given
    await prepare_catalog(graphql)
    # when
    imported = await run("import", str(write(tmp_path, CATALOG)), database=database_url)
    # then
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines() == [
        "products: 2 created, 0 updated, 0 skipped; variants: 4 created"
    ]
    found = await products(graphql)
    hoodie, mug = found["Hoodie"], found["Mug"]
    assert (hoodie["description"], hoodie["status"], hoodie["kind"]) == (
        "Warm, soft",
        "ACTIVE",
        "GOODS",
    )
    assert sorted(c["slug"] for c in hoodie["categories"]) == ["sale", "tops"]
    assert hoodie["options"] == [
        {"name": "Size", "values": ["S", "M"]},
        {"name": "Colour", "values": ["Red", "Blue"]},
    ]
    assert hoodie["attributes"] == [{"slug": "material", "values": ["Cotton", "Fleece"]}]
    assert [
        (v["sku"], v["name"], v["barcode"], v["price"]["amount"], v["price"]["currency"])
        for v in hoodie["variants"]
    ] == [
        ("HOOD-S-RED", "Hoodie S red", "4006381333931", "39.90", "EUR"),
        ("HOOD-M-RED", "Hoodie M red", None, "42.00", "EUR"),
        ("HOOD-M-BLUE", "Hoodie M blue", None, "42.00", "EUR"),
    ]
    assert hoodie["variants"][2]["selectedOptions"] == [
        {"name": "Size", "value": "M"},
        {"name": "Colour", "value": "Blue"},
    ]
    assert (mug["status"], mug["options"], mug["categories"]) == ("ARCHIVED", [], [])


async def test_every_error_is_reported_with_its_line_and_column_and_nothing_is_imported(
    graphql, database_url, tmp_path
):
    # given a file whose rows are fine but for what only the database knows
    await prepare_catalog(graphql)
    bad = CATALOG + "\n".join(
        [
            "cap,Cap,,,,hats,,,,,,CAP,Cap,,12.00,EUR",
            "scarf,Scarf,,,,,colour=Red,,,,,SCARF,Scarf,,1.999,EUR",
            "again,Again,,,,,,,,,,MUG,Mug again,,1.00,EUR",
            "",
        ]
    )
    # when
    refused = await run("import", str(write(tmp_path, bad)), database=database_url)
    # then
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"{tmp_path / 'products.csv'}:6: categories: no category hats",
        f"{tmp_path / 'products.csv'}:7: price: amount 1.999 has more decimals than EUR has (2)",
        f"{tmp_path / 'products.csv'}:8: sku: SKU MUG already exists",
        "3 errors: nothing imported",
    ]
    assert await products(graphql) == {}


async def test_a_dry_run_checks_the_file_and_keeps_nothing(graphql, database_url, tmp_path):
    # given
    await prepare_catalog(graphql)
    # when
    tried = await run("import", str(write(tmp_path, CATALOG)), "--dry-run", database=database_url)
    # then
    assert tried.returncode == 0, tried.stderr
    assert tried.stdout.splitlines() == [
        "products: 2 created, 0 updated, 0 skipped; variants: 4 created"
        " (dry run: nothing would be kept)"
    ]
    assert await products(graphql) == {}


async def test_products_already_there_are_skipped_or_with_update_updated(
    graphql, database_url, tmp_path
):
    # given
    await prepare_catalog(graphql)
    assert (
        await run("import", str(write(tmp_path, CATALOG)), database=database_url)
    ).returncode == 0
    changed = CATALOG.replace("9.50,EUR", "11.00,EUR").replace("ARCHIVED", "ACTIVE")
    changed = changed.replace("tops|sale,material=Cotton|Fleece", "sale,material=Cotton")
    path = write(tmp_path, changed, "changed.csv")
    # when
    skipped = await run("import", str(path), database=database_url)
    unchanged = await products(graphql)
    updated = await run("import", str(path), "--update", database=database_url)
    # then
    assert skipped.stdout.splitlines() == [
        "skipped hoodie: its SKUs exist (--update to update it)",
        "skipped mug: its SKUs exist (--update to update it)",
        "products: 0 created, 0 updated, 2 skipped; variants: 0 created",
    ]
    assert unchanged["Mug"]["variants"][0]["price"]["amount"] == "9.50"
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.splitlines() == [
        "products: 0 created, 2 updated, 0 skipped; variants: 0 created"
    ]
    found = await products(graphql)
    assert (found["Mug"]["status"], found["Mug"]["variants"][0]["price"]["amount"]) == (
        "ACTIVE",
        "11.00",
    )
    assert found["Hoodie"]["categories"] == [{"slug": "sale"}]
    assert found["Hoodie"]["attributes"] == [{"slug": "material", "values": ["Cotton"]}]


async def test_export_then_import_into_an_empty_catalog_then_export_gives_the_same_file(
    graphql, database_url, another_database_url, tmp_path
):
    # given a catalog imported, and another database with its categories and attribute only
    await prepare_catalog(graphql)
    assert (
        await run("import", str(write(tmp_path, CATALOG)), database=database_url)
    ).returncode == 0
    another = Database(another_database_url)
    try:
        async with client_of(build_app(another)) as other:
            await prepare_catalog(other)
    finally:
        await another.dispose()
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    # when
    exported = await run("export", "--output", str(first), database=database_url)
    imported = await run("import", str(first), database=another_database_url)
    again = await run("export", "--output", str(second), database=another_database_url)
    # then
    assert exported.stdout == f"wrote 2 products to {first}\n"
    assert imported.returncode == 0, imported.stderr
    assert again.returncode == 0, again.stderr
    assert second.read_text() == first.read_text()
    assert first.read_text().splitlines()[1:3] == [
        'hoodie,Hoodie,"Warm, soft",ACTIVE,GOODS,sale|tops,material=Cotton|Fleece,'
        "Size,S,Colour,Red,,,HOOD-S-RED,Hoodie S red,4006381333931,39.90,EUR",
        "hoodie,,,,,,,,M,,Red,,,HOOD-M-RED,Hoodie M red,,42.00,EUR",
    ]


async def test_export_writes_the_header_alone_for_an_empty_catalog(database_url):
    exported = await run("export", database=database_url)

    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == [
        "handle,product_name,description,status,kind,categories,attributes,"
        "option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,"
        "sku,variant_name,barcode,price,currency"
    ]


async def test_a_file_that_is_missing_or_not_utf8_stops_the_import(database_url, tmp_path):
    # given
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        "handle,product_name,sku,price,currency\nc,Caf\xe9,C,1,EUR\n".encode("latin-1")
    )
    # when
    missing = await run("import", str(tmp_path / "none.csv"), database=database_url)
    undecodable = await run("import", str(latin), database=database_url)
    # then
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"omniorder: cannot read {tmp_path / 'none.csv'}: ")
    assert undecodable.returncode == 2
    assert undecodable.stderr.startswith(f"omniorder: {latin} is not a UTF-8 CSV file")
