"""product search

Revision ID: e1d4a0000017
Revises: e1d4a0000015
Create Date: 2026-12-06 12:00:00

Full-text search over products (see persistence/records/search.py). SQLite: an FTS5 table
`product_search` (rowid = product id) of each product's name, description and variants'
SKUs and names, filled from the existing rows and kept by triggers. PostgreSQL: GIN
indexes over `to_tsvector('simple', …)` of products (name, description) and variants (SKU,
name), split into words at anything but letters and digits: the expressions the searches use.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000017"
down_revision: str | None = "e1d4a0000015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A product's variants as one text: what their row of product_search holds.
_VARIANTS_OF = (
    "(SELECT coalesce(group_concat(sku || ' ' || name, ' '), '') FROM variants "
    "WHERE product_id = {product})"
)
# PostgreSQL: the words of a text, split at anything but letters and digits (as FTS5's
# unicode61 tokenizer does; PostgreSQL's own parser would read "BEAN-1" as "bean", "-1").
_WORDS_OF = "to_tsvector('simple'::regconfig, regexp_replace({text}, '[^[:alnum:]]+', ' ', 'g'))"
_SQLITE_TRIGGERS = {
    "product_search_product_inserted": "AFTER INSERT ON products BEGIN "
    "INSERT INTO product_search (rowid, name, description, variants) "
    f"VALUES (new.id, new.name, new.description, {_VARIANTS_OF.format(product='new.id')}); END",
    "product_search_product_updated": "AFTER UPDATE OF name, description ON products BEGIN "
    "UPDATE product_search SET name = new.name, description = new.description "
    "WHERE rowid = new.id; END",
    "product_search_product_deleted": "AFTER DELETE ON products BEGIN "
    "DELETE FROM product_search WHERE rowid = old.id; END",
    "product_search_variant_inserted": "AFTER INSERT ON variants BEGIN "
    f"UPDATE product_search SET variants = {_VARIANTS_OF.format(product='new.product_id')} "
    "WHERE rowid = new.product_id; END",
    "product_search_variant_updated": "AFTER UPDATE OF sku, name, product_id ON variants BEGIN "
    f"UPDATE product_search SET variants = {_VARIANTS_OF.format(product='new.product_id')} "
    "WHERE rowid = new.product_id; "
    f"UPDATE product_search SET variants = {_VARIANTS_OF.format(product='old.product_id')} "
    "WHERE rowid = old.product_id; END",
    "product_search_variant_deleted": "AFTER DELETE ON variants BEGIN "
    f"UPDATE product_search SET variants = {_VARIANTS_OF.format(product='old.product_id')} "
    "WHERE rowid = old.product_id; END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_products_search",
            "products",
            [sa.text(_WORDS_OF.format(text="name || ' ' || description"))],
            postgresql_using="gin",
        )
        op.create_index(
            "ix_variants_search",
            "variants",
            [sa.text(_WORDS_OF.format(text="sku || ' ' || name"))],
            postgresql_using="gin",
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE product_search USING fts5("
        "name, description, variants, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO product_search (rowid, name, description, variants) "
        f"SELECT id, name, description, {_VARIANTS_OF.format(product='products.id')} "
        "FROM products"
    )
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_variants_search", table_name="variants")
        op.drop_index("ix_products_search", table_name="products")
        return
    for name in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE product_search")
