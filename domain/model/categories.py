"""Categories (a tree: each has at most one parent) and curated collections.

A product may sit in several categories and several collections. Siblings in the tree,
and the products of a collection, are kept in a manual order: positions 1, 2, 3… with no
gaps, renumbered by every change (`place`).

Both are found by a slug: lower-case ASCII letters and digits in words joined by single
hyphens ("summer-t-shirts"), derived from the name when none is given (`slug_for`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import CategoryCycle, Duplicate, InvalidInput

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 100
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 10_000


@dataclass
class Category:
    name: str
    slug: str
    description: str = ""
    parent_id: int | None = None
    position: int = 1
    id: int | None = None


@dataclass
class Collection:
    name: str
    slug: str
    description: str = ""
    id: int | None = None


def new_slug(listing: Category | Collection, name: str | None, slug: str | None) -> str | None:
    """Rename a category or collection when a `name` is given; the slug it is to take when
    a `slug` is given (checked) and differs from its own, which the caller must find free
    before setting it; else None."""
    if name is not None:
        listing.name = checked_name(name)
    if slug is None:
        return None
    wanted = slug_for(listing.name, slug)
    return wanted if wanted != listing.slug else None


def slug_for(name: str, slug: str | None, *, field: str = "slug") -> str:
    """The slug given (any case, spaces around), checked; else the name's, made URL-safe:
    accents dropped, every run of other characters turned into one hyphen."""
    if slug is None:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        candidate = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
        candidate = candidate[:MAX_SLUG_LENGTH].rstrip("-")
        if not candidate:
            raise InvalidInput(
                f"name {name!r} has no letters or digits to make a slug of: send a slug",
                field=field,
            )
        return candidate
    candidate = slug.strip().lower()
    if len(candidate) > MAX_SLUG_LENGTH or not SLUG_PATTERN.fullmatch(candidate):
        raise InvalidInput(
            f"slug {slug!r} must be 1-{MAX_SLUG_LENGTH} lower-case letters and digits in "
            "words joined by single hyphens, e.g. summer-t-shirts",
            field=field,
        )
    return candidate


def checked_name(name: str, *, field: str = "name") -> str:
    candidate = name.strip()
    if not 1 <= len(candidate) <= MAX_NAME_LENGTH:
        raise InvalidInput(f"a name must be 1-{MAX_NAME_LENGTH} characters", field=field)
    return candidate


def checked_description(description: str, *, field: str = "description") -> str:
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(
            f"a description must be at most {MAX_DESCRIPTION_LENGTH} characters", field=field
        )
    return description


def check_parent(category_id: int, parent_chain: Sequence[int]) -> None:
    """Refuse a parent whose chain (the parent and its ancestors) holds the category: it
    would then sit below itself, and the tree would become a loop."""
    if category_id in parent_chain:
        raise CategoryCycle(
            "a category cannot be moved under itself or one of its own subcategories"
        )


def place(ordered: Sequence[int], item: int, position: int | None, *, field: str) -> list[int]:
    """`ordered` (without `item`) with `item` put at `position` (1 first; None, or past
    the end: last)."""
    rest = [key for key in ordered if key != item]
    if position is None:
        return [*rest, item]
    if position < 1:
        raise InvalidInput(f"position must be 1 or more, got {position}", field=field)
    index = min(position, len(rest) + 1) - 1
    return [*rest[:index], item, *rest[index:]]


def unique_ids(ids: Sequence[int], *, field: str, limit: int) -> list[int]:
    """Ids in the order given, each once at most, no more than `limit` of them."""
    if len(ids) > limit:
        raise InvalidInput(f"at most {limit} ids, got {len(ids)}", field=field)
    if len(set(ids)) != len(ids):
        raise Duplicate("an id appears twice", field=field)
    return list(ids)
