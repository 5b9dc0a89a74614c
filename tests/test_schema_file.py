"""schema.graphql is the contract with every client: it must match the code."""

from pathlib import Path

from api.schema import schema

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"


def test_printed_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text() == schema.as_str() + "\n", (
        "schema.graphql is stale: run `make schema` and commit it"
    )


def test_every_type_and_field_has_a_description():
    undocumented = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not graphql_type.description:
            undocumented.append(name)
        for field_name, field in (getattr(graphql_type, "fields", None) or {}).items():
            if not field.description:
                undocumented.append(f"{name}.{field_name}")
    assert undocumented == []
