"""Completing a value into its JSON value, one function per shape of type: a leaf is
serialized, a list completes each item, an object is filled at once when nothing below it
calls a resolver, and otherwise queued to be filled at the next level."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLEnumType, GraphQLScalarType, Undefined, specified_scalar_types
from graphql.pyutils import Path

from api.plans.fallback import FallBack, FallBackReason
from api.plans.shapes import Completer, SelectionPlan

if TYPE_CHECKING:
    from api.plans.runner import Level

# The built-in scalars' values that pass as they are, when of exactly this class (a bool
# is no Int to JSON: graphql-core serializes it as 1 or 0; a float must be finite).
PASSING_CHECKS = {
    "String": "value.__class__ is str",
    "ID": "value.__class__ is str",
    "Boolean": "value.__class__ is bool",
    "Int": "value.__class__ is int and -2147483648 <= value <= 2147483647",
    "Float": "value.__class__ is float and value - value == 0.0",
}


def null(non_null: bool) -> None:
    if non_null:
        raise FallBack(FallBackReason.NULL_IN_NON_NULL)


def leaf_completer(leaf_type: GraphQLScalarType | GraphQLEnumType, non_null: bool) -> Completer:
    coerce = leaf_type.coerce_output_value
    fast = fast_leaf_check(leaf_type)

    def complete(value: Any, _path: Path | None, _level: Level) -> Any:
        if fast(value):
            return value
        if value is None or value is Undefined:
            return null(non_null)
        if isinstance(value, Exception):
            raise FallBack(FallBackReason.ERROR)
        try:
            coerced = coerce(value)
        except Exception as error:
            raise FallBack(FallBackReason.ERROR) from error
        if coerced is None or coerced is Undefined:
            raise FallBack(FallBackReason.ERROR)
        return coerced

    return complete


def fast_leaf_check(leaf_type: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], bool]:
    """A check that a value is already its own JSON value, for the built-in scalars (what
    their serializers give back unchanged); everything else is coerced."""
    check = passing_check(leaf_type)
    if check is None:
        return lambda _value: False
    function: Callable[[Any], bool] = eval(f"lambda value: {check}")  # our text
    return function


def passing_check(leaf_type: GraphQLScalarType | GraphQLEnumType) -> str | None:
    """The text of the check that a value of `leaf_type` is its own JSON value, if it has
    one (api/plans/fillers.py writes it inline)."""
    if leaf_type is not specified_scalar_types.get(leaf_type.name):
        return None  # a scalar of our own, or an enum: always serialized
    return PASSING_CHECKS.get(leaf_type.name)


def list_completer(item: Completer, non_null: bool) -> Completer:
    def complete(value: Any, path: Path | None, level: Level) -> Any:
        if value is None or value is Undefined:
            return null(non_null)
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            raise FallBack(FallBackReason.ERROR)
        if path is None:
            return [item(entry, None, level) for entry in value]
        return [item(entry, Path(path, index, None), level) for index, entry in enumerate(value)]

    return complete


def object_completer(selection: SelectionPlan, non_null: bool) -> Completer:
    # Strawberry's checks (made for types with interfaces) read no resolve info.
    is_type_of: Callable[[Any, Any], Any] | None = selection.object_type.is_type_of

    fill_now = not selection.calls_resolvers  # no load to batch with the level's others
    fill = selection.fill

    def complete(value: Any, path: Path | None, level: Level) -> Any:
        if value is None or value is Undefined:
            return null(non_null)
        if isinstance(value, Exception) or (
            is_type_of is not None and is_type_of(value, None) is not True
        ):
            raise FallBack(FallBackReason.ERROR)
        out: dict[str, Any] = {}
        if fill_now:
            fill(value, out, path, level)
        else:
            level.queue.append((selection, value, out, path))
        return out

    return complete
