"""minor units and E.164 phones

Revision ID: e1d4a0000003
Revises: e1d4a0000002
Create Date: 2026-12-04 23:55:00

Amounts: every `*_cents` column now holds the amount in its currency's minor units (ISO
4217), no longer in hundredths whatever the currency. Rows in a two-decimal currency, and
in a code ISO does not list, are already right; the others are rescaled: a JPY price of
1500 stored as 150000 becomes 1500, a BHD price of 1.25 stored as 125 becomes 1250. A
zero-decimal amount that had a fraction (1500.50 JPY) is rounded half up (1501).

Phones: every stored phone is written in E.164 ("+442079460958"), as phonenumbers reads it.
One without a country code is read as dialled in OMNIORDER_PHONE_REGION, the region the
service runs with; without it, or when it is no valid number, the phone is left as it was
typed (it is still found by a search, but a number typed again will not match it). When two
customers' phones turn out to be one number, the older customer keeps it; the newer one's
is cleared, and a service note says what it was.

The downgrade scales the amounts back; the phones stay in E.164, which the rule before
this revision also accepted.
"""

import os
from collections.abc import Sequence
from datetime import UTC, datetime

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision: str = "e1d4a0000003"
down_revision: str | None = "e1d4a0000002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUTHOR = "migration e1d4a0000003"
REGION_VARIABLE = "OMNIORDER_PHONE_REGION"
# ISO 4217's currencies whose minor unit is not two decimals, as listed on 2026-01-01
# (iso4217 1.16), frozen here so that this revision always does the same.
MINOR_UNITS = {
    0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
    3: "BHD IQD JOD KWD LYD OMR TND",
    4: "CLF UYW",
}
# (table, amount column, where its currency is: the table's own `currency`, or the
# `currency` of the document its foreign key names).
AMOUNTS = [
    ("variants", "price_cents", None),
    ("customer_group_prices", "price_cents", None),
    ("supplier_prices", "unit_cost_cents", None),
    ("orders", "total_cents", None),
    ("order_lines", "unit_price_cents", ("order_id", "orders")),
    ("pos_payments", "amount_cents", ("order_id", "orders")),
    ("returns", "refund_cents", None),
    ("purchase_orders", "total_cents", None),
    ("purchase_order_lines", "unit_cost_cents", ("purchase_order_id", "purchase_orders")),
]


def upgrade() -> None:
    for digits, codes in MINOR_UNITS.items():
        _rescale(codes.split(), digits - 2)
    _write_phones_in_e164()


def downgrade() -> None:
    for digits, codes in MINOR_UNITS.items():
        _rescale(codes.split(), 2 - digits)


def _rescale(codes: list[str], shift: int) -> None:
    """Multiply the amounts in `codes` by 10**shift; a negative shift divides, rounding
    half up (the amounts are never negative, so integer division truncates toward zero)."""
    factor = 10 ** abs(shift)
    listed = ", ".join(f"'{code}'" for code in codes)
    for table, column, parent in AMOUNTS:
        scaled = f"{column} * {factor}" if shift > 0 else f"({column} + {factor // 2}) / {factor}"
        if parent is None:
            where = f"currency IN ({listed})"
        else:
            key, documents = parent
            where = f"{key} IN (SELECT id FROM {documents} WHERE currency IN ({listed}))"
        op.execute(f"UPDATE {table} SET {column} = {scaled} WHERE {where}")


def _write_phones_in_e164() -> None:
    connection = op.get_bind()
    customers = sa.table(
        "customers", sa.column("id", sa.Integer()), sa.column("phone", sa.String())
    )
    notes = sa.table(
        "customer_notes",
        sa.column("customer_id", sa.Integer()),
        sa.column("note", sa.Text()),
        sa.column("author", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    region = os.environ.get(REGION_VARIABLE, "").strip().upper() or None
    rows = connection.execute(
        sa.select(customers.c.id, customers.c.phone)
        .where(customers.c.phone.is_not(None))
        .order_by(customers.c.id)
    ).all()
    written = {customer_id: _e164(phone, region) for customer_id, phone in rows}
    owners: dict[str, int] = {}
    for customer_id, number in written.items():
        owners.setdefault(number, customer_id)
    now = datetime.now(UTC)
    # The phones that lose first, so that no update meets a number still held.
    for customer_id, phone in rows:
        owner = owners[written[customer_id]]
        if owner != customer_id:
            connection.execute(
                customers.update().where(customers.c.id == customer_id).values(phone=None)
            )
            connection.execute(
                notes.insert().values(
                    customer_id=customer_id,
                    note=f"Phone {phone!r} was removed when phone numbers were written in "
                    f"E.164: customer {owner} has the same number.",
                    author=AUTHOR,
                    created_at=now,
                )
            )
    for customer_id, phone in rows:
        number = written[customer_id]
        if owners[number] == customer_id and number != phone:
            connection.execute(
                customers.update().where(customers.c.id == customer_id).values(phone=number)
            )


def _e164(phone: str, region: str | None) -> str:
    """The stored phone in E.164 when phonenumbers finds it a valid number; else as it is."""
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return phone
    if not phonenumbers.is_valid_number(number):
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
