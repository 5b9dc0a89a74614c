"""wholesale terms: customer groups, their prices; unique normalised customer phones

Revision ID: c5a1e0000005
Revises: c5a1e0000004
Create Date: 2026-11-25 21:00:00
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "c5a1e0000005"
down_revision: str | None = "c5a1e0000004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The rule of domain/model/customers.py `normalise_phone`, as it stood for this revision.
PHONE_SEPARATORS = re.compile(r"[\s\-.()]")
PHONE_PATTERN = re.compile(r"\+?[0-9]{6,20}")
AUTHOR = "migration c5a1e0000005"


def upgrade() -> None:
    op.create_table(
        "customer_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("discount_basis_points", sa.Integer(), nullable=True),
        sa.Column("minimum_line_quantity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_groups")),
        sa.UniqueConstraint("code", name=op.f("uq_customer_groups_code")),
    )
    op.create_table(
        "customer_group_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("minimum_quantity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["customer_groups.id"],
            name=op.f("fk_customer_group_prices_group_id_customer_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["variant_id"],
            ["variants.id"],
            name=op.f("fk_customer_group_prices_variant_id_variants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_group_prices")),
        sa.UniqueConstraint(
            "group_id", "variant_id", name=op.f("uq_customer_group_prices_group_id")
        ),
    )
    with op.batch_alter_table("customer_group_prices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_group_prices_variant_id"), ["variant_id"], unique=False
        )

    _normalise_phones()
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_group_id_customer_groups"),
            "customer_groups",
            ["group_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_customers_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_customers_phone"), ["phone"], unique=True)


def _normalise_phones() -> None:
    """Write every stored phone the one normalised way. A phone that is not a phone number,
    or that an older customer already has, is cleared; a service note keeps what it was."""
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
    rows = connection.execute(
        sa.select(customers.c.id, customers.c.phone)
        .where(customers.c.phone.is_not(None))
        .order_by(customers.c.id)
    ).all()
    owners: dict[str, int] = {}
    now = datetime.now(UTC)
    for customer_id, phone in rows:
        normalised = PHONE_SEPARATORS.sub("", phone) or None  # blank: no phone
        why = None
        if normalised is None:
            pass
        elif not PHONE_PATTERN.fullmatch(normalised):
            why = "it is not a phone number"
        elif normalised in owners:
            why = f"customer {owners[normalised]} has the same number"
        else:
            owners[normalised] = customer_id
        if normalised != phone or why is not None:
            connection.execute(
                customers.update()
                .where(customers.c.id == customer_id)
                .values(phone=None if why else normalised)
            )
        if why is not None:
            connection.execute(
                notes.insert().values(
                    customer_id=customer_id,
                    note=f"Phone {phone!r} was removed when phone numbers became unique: {why}.",
                    author=AUTHOR,
                    created_at=now,
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_phone"))
        batch_op.drop_index(batch_op.f("ix_customers_group_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_customers_group_id_customer_groups"), type_="foreignkey"
        )
        batch_op.drop_column("group_id")

    with op.batch_alter_table("customer_group_prices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_group_prices_variant_id"))

    op.drop_table("customer_group_prices")
    op.drop_table("customer_groups")
