"""Responses encoded with orjson: several times faster than `json.dumps` on a large page.

The output is the same JSON a client decodes from `json.dumps`, written as UTF-8 rather
than with `\\uXXXX` escapes. orjson refuses what `json.dumps` accepts and a GraphQL result
may hold in odd corners (keys that are not strings, integers beyond 64 bits, in a scalar
or an error's extensions); those fall back to `json.dumps`, so no response fails to encode.
"""

from __future__ import annotations

import json

import orjson


def encode_json(data: object) -> bytes:
    """`data` as compact UTF-8 JSON."""
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
