"""Rate rules: how often a caller may do one thing, read from settings such as
"5/minute;20/hour" (the `limits` library's notation, docs/configuration.md).

A rule is off (None) when its setting says "off" or "0": nothing is counted then.
`api/rate_limits.py` counts the hits.
"""

from __future__ import annotations

from dataclasses import dataclass

from limits import RateLimitItem, parse_many

OFF_SPELLINGS = frozenset({"off", "0"})


@dataclass(frozen=True)
class RateRule:
    """A named set of limits, all of which a hit must pass ("20/second;600/minute": at most
    20 in any second and 600 in any minute). The name keeps the counts of different rules
    apart, even for the same key."""

    name: str
    limits: tuple[RateLimitItem, ...]

    @classmethod
    def parse(cls, name: str, text: str) -> RateRule | None:
        """The rule `text` spells, or None if it is off; ValueError if it spells none.

        Limits are counted shortest window first, so that a refusal by a short window
        spends nothing of the longer ones.
        """
        text = text.strip()
        if text.lower() in OFF_SPELLINGS:
            return None
        try:
            items = parse_many(text)
        except ValueError:
            items = []
        if not items or any(item.amount < 1 for item in items):
            raise ValueError(
                f"expected limits such as 5/minute or 20/second;600/minute (a count of at "
                f"least 1 per second, minute, hour or day; several joined by ;), or off, "
                f"got {text!r}"
            )
        return cls(name, tuple(sorted(items, key=lambda item: item.get_expiry())))
