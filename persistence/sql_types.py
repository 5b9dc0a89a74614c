"""SQLAlchemy's statement and row types for code that takes any columns.

SQLAlchemy 2.1 types `Select` and `Row` by their columns (`Select[int, str]`); a helper
that pages, filters or reads a statement of whatever columns takes these.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from sqlalchemy import CursorResult, Result, Row, Select

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


def rows_matched(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched. `execute()` is typed as returning any
    Result; a DML statement's is a CursorResult, which counts them."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount
