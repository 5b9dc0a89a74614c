"""Errors as clients see them: the one place domain errors become GraphQL codes.

Two kinds reach a client:
- `userErrors { field code message }` in a mutation payload, for business-rule refusals
  (an id in a mutation's input that is no id at all is one: INVALID_INPUT on its field);
- GraphQL errors with `extensions.code`, for malformed requests: ours (`RequestError`)
  name their code; those the GraphQL engine raises get one from `code_of`.
Anything else is a bug: masked as "Internal server error" (INTERNAL_SERVER_ERROR) and
logged with the request id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from enum import Enum

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from domain import errors as domain

log = logging.getLogger("omniorder.errors")
MASKED_MESSAGE = "Internal server error"
# Codes of GraphQL errors besides the ErrorCode ones (the names Apollo Server uses).
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"  # the document is not GraphQL, or is too long
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"  # it asks for what the schema does not have
BAD_REQUEST = "BAD_REQUEST"  # any other request the API will not answer
INTERNAL = "INTERNAL_SERVER_ERROR"  # a bug of ours, masked


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
    RATE_LIMITED = "RATE_LIMITED"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    ACCOUNT_NOT_VERIFIED = "ACCOUNT_NOT_VERIFIED"
    INVALID_TOKEN = "INVALID_TOKEN"
    AMOUNT_EXCEEDS_BALANCE = "AMOUNT_EXCEEDS_BALANCE"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    CREDIT_LIMIT_EXCEEDED = "CREDIT_LIMIT_EXCEEDED"
    CATEGORY_CYCLE = "CATEGORY_CYCLE"
    CATEGORY_HAS_CHILDREN = "CATEGORY_HAS_CHILDREN"
    OPTION_COMBINATION_TAKEN = "OPTION_COMBINATION_TAKEN"
    OPTION_VALUE_IN_USE = "OPTION_VALUE_IN_USE"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    INVALID_IMAGE = "INVALID_IMAGE"
    SHIPPING_UNAVAILABLE = "SHIPPING_UNAVAILABLE"
    VOUCHER_INVALID = "VOUCHER_INVALID"
    VOUCHER_USED_UP = "VOUCHER_USED_UP"


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
    domain.InvalidCredentials: ErrorCode.INVALID_CREDENTIALS,
    domain.AccountNotVerified: ErrorCode.ACCOUNT_NOT_VERIFIED,
    domain.UnusableToken: ErrorCode.INVALID_TOKEN,
    domain.AmountExceedsBalance: ErrorCode.AMOUNT_EXCEEDS_BALANCE,
    domain.PaymentDeclined: ErrorCode.PAYMENT_DECLINED,
    domain.CreditLimitExceeded: ErrorCode.CREDIT_LIMIT_EXCEEDED,
    domain.CategoryCycle: ErrorCode.CATEGORY_CYCLE,
    domain.CategoryHasChildren: ErrorCode.CATEGORY_HAS_CHILDREN,
    domain.OptionCombinationTaken: ErrorCode.OPTION_COMBINATION_TAKEN,
    domain.OptionValueInUse: ErrorCode.OPTION_VALUE_IN_USE,
    domain.NotPublished: ErrorCode.NOT_PUBLISHED,
    domain.UnsupportedMediaType: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    domain.FileTooLarge: ErrorCode.FILE_TOO_LARGE,
    domain.InvalidImage: ErrorCode.INVALID_IMAGE,
    domain.ShippingUnavailable: ErrorCode.SHIPPING_UNAVAILABLE,
    domain.VoucherInvalid: ErrorCode.VOUCHER_INVALID,
    domain.VoucherUsedUp: ErrorCode.VOUCHER_USED_UP,
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

    def __init__(self, message: str, code: str = BAD_REQUEST) -> None:
        super().__init__(message)
        self.extensions = {"code": code}


def request_error(error: domain.DomainError) -> RequestError:
    """A refusal of a read (no payload to carry userErrors), with the userError code."""
    return RequestError(error.message, code=user_error(error).code.value)


def forbidden(message: str) -> RequestError:
    return RequestError(message, code="FORBIDDEN")


def _is_client_error(error: GraphQLError) -> bool:
    """Whether the client caused it (a document, variable or argument we refuse), not a bug."""
    original = error.original_error
    return original is None or isinstance(
        original, GraphQLError | RequestError | GlobalIDValueError
    )


def should_mask(error: GraphQLError) -> bool:
    """Mask and log everything but validation errors and deliberate client errors."""
    if _is_client_error(error):
        return False
    log.error("unexpected error in %s", error.path, exc_info=error.original_error)
    return True


def code_of(error: GraphQLError) -> str:
    """The `extensions.code` of an error raised without one, by the GraphQL engine or by
    Strawberry (validation errors get VALIDATION_FAILED from `ErrorCodes` beforehand).

    A value that cannot be what its argument or input field takes is INVALID_INPUT: a
    variable that does not coerce (the error has no path: the operation never ran), or an
    argument Strawberry cannot convert, such as an id that is no global id at all.
    """
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError):
        return PARSE_FAILED
    if not _is_client_error(error):
        return INTERNAL
    if (
        error.path is None
        or isinstance(error, StrawberryInputCoercionError)
        or isinstance(original, StrawberryInputCoercionError | GlobalIDValueError)
    ):
        return ErrorCode.INVALID_INPUT.value
    return BAD_REQUEST


def give_codes(errors: list[GraphQLError], code: str | None = None) -> None:
    """Give each error without an `extensions.code` one: `code`, or else its `code_of`."""
    for error in errors:
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": code or code_of(error)}


class ErrorCodes(SchemaExtension):
    """Marks the errors of validation, which only this phase can tell from the others."""

    def on_validate(self) -> Iterator[None]:
        yield
        give_codes(self.execution_context.pre_execution_errors or [], VALIDATION_FAILED)


class MaskInternalErrors(MaskErrors):
    """Strawberry's MaskErrors, whose masked errors say INTERNAL_SERVER_ERROR too."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked
