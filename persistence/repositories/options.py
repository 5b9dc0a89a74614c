"""Variant options and product attributes.

A product's options are changed in place: an option or value that stays keeps its row (and
id), so the variants that select it keep it; only values no variant selects are deleted.
A variant's combination key (records/options.py) is rewritten with its values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Duplicate, OptionCombinationTaken
from domain.model.options import Attribute, AttributeValues, ProductOption, SelectedOption, describe
from persistence.records import (
    AttributeRecord,
    AttributeValueRecord,
    ProductAttributeValueRecord,
    ProductOptionRecord,
    ProductOptionValueRecord,
    ProductRecord,
    VariantOptionCombinationRecord,
    VariantOptionValueRecord,
    VariantRecord,
)


class SqlOptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def options_of(self, product_id: int) -> tuple[ProductOption, ...] | None:
        """The product's options, its row locked until the transaction ends (so changes to
        one product's options and selections run one at a time); None if it does not exist."""
        found = await self.session.scalar(
            select(ProductRecord.id).where(ProductRecord.id == product_id).with_for_update()
        )
        if found is None:
            return None
        rows = await self.session.execute(
            select(ProductOptionRecord.name, ProductOptionValueRecord.value)
            .join(
                ProductOptionValueRecord,
                ProductOptionValueRecord.option_id == ProductOptionRecord.id,
            )
            .where(ProductOptionRecord.product_id == product_id)
            .order_by(ProductOptionRecord.position, ProductOptionValueRecord.position)
        )
        options: dict[str, list[str]] = {}
        for name, value in rows:
            options.setdefault(name, []).append(value)
        return tuple(ProductOption(name, tuple(values)) for name, values in options.items())

    async def used_values(self, product_id: int) -> set[SelectedOption]:
        rows = await self.session.execute(
            select(ProductOptionRecord.name, ProductOptionValueRecord.value)
            .join(
                ProductOptionValueRecord,
                ProductOptionValueRecord.option_id == ProductOptionRecord.id,
            )
            .where(
                ProductOptionRecord.product_id == product_id,
                ProductOptionValueRecord.id.in_(select(VariantOptionValueRecord.value_id)),
            )
        )
        return {SelectedOption(name, value) for name, value in rows}

    async def set_options(self, product_id: int, options: Sequence[ProductOption]) -> None:
        """Make the product's options `options` (matched to the present ones by name, in any
        case). Values no variant selects any longer are deleted; every variant that has a
        selection gets the first value of each option that is new."""
        present = {
            record.name.casefold(): record
            for record in await self.session.scalars(
                select(ProductOptionRecord).where(ProductOptionRecord.product_id == product_id)
            )
        }
        kept_ids = []
        new_option_first_values: list[tuple[int, int]] = []
        for position, option in enumerate(options):
            record = present.pop(option.name.casefold(), None)
            if record is None:
                record = ProductOptionRecord(
                    product_id=product_id, name=option.name, position=position
                )
                self.session.add(record)
                await self.session.flush()
                first = await self._set_values(record.id, option.values)
                new_option_first_values.append((record.id, first))
            else:
                record.name, record.position = option.name, position
                await self._set_values(record.id, option.values)
            kept_ids.append(record.id)
        for dropped in present.values():
            await self._set_values(dropped.id, ())
            await self.session.delete(dropped)
        await self.session.flush()
        if new_option_first_values:
            await self._extend_selections(product_id, new_option_first_values)
        await touch_product(self.session, product_id)

    async def _set_values(self, option_id: int, values: Sequence[str]) -> int:
        """Make the option's values `values`, in order; returns the id of the first."""
        present = {
            record.value.casefold(): record
            for record in await self.session.scalars(
                select(ProductOptionValueRecord).where(
                    ProductOptionValueRecord.option_id == option_id
                )
            )
        }
        ids = []
        for position, value in enumerate(values):
            record = present.pop(value.casefold(), None)
            if record is None:
                record = ProductOptionValueRecord(
                    option_id=option_id, value=value, position=position
                )
                self.session.add(record)
            else:
                record.value, record.position = value, position
            await self.session.flush()
            ids.append(record.id)
        if present:
            await self.session.execute(
                delete(ProductOptionValueRecord).where(
                    ProductOptionValueRecord.id.in_([r.id for r in present.values()])
                )
            )
        return ids[0] if ids else 0

    async def _extend_selections(self, product_id: int, additions: list[tuple[int, int]]) -> None:
        variant_ids = list(
            await self.session.scalars(
                select(VariantOptionCombinationRecord.variant_id).where(
                    VariantOptionCombinationRecord.product_id == product_id
                )
            )
        )
        if not variant_ids:
            return
        await self.session.execute(
            insert(VariantOptionValueRecord),
            [
                {"variant_id": variant_id, "option_id": option_id, "value_id": value_id}
                for variant_id in variant_ids
                for option_id, value_id in additions
            ],
        )
        for variant_id in variant_ids:
            await self._write_combination(variant_id, product_id)

    async def variant_of(
        self, variant_id: int | None, sku: str | None
    ) -> tuple[int, int, str] | None:
        """(variant id, product id, SKU) of the variant with this id or SKU, if any."""
        query = select(VariantRecord.id, VariantRecord.product_id, VariantRecord.sku)
        query = query.where(
            VariantRecord.id == variant_id if variant_id is not None else VariantRecord.sku == sku
        )
        row = (await self.session.execute(query)).first()
        return None if row is None else (row[0], row[1], row[2])

    async def select_options(
        self, variant_id: int, product_id: int, selection: Sequence[SelectedOption]
    ) -> None:
        """Give the variant these values (one per option of its product, known to exist):
        OptionCombinationTaken when another variant of the product has them."""
        value_ids = await self._value_ids(product_id, selection)
        await self.session.execute(
            delete(VariantOptionValueRecord).where(
                VariantOptionValueRecord.variant_id == variant_id
            )
        )
        if value_ids:
            await self.session.execute(
                insert(VariantOptionValueRecord),
                [
                    {"variant_id": variant_id, "option_id": option_id, "value_id": value_id}
                    for option_id, value_id in value_ids
                ],
            )
        key = _combination(value_id for _, value_id in value_ids)
        taken_by = await self.session.scalar(
            select(VariantRecord.sku)
            .join(
                VariantOptionCombinationRecord,
                VariantOptionCombinationRecord.variant_id == VariantRecord.id,
            )
            .where(
                VariantOptionCombinationRecord.product_id == product_id,
                VariantOptionCombinationRecord.combination == key,
                VariantOptionCombinationRecord.variant_id != variant_id,
            )
        )
        if key and taken_by is not None:
            raise OptionCombinationTaken(describe(selection), sku=taken_by, field="selectedOptions")
        try:
            await self._write_combination(variant_id, product_id)
        except IntegrityError as error:  # a concurrent transaction took it meanwhile
            raise OptionCombinationTaken(describe(selection), field="selectedOptions") from error
        await touch_product(self.session, product_id)

    async def _value_ids(
        self, product_id: int, selection: Sequence[SelectedOption]
    ) -> list[tuple[int, int]]:
        rows = await self.session.execute(
            select(
                ProductOptionRecord.id,
                ProductOptionRecord.name,
                ProductOptionValueRecord.id,
                ProductOptionValueRecord.value,
            )
            .join(
                ProductOptionValueRecord,
                ProductOptionValueRecord.option_id == ProductOptionRecord.id,
            )
            .where(ProductOptionRecord.product_id == product_id)
        )
        ids = {(name, value): (option_id, value_id) for option_id, name, value_id, value in rows}
        return [ids[(s.name, s.value)] for s in selection]

    async def _write_combination(self, variant_id: int, product_id: int) -> None:
        """Rewrite the variant's combination key from its values (none: no key)."""
        value_ids = await self.session.scalars(
            select(VariantOptionValueRecord.value_id).where(
                VariantOptionValueRecord.variant_id == variant_id
            )
        )
        key = _combination(value_ids)
        await self.session.execute(
            delete(VariantOptionCombinationRecord).where(
                VariantOptionCombinationRecord.variant_id == variant_id
            )
        )
        if key:
            await self.session.execute(
                insert(VariantOptionCombinationRecord).values(
                    variant_id=variant_id, product_id=product_id, combination=key
                )
            )


