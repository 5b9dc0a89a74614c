"""Configuration, read once from the environment into an immutable object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./omniorder.db"
# Good enough to try things on a laptop; production sets OMNIORDER_SECRET.
DEVELOPMENT_SECRET = "omniorder-development-secret-change-me"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret: str = DEVELOPMENT_SECRET
    redis_url: str | None = None
    token_max_age_seconds: int = 30 * 24 * 3600
    graphiql: bool = True
    # The POS change feed serves only rows stamped at least this long ago, so that a write
    # committed late cannot land behind a cursor already handed out (pos_feed_reads.py).
    pos_feed_settle_seconds: float = 2.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            secret=env.get("OMNIORDER_SECRET") or DEVELOPMENT_SECRET,
            redis_url=env.get("REDIS_URL") or None,
            graphiql=env.get("OMNIORDER_GRAPHIQL", "1") not in ("0", "false", "no"),
            pos_feed_settle_seconds=_seconds(env, "OMNIORDER_POS_FEED_SETTLE_SECONDS", 2.0),
        )

    @property
    def uses_development_secret(self) -> bool:
        return self.secret == DEVELOPMENT_SECRET


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    message = f"{name} must be a number of seconds from 0 to 3600, got {raw!r}"
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(message) from None
    if not 0 <= seconds <= 3600:  # refuses nan and inf too
        raise ValueError(message)
    return seconds
