"""Errors as clients see them: the one place domain errors become GraphQL codes.

Two kinds reach a client:
- `userErrors { field code message }` in a mutation payload, for business-rule refusals;
- GraphQL errors with `extensions.code`, for malformed requests (`RequestError`).
Anything else is a bug: masked as "Internal server error" and logged with the request id.
"""

from __future__ import annotations

import logging
from enum import Enum

import strawberry
from graphql import GraphQLError
from strawberry.relay.types import GlobalIDValueError

from domain import errors as domain

log = logging.getLogger("omniorder.errors")
MASKED_MESSAGE = "Internal server error"


@strawberry.enum(description="Why a mutation was refused.")
class ErrorCode(Enum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_INPUT = "INVALID_INPUT"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    DUPLICATE = "DUPLICATE"
    STALE_QUANTITY = "STALE_QUANTITY"
    FORBIDDEN = "FORBIDDEN"
    BELOW_MINIMUM_QUANTITY = "BELOW_MINIMUM_QUANTITY"
    SLOT_FULL = "SLOT_FULL"


CODES: dict[type[domain.DomainError], ErrorCode] = {
    domain.NotFound: ErrorCode.NOT_FOUND,
    domain.InvalidInput: ErrorCode.INVALID_INPUT,
    domain.InsufficientStock: ErrorCode.INSUFFICIENT_STOCK,
    domain.ComponentShortage: ErrorCode.INSUFFICIENT_STOCK,
    domain.InvalidTransition: ErrorCode.INVALID_TRANSITION,
    domain.Duplicate: ErrorCode.DUPLICATE,
    domain.StaleQuantity: ErrorCode.STALE_QUANTITY,
    domain.Forbidden: ErrorCode.FORBIDDEN,
    domain.BelowMinimumQuantity: ErrorCode.BELOW_MINIMUM_QUANTITY,
    domain.SlotFull: ErrorCode.SLOT_FULL,
}


@strawberry.type(description="A reason a mutation changed nothing.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path of the input field at fault, e.g. ['lines', '0', 'sku']."
    )
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="What went wrong, for a person to act on.")


def user_error(error: domain.DomainError) -> UserError:
    code = next(code for kind, code in CODES.items() if isinstance(error, kind))
    return UserError(
        field=["input", *error.field.split(".")] if error.field else None,
        code=code,
        message=error.message,
    )


class RequestError(Exception):
    """A client mistake outside a payload (a bad argument, a read it may not make)."""

    def __init__(self, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.extensions = {"code": code}


def request_error(error: domain.DomainError) -> RequestError:
    """A refusal of a read (no payload to carry userErrors), with the userError code."""
    return RequestError(error.message, code=user_error(error).code.value)


def forbidden(message: str) -> RequestError:
    return RequestError(message, code="FORBIDDEN")


def should_mask(error: GraphQLError) -> bool:
    """Mask and log everything but validation errors and deliberate client errors."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | RequestError | GlobalIDValueError):
        return False
    log.error("unexpected error in %s", error.path, exc_info=original)
    return True