async def touch_product(session: AsyncSession, product_id: int) -> None:
    """Mark the product changed (its options, selections or attributes)."""
    await session.execute(
        update(ProductRecord)
        .where(ProductRecord.id == product_id)
        .values(updated_at=datetime.now(UTC))
    )


def _combination(value_ids: Iterable[int]) -> str:
    return ",".join(str(value_id) for value_id in sorted(value_ids))


class SqlAttributeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, attribute: Attribute) -> Attribute:
        record = AttributeRecord(
            name=attribute.name, slug=attribute.slug, created_at=datetime.now(UTC)
        )
        self.session.add(record)
        try:
            await self.session.flush()
        except IntegrityError as error:
            raise Duplicate(f"attribute {attribute.slug} exists", field="slug") from error
        await self._add_values(record.id, attribute.values, start=0)
        return Attribute(attribute.name, attribute.slug, attribute.values, id=record.id)

    async def by_slugs(self, slugs: Sequence[str]) -> dict[str, Attribute]:
        """The attributes of these slugs, locked (so values added to one are added once)."""
        records = list(
            await self.session.scalars(
                select(AttributeRecord)
                .where(AttributeRecord.slug.in_(list(slugs)))
                .with_for_update()
            )
        )
        rows = await self.session.execute(
            select(AttributeValueRecord.attribute_id, AttributeValueRecord.value)
            .where(AttributeValueRecord.attribute_id.in_([r.id for r in records]))
            .order_by(AttributeValueRecord.attribute_id, AttributeValueRecord.position)
        )
        values: dict[int, list[str]] = {}
        for attribute_id, value in rows:
            values.setdefault(attribute_id, []).append(value)
        return {
            r.slug: Attribute(r.name, r.slug, tuple(values.get(r.id, [])), id=r.id) for r in records
        }

    async def add_values(self, attribute: Attribute, values: Sequence[str]) -> None:
        await self._add_values(attribute.id or 0, values, start=len(attribute.values))

    async def _add_values(self, attribute_id: int, values: Sequence[str], *, start: int) -> None:
        if values:
            await self.session.execute(
                insert(AttributeValueRecord),
                [
                    {"attribute_id": attribute_id, "value": value, "position": start + index}
                    for index, value in enumerate(values)
                ],
            )

    async def set_product_values(
        self, product_id: int, attributes: Sequence[tuple[Attribute, AttributeValues]]
    ) -> None:
        """Make the product's attribute values exactly these (all known to their attributes)."""
        await self.session.execute(
            delete(ProductAttributeValueRecord).where(
                ProductAttributeValueRecord.product_id == product_id
            )
        )
        wanted = [(a.id, v) for a, chosen in attributes for v in chosen.values]
        if not wanted:
            return
        rows = await self.session.execute(
            select(
                AttributeValueRecord.id,
                AttributeValueRecord.attribute_id,
                AttributeValueRecord.value,
            ).where(AttributeValueRecord.attribute_id.in_([a.id for a, _ in attributes]))
        )
        ids: dict[tuple[int | None, str], int] = {
            (attribute_id, value): value_id for value_id, attribute_id, value in rows
        }
        await self.session.execute(
            insert(ProductAttributeValueRecord),
            [{"product_id": product_id, "value_id": ids[key]} for key in wanted],
        )
        await touch_product(self.session, product_id)
