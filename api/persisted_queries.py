"""Persisted queries: Apollo's automatic persisted queries (APQ), and an allow-list mode.

The protocol (https://github.com/apollographql/apollo-link-persisted-queries#protocol):
a request may name its document by hash, `"extensions": {"persistedQuery": {"version": 1,
"sha256Hash": "<hex>"}}`, instead of (or besides) sending it as `query`.

- Hash only: the document stored under the hash runs; if none is, the answer is a
  `PERSISTED_QUERY_NOT_FOUND` error with status 200 (as Apollo Server answers), on which
  Apollo Client's `PersistedQueryLink` sends the request again with the document.
- Hash and document: the hash must be the document's SHA-256 (else
  `PERSISTED_QUERY_HASH_MISMATCH`); the document runs and, once it has parsed and
  validated, is stored under its hash for the next requests.

With `OMNIORDER_PERSISTED_ONLY=1` only documents an operator registered (`omniorder
persisted-queries add manifest.json`) run, named by hash or sent in full; any other is
refused (`PERSISTED_QUERY_NOT_FOUND` for an unknown hash, `PERSISTED_QUERY_NOT_ALLOWED` for
a document sent in full), and sending a document registers nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from strawberry.http import GraphQLRequestData

from api.errors import BAD_REQUEST
from api.persisted_query_stores import (
    AutomaticStore,
    InProcessStore,
    RedisStore,
    RegisteredDocuments,
)
from api.settings import PersistedQuerySettings
from persistence.database import Database

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
SUPPORTED_VERSION = 1


class PersistedQueryError(Exception):
    """A request the persisted-query protocol refuses; answered as a request error."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code

    def graphql_error(self) -> GraphQLError:
        return GraphQLError(str(self), extensions={"code": self.code})


@dataclass(frozen=True)
class Resolved:
    """The request to run, its document filled in; `register` is the hash to store the
    document under once it has run, if it is to be stored."""

    request: GraphQLRequestData
    register: str | None = None


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash a request names in `extensions.persistedQuery`, checked; None if it names
    none."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != SUPPORTED_VERSION:
        raise PersistedQueryError(
            f"Unsupported persisted query version: send "
            f'{{"persistedQuery": {{"version": {SUPPORTED_VERSION}, "sha256Hash": "…"}}}}.',
            BAD_REQUEST,
        )
    sha256_hash = persisted.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not SHA256_HEX.fullmatch(sha256_hash):
        raise PersistedQueryError(
            "persistedQuery.sha256Hash must be the document's SHA-256 in 64 lowercase hex digits.",
            BAD_REQUEST,
        )
    return sha256_hash


class PersistedQueries:
    """Turns a request that names its document by hash into one that carries it, and
    keeps the documents clients send (or, in allow-list mode, refuses those not
    registered)."""

    def __init__(
        self,
        settings: PersistedQuerySettings,
        automatic: AutomaticStore,
        registered: RegisteredDocuments,
    ) -> None:
        self.only_registered = settings.only_registered
        self.automatic = automatic
        self.registered = registered

    @classmethod
    def build(
        cls, settings: PersistedQuerySettings, database: Database, redis_url: str | None
    ) -> PersistedQueries:
        """Documents shared through Redis when there is one, else kept in this process."""
        automatic: AutomaticStore = RedisStore(redis_url) if redis_url else InProcessStore()
        return cls(settings, automatic, RegisteredDocuments(database))

    async def resolve(self, request: GraphQLRequestData) -> Resolved:
        """Raises PersistedQueryError for a request the protocol refuses."""
        sha256_hash = requested_hash(request.extensions)
        query = request.query
        if sha256_hash is None:
            if self.only_registered and query is not None:
                await self.check_registered(query)
            return Resolved(request)
        if query is None:
            document = await self._lookup(sha256_hash)
            if document is None:
                raise PersistedQueryError("PersistedQueryNotFound", NOT_FOUND)
            return Resolved(dataclasses.replace(request, query=document))
        if sha256_hex(query) != sha256_hash:
            raise PersistedQueryError(
                "persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.",
                HASH_MISMATCH,
            )
        if self.only_registered:
            await self.check_registered(query)
            return Resolved(request)
        return Resolved(request, register=sha256_hash)

    async def register(self, sha256_hash: str, document: str) -> None:
        await self.automatic.put(sha256_hash, document)

    async def close(self) -> None:
        await self.automatic.close()

    async def check_registered(self, document: str) -> None:
        """Raises PersistedQueryError unless `document` is on the allow-list."""
        if await self.registered.get(sha256_hex(document)) is None:
            raise PersistedQueryError(
                "Only registered operations run on this server (OMNIORDER_PERSISTED_ONLY): "
                "this document is not on its allow-list.",
                NOT_ALLOWED,
            )

    async def _lookup(self, sha256_hash: str) -> str | None:
        if self.only_registered:
            return await self.registered.get(sha256_hash)
        return await self.automatic.get(sha256_hash)
