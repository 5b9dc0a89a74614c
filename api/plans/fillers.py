"""Fillers: for each selection, a Python function written for it and compiled once, that
fills an object's dict field by field.

A generic loop over a selection's fields pays, for every field of every object, a lookup of
how the field is read and a call to complete it. The filler has that decided in its text:
a plain field is `source.attribute`, a String, ID, Int, Boolean or Float already what JSON
wants passes after a class check, relay's id is made in place, an object read off a plain
field with nothing below it to resolve (a price, a location) is filled in place by the
same function, and only the rest (other leaves, lists, objects with resolvers below) calls
its completer. Resolvers are left to `level.resolve`, which calls them and gathers what
they return for the level. The text is made only from names the schema and the document
allow (GraphQL names, Python identifiers), with every value bound by name, never spliced in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLScalarType, Undefined
from graphql.pyutils import Path
from strawberry.relay import GlobalID

from api.plans.completers import passing_check
from api.plans.shapes import FieldKind, FieldPlan, SelectionPlan


def make_filler(selection: SelectionPlan) -> Callable[..., None]:
    writer = _Writer()
    lines = ["def fill(source, out, path, level):"]
    lines.extend(writer.selection(selection, "source", "out", "    "))
    if len(lines) == 1:
        lines.append("    pass")
    namespace = dict(writer.names)
    name = f"<filler of {selection.object_type.name}>"
    exec(compile("\n".join(lines), name, "exec"), namespace)
    fill: Callable[..., None] = namespace["fill"]
    return fill


class _Writer:
    """Writes the statements of a selection, and of the selections filled in place inside
    it; each field gets a number of its own, which names what the text binds for it."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"Path": Path, "GlobalID": GlobalID, "Undefined": Undefined}
        self.count = 0

    def selection(self, selection: SelectionPlan, source: str, out: str, indent: str) -> list[str]:
        lines: list[str] = []
        for field in selection.fields:
            index = self.count
            self.count += 1
            self.names[f"field_{index}"] = field
            self.names[f"complete_{index}"] = field.complete
            statements = self.field(field, index, selection.object_type.name, source, out)
            lines.extend(indent + line for line in statements)
        return lines

    def field(
        self, field: FieldPlan, index: int, type_name: str, source: str, out: str
    ) -> list[str]:
        complete = f"complete_{index}"
        key = repr(field.key)
        if field.kind is FieldKind.TYPENAME:
            return [f"{out}[{key}] = {type_name!r}"]
        if field.kind is FieldKind.NODE_ID:
            self.names[f"class_{index}"] = field.node_class
            return [
                f"if {source}.__class__ is class_{index}:",
                f"    {out}[{key}] = {complete}(GlobalID({type_name!r}, "
                f"str({source}.{field.attribute})), None, level)",
                "else:",
                f"    level.resolve(field_{index}, {source}, {out}, path)",
            ]
        if field.kind is FieldKind.RESOLVER or not field.attribute.isidentifier():
            return [f"level.resolve(field_{index}, {source}, {out}, path)"]
        read = f"{source}.{field.attribute}"
        if field.in_place is not None:
            return self.in_place(field, index, read, out)
        check = _passing_check(field)
        if check is not None:
            return [
                f"value = {read}",
                f"{out}[{key}] = value if {check} else {complete}(value, None, level)",
            ]
        if field.needs_path:
            path = f"Path(path, {key}, {type_name!r})"
            return [f"{out}[{key}] = {complete}({read}, {path}, level)"]
        return [f"{out}[{key}] = {complete}({read}, None, level)"]

    def in_place(self, field: FieldPlan, index: int, read: str, out: str) -> list[str]:
        """An object filled in place: what its completer would do for a value that passes
        its checks (no null, no error, of the type), without a call per object; any other
        value goes to the completer, which nulls it or falls back."""
        selection = field.in_place
        assert selection is not None
        value, child = f"value_{index}", f"out_{index}"
        refused = f"{value} is None or {value} is Undefined or isinstance({value}, Exception)"
        if selection.object_type.is_type_of is not None:
            self.names[f"is_type_of_{index}"] = selection.object_type.is_type_of
            refused += f" or is_type_of_{index}({value}, None) is not True"
        return [
            f"{value} = {read}",
            f"if {refused}:",
            f"    {out}[{field.key!r}] = complete_{index}({value}, None, level)",
            "else:",
            f"    {child} = {{}}",
            *self.selection(selection, value, child, "    "),
            f"    {out}[{field.key!r}] = {child}",
        ]


def _passing_check(field: FieldPlan) -> str | None:
    """The check that a value of the field's leaf type is its own JSON value, if it has one."""
    assert field.definition is not None
    leaf = field.definition.type
    if isinstance(leaf, GraphQLNonNull):
        leaf = leaf.of_type
    if isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return passing_check(leaf)
    return None
