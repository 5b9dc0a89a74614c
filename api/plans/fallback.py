"""Why a plan's run stops short and hands the operation to graphql-core."""

from __future__ import annotations

import enum


class FallBackReason(enum.Enum):
    ERROR = "error"  # a resolver raised, or a value could not be completed
    NULL_IN_NON_NULL = "null_in_non_null"


class FallBack(Exception):
    """The run stopped short: graphql-core executes the operation instead, so that the
    response, with its errors and their paths, is graphql-core's own."""

    def __init__(self, reason: FallBackReason) -> None:
        super().__init__(reason.value)
        self.reason = reason
