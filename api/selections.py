"""What a query asks of a field: read from Strawberry's `info.selected_fields`, through
fragments, so a resolver can skip work nobody asked for (a total count) or do ahead what
will be asked next (a page's children, api/prefetch.py)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.types.nodes import SelectedField, Selection


def selections_at(info: strawberry.Info, *path: str) -> list[Selection]:
    """What the current field selects under `path` (names of fields, e.g. "edges", "node"),
    or at its top without one; empty when `path` is not selected."""
    level = [selection for field in info.selected_fields for selection in field.selections]
    for name in path:
        level = selections_under(level, name)
    return level


def selections_under(selections: Sequence[Selection], name: str) -> list[Selection]:
    """What the fields `name` of this level select; empty when none is selected."""
    return [
        selection
        for field in fields_of(selections)
        if field.name == name
        for selection in field.selections
    ]


def asks_for(selections: Sequence[Selection], name: str) -> bool:
    """Whether a field `name` is selected at this level, directly or through fragments."""
    return any(field.name == name for field in fields_of(selections))


def fields_of(selections: Sequence[Selection]) -> list[SelectedField]:
    """The fields of a level, with those of its fragments spread in."""
    fields: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            fields.append(selection)
        else:
            fields.extend(fields_of(selection.selections))
    return fields
