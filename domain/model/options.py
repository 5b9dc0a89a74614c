"""Variant options and product attributes.

A product has ordered options ("Size": XS, S, M, L; "Colour": Red, Blue), each with its
values in order; each of its variants selects one value of every option, and no two
variants of a product select the same combination. Attributes describe a product (material,
brand): each is defined once (name, slug, known values) and a product names values of it.

Names and values keep the case they are given in; they are compared case-insensitively, so
"size" and "Size" are one option, and "m" selects "M".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import Duplicate, InvalidInput, OptionCombinationTaken

MAX_OPTIONS = 5
MAX_VALUES = 100
MAX_NAME = 100
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 64


@dataclass(frozen=True)
class ProductOption:
    """One option of a product, its values in the order a picker shows them."""

    name: str
    values: tuple[str, ...]

    def value_named(self, value: str) -> str | None:
        """This option's spelling of `value`, compared case-insensitively; None if none."""
        wanted = value.strip().casefold()
        return next((known for known in self.values if known.casefold() == wanted), None)


@dataclass(frozen=True)
class SelectedOption:
    """The value a variant has for one option of its product."""

    name: str
    value: str


@dataclass(frozen=True)
class Attribute:
    """An attribute definition: products name values of it (setProductAttributes)."""

    name: str
    slug: str
    values: tuple[str, ...]
    id: int | None = None


@dataclass(frozen=True)
class AttributeValues:
    """The values a product has for the attribute `slug`."""

    slug: str
    values: tuple[str, ...]


def _text(text: str, what: str, field: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"{what} must not be blank", field=field)
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(f"{what} is at most {MAX_NAME} characters", field=field)
    return cleaned


def distinct_texts(texts: Sequence[str], what: str, field: str) -> tuple[str, ...]:
    """`texts` stripped, none blank and none twice (in any case); `field`.N on a fault."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for index, text in enumerate(texts):
        value = _text(text, what, f"{field}.{index}")
        if value.casefold() in seen:
            raise Duplicate(f"{what} {value!r} appears twice", field=f"{field}.{index}")
        seen.add(value.casefold())
        cleaned.append(value)
    return tuple(cleaned)


def product_options(
    options: Sequence[tuple[str, Sequence[str]]], *, field: str = "options"
) -> tuple[ProductOption, ...]:
    """Options as a product keeps them: at most MAX_OPTIONS, distinct names, each with 1 to
    MAX_VALUES distinct values."""
    if len(options) > MAX_OPTIONS:
        raise InvalidInput(f"a product has at most {MAX_OPTIONS} options", field=field)
    names = distinct_texts([name for name, _ in options], "option name", field)
    result = []
    for index, (name, (_, values)) in enumerate(zip(names, options, strict=True)):
        where = f"{field}.{index}.values"
        if not values:
            raise InvalidInput(f"option {name} needs at least one value", field=where)
        if len(values) > MAX_VALUES:
            raise InvalidInput(f"option {name} has at most {MAX_VALUES} values", field=where)
        result.append(ProductOption(name, distinct_texts(values, "option value", where)))
    return tuple(result)


def option_selection(
    options: Sequence[ProductOption],
    selected: Sequence[SelectedOption],
    *,
    field: str = "selectedOptions",
) -> tuple[SelectedOption, ...]:
    """The selection of a variant: one known value of every option of its product, in the
    product's option order and spelling. A product without options takes none."""
    by_name = {option.name.casefold(): option for option in options}
    chosen: dict[str, SelectedOption] = {}
    for index, selection in enumerate(selected):
        where = f"{field}.{index}"
        option = by_name.get(selection.name.strip().casefold())
        if option is None:
            known = ", ".join(o.name for o in options) or "none"
            raise InvalidInput(
                f"the product has no option {selection.name!r} (its options: {known})",
                field=f"{where}.name",
            )
        if option.name in chosen:
            raise Duplicate(f"option {option.name} is selected twice", field=f"{where}.name")
        value = option.value_named(selection.value)
        if value is None:
            raise InvalidInput(
                f"option {option.name} has no value {selection.value!r} "
                f"(its values: {', '.join(option.values)})",
                field=f"{where}.value",
            )
        chosen[option.name] = SelectedOption(option.name, value)
    missing = [option.name for option in options if option.name not in chosen]
    if missing:
        raise InvalidInput(f"select a value of {', '.join(missing)}", field=field)
    return tuple(chosen[option.name] for option in options)


def require_distinct_combinations(
    selections: Sequence[tuple[SelectedOption, ...]], *, field: str = "variants"
) -> None:
    """No two variants of one product (`field`.N) select the same values."""
    seen: set[tuple[SelectedOption, ...]] = set()
    for index, selection in enumerate(selections):
        if selection and selection in seen:
            raise OptionCombinationTaken(
                describe(selection), field=f"{field}.{index}.selectedOptions"
            )
        seen.add(selection)


def option_key(name: str, value: str) -> tuple[str, str]:
    """How an option's value is matched: names and values in any case, spaces around them
    ignored."""
    return name.strip().casefold(), value.strip().casefold()


def dropped_in_use(new: Sequence[ProductOption], used: set[SelectedOption]) -> list[SelectedOption]:
    """The values variants select that `new` options no longer have, in a stable order."""
    kept = {option_key(option.name, value) for option in new for value in option.values}
    return sorted(
        (s for s in used if option_key(s.name, s.value) not in kept),
        key=lambda s: (s.name, s.value),
    )


def describe(selection: Sequence[SelectedOption]) -> str:
    """ "Size: M / Colour: Red", for messages."""
    return " / ".join(f"{s.name}: {s.value}" for s in selection)


def attribute_slug(name: str, slug: str | None, *, field: str = "slug") -> str:
    """The slug given (lower case letters and digits in dash-separated words), or one made
    from the name."""
    if slug is None:
        candidate = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
        field = "name"
    else:
        candidate = slug.strip().lower()
    if not SLUG_PATTERN.match(candidate) or len(candidate) > MAX_SLUG:
        raise InvalidInput(
            f"slug {candidate!r} must be 1-{MAX_SLUG} lower case letters and digits in "
            "words joined by '-'",
            field=field,
        )
    return candidate


def new_attribute(name: str, slug: str | None, values: Sequence[str]) -> Attribute:
    return Attribute(
        name=_text(name, "an attribute name", "name"),
        slug=attribute_slug(name, slug),
        values=distinct_texts(values, "attribute value", "values"),
    )


def attribute_selection(
    attribute: Attribute, values: Sequence[str], *, field: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The values a product names for `attribute`, in the definition's spelling where it
    has them, and those of them new to the definition (added to it)."""
    named = distinct_texts(values, "attribute value", field)
    known = {value.casefold(): value for value in attribute.values}
    spelled = tuple(known.get(value.casefold(), value) for value in named)
    return spelled, tuple(value for value in spelled if value.casefold() not in known)
