"""Codes and names as admins type them: one rule for every kind of thing that has them.

A code (a tax class, a shipping zone or method, a voucher) is matched in any case: it is
kept upper case, checked against its kind's pattern. A name is kept with its spaces
collapsed, 1 to its kind's limit of characters.
"""

from __future__ import annotations

import re

from domain.errors import InvalidInput

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")  # 1-32 letters, digits, '_', '-'


def normalised_code(
    code: str,
    *,
    kind: str,
    field: str,
    pattern: re.Pattern[str] = CODE_PATTERN,
    rule: str = "1-32 letters, digits, '_' or '-'",
) -> str:
    candidate = code.strip().upper()
    if not pattern.fullmatch(candidate):
        raise InvalidInput(f"{kind} {code!r} must be {rule}", field=field)
    return candidate


def display_name(name: str, *, kind: str, limit: int, field: str = "name") -> str:
    text = " ".join(name.split())
    if not text or len(text) > limit:
        raise InvalidInput(f"{kind}'s name is 1-{limit} characters", field=field)
    return text
