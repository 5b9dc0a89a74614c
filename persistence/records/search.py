"""Full-text search indexes of the catalog, which the models do not describe.

SQLite keeps a products' FTS5 table, `product_search` (rowid = product id; its name, its
description, its variants' SKUs and names), filled by triggers on products and variants;
FTS5 keeps it in shadow tables named `product_search_*`. PostgreSQL indexes expressions
instead (GIN over `to_tsvector('simple', …)` of products and of variants), which no
trigger has to keep. The migration `2026_12_06_product_search.py` creates both; the
autogenerate comparison leaves them out (`described_by_the_models`).
"""

from __future__ import annotations

from typing import Any

SEARCH_TABLE = "product_search"
SEARCH_INDEXES = frozenset({"ix_products_search", "ix_variants_search"})


def described_by_the_models(name: str | None, type_: str, parents: Any) -> bool:
    """Alembic's `include_name`: False for the search tables and indexes above."""
    if name is None:
        return True
    if type_ == "table":
        return name != SEARCH_TABLE and not name.startswith(f"{SEARCH_TABLE}_")
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True
