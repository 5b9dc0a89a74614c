"""structured addresses

Revision ID: e1d4a0000015
Revises: e1d4a0000012
Create Date: 2026-12-06 12:00:00

Orders' shipping addresses and customers' addresses become JSON documents of named fields
(domain/model/addresses.py). An address stored as free text keeps its text as `line1`,
with no country (and no other field): nothing in it can be told apart safely, so it is
shown as it was typed and never validated again; new addresses always have a country.
The downgrade writes each address back as one line of text, its fields joined by ", ".
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "e1d4a0000015"
down_revision: str | None = "e1d4a0000012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")
FIELDS = ("name", "company", "line1", "line2", "city", "postal_code", "region", "country")
# (table, column, nullable)
ADDRESS_COLUMNS = (("orders", "shipping_address", True), ("customer_addresses", "address", False))


def upgrade() -> None:
    for table, column, nullable in ADDRESS_COLUMNS:
        _convert(table, column, nullable, (sa.Text(), JSON_DOCUMENT), _structured)


def downgrade() -> None:
    for table, column, nullable in ADDRESS_COLUMNS:
        _convert(table, column, nullable, (JSON_DOCUMENT, sa.Text()), _text)


def _structured(text: str) -> dict[str, Any]:
    return {**dict.fromkeys((*FIELDS, "phone")), "line1": text}


def _text(address: dict[str, Any]) -> str:
    return ", ".join(str(address[name]) for name in FIELDS if address.get(name))


def _convert(
    table: str,
    column: str,
    nullable: bool,
    kinds: tuple[Any, Any],
    convert: Callable[[Any], Any],
) -> None:
    """Replace `column` of `table` (of type kinds[0]) by one of type kinds[1], each value
    `convert`ed."""
    before, after = kinds
    converted = f"{column}_converted"
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(converted, after, nullable=True))
    rows = sa.table(
        table,
        sa.column("id", sa.Integer()),
        sa.column(column, before),
        sa.column(converted, after),
    )
    connection = op.get_bind()
    found = connection.execute(
        sa.select(rows.c.id, rows.c[column]).where(rows.c[column].is_not(None))
    ).all()
    if found:
        connection.execute(
            rows.update().where(rows.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, converted: convert(value)} for row_id, value in found],
        )
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)
        batch.alter_column(
            converted, new_column_name=column, existing_type=after, nullable=nullable
        )
