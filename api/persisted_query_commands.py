"""`omniorder persisted-queries add|list|remove`: the allow-list, kept by operators.

`add` reads an Apollo persisted query manifest, as @apollo/generate-persisted-query-manifest
writes it:

    {"format": "apollo-persisted-query-manifest", "version": 1,
     "operations": [{"id": "<sha256 of body>", "name": "Cart", "type": "query",
                     "body": "query Cart { … }"}]}

and registers every operation in it, after checking each against the schema: a manifest
with one bad operation registers nothing. Servers see a change within seconds
(ALLOW_LIST_REFRESH_SECONDS).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse, validate

from api.persisted_queries import SHA256_HEX, sha256_hex
from persistence import persisted_queries
from persistence.database import Database
from persistence.persisted_queries import PersistedQuery

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
OPERATION_TYPES = ("query", "mutation", "subscription")
MAX_NAME_LENGTH = 255  # persisted_queries.name


class ManifestRefused(ValueError):
    """The manifest cannot be registered; the message says which operation and why."""


def read_manifest(path: Path, schema: Any) -> list[PersistedQuery]:
    """The operations of the manifest at `path`, each checked: its id is the SHA-256 of
    its body, and its body is one operation of its type that validates against `schema`."""
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestRefused(f"cannot read {path}: {error}") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != MANIFEST_FORMAT
        or manifest.get("version") != 1
        or not isinstance(manifest.get("operations"), list)
    ):
        raise ManifestRefused(
            f'{path} is no persisted query manifest: expected {{"format": "{MANIFEST_FORMAT}",'
            ' "version": 1, "operations": [...]}'
        )
    return [_operation(item, index, schema) for index, item in enumerate(manifest["operations"])]


def _operation(item: object, index: int, schema: Any) -> PersistedQuery:
    where = f"operations[{index}]"
    if not isinstance(item, dict) or not all(
        isinstance(item.get(key), str) for key in ("id", "name", "type", "body")
    ):
        raise ManifestRefused(f"{where} must have the strings id, name, type and body")
    if len(item["name"]) > MAX_NAME_LENGTH:
        raise ManifestRefused(f"{where}: name must be at most {MAX_NAME_LENGTH} characters")
    where = f"{where} ({item['name']})"
    if not SHA256_HEX.fullmatch(item["id"]) or item["id"] != sha256_hex(item["body"]):
        raise ManifestRefused(f"{where}: id is not the SHA-256 of body in lowercase hex")
    if item["type"] not in OPERATION_TYPES:
        raise ManifestRefused(f"{where}: type must be one of {', '.join(OPERATION_TYPES)}")
    try:
        document = parse(item["body"])
    except GraphQLError as error:
        raise ManifestRefused(f"{where}: body is not GraphQL: {error.message}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation.value != item["type"]:
        raise ManifestRefused(f"{where}: body must hold one {item['type']} operation")
    errors = validate(schema._schema, document)
    if errors:
        raise ManifestRefused(f"{where}: {errors[0].message}")
    return PersistedQuery(item["id"], item["name"], item["type"], item["body"])


async def add(database: Database, queries: Sequence[PersistedQuery]) -> list[str]:
    """Registers the queries not registered yet; the hashes it added."""
    async with database.writing() as session, session.begin():
        return await persisted_queries.add(session, queries, datetime.now(UTC))


async def listed(database: Database) -> list[PersistedQuery]:
    async with database.read_session() as session:
        return await persisted_queries.listed(session)


async def remove(database: Database, query_id: str) -> bool:
    async with database.writing() as session, session.begin():
        return await persisted_queries.remove(session, query_id)
