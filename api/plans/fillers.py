"""Fillers: for each selection, a Python function written for it and compiled once, that
fills an object's dict field by field.

A generic loop over a selection's fields pays, for every field of every object, a lookup of
how the field is read and a call to complete it. The filler has that decided in its text:
a plain field is `source.attribute`, a String, ID, Int, Boolean or Float already what JSON
wants passes after a class check, relay's id is made in place, and only the rest (other
leaves, lists, objects) calls its completer. Resolvers are left to `level.resolve`, which
calls them and gathers what they return for the level. The text is made only from names
the schema and the document allow (GraphQL names, Python identifiers), with every value
bound by name, never spliced in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLScalarType
from graphql.pyutils import Path
from strawberry.relay import GlobalID

from api.plans.completers import passing_check
from api.plans.shapes import FieldKind, FieldPlan, SelectionPlan


def make_filler(selection: SelectionPlan) -> Callable[..., None]:
    names: dict[str, Any] = {"Path": Path, "GlobalID": GlobalID}
    lines = ["def fill(source, out, path, level):"]
    type_name = selection.object_type.name
    for index, field in enumerate(selection.fields):
        names[f"field_{index}"] = field
        names[f"complete_{index}"] = field.complete
        key = repr(field.key)
        lines.extend(_statements(field, index, key, type_name, names))
    if len(lines) == 1:
        lines.append("    pass")
    namespace = dict(names)
    exec(compile("\n".join(lines), f"<filler of {type_name}>", "exec"), namespace)
    fill: Callable[..., None] = namespace["fill"]
    return fill


def _statements(
    field: FieldPlan, index: int, key: str, type_name: str, names: dict[str, Any]
) -> list[str]:
    complete = f"complete_{index}"
    if field.kind is FieldKind.TYPENAME:
        return [f"    out[{key}] = {type_name!r}"]
    if field.kind is FieldKind.NODE_ID:
        names[f"class_{index}"] = field.node_class
        return [
            f"    if source.__class__ is class_{index}:",
            f"        out[{key}] = {complete}(GlobalID({type_name!r}, "
            f"str(source.{field.attribute})), None, level)",
            "    else:",
            f"        level.resolve(field_{index}, source, out, path)",
        ]
    if field.kind is FieldKind.RESOLVER or not field.attribute.isidentifier():
        return [f"    level.resolve(field_{index}, source, out, path)"]
    read = f"source.{field.attribute}"
    check = _passing_check(field)
    if check is not None:
        return [
            f"    value = {read}",
            f"    out[{key}] = value if {check} else {complete}(value, None, level)",
        ]
    if field.needs_path:
        path = f"Path(path, {key}, {type_name!r})"
        return [f"    out[{key}] = {complete}({read}, {path}, level)"]
    return [f"    out[{key}] = {complete}({read}, None, level)"]


def _passing_check(field: FieldPlan) -> str | None:
    """The check that a value of the field's leaf type is its own JSON value, if it has one."""
    assert field.definition is not None
    leaf = field.definition.type
    if isinstance(leaf, GraphQLNonNull):
        leaf = leaf.of_type
    if isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return passing_check(leaf)
    return None
