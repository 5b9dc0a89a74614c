"""Values read out of a GraphQL response, wherever in it they stand."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def strings_named(data: Any, key: str) -> Iterator[str]:
    """Every string under `key`, at any depth of `data` (dicts and lists)."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key and isinstance(value, str):
                yield value
            else:
                yield from strings_named(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from strings_named(item, key)
