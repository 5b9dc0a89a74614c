"""Product media: images of a product, some of them shown for particular variants.

An image is stored once under a key made from its bytes (`media_key`), so a key never
changes meaning: the same bytes uploaded twice share one stored object, and a URL built on
a key may be cached for ever. What may be uploaded is decided here, before anything is
stored: the declared type must be one the catalog takes (`check_upload`, which also
refuses a file above the size limit before it is read), and the decoded bytes must really
be an image of that type (`check_image`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.errors import FileTooLarge, InvalidImage, InvalidInput, UnsupportedMediaType

# The content types the catalog takes, with the file extension of their keys.
IMAGE_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
}
MAX_ALT_LENGTH = 500
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What decoding an image's bytes told: its real type and its size in pixels."""

    content_type: str
    width: int
    height: int


@dataclass
class ProductMedia:
    product_id: int
    key: str
    alt: str
    content_type: str
    width: int
    height: int
    byte_size: int
    position: int
    created_at: datetime
    variant_ids: tuple[int, ...] = field(default=())
    id: int | None = None


def check_upload(content_type: str, byte_size: int, max_bytes: int, *, field: str) -> str:
    """The declared content type, normalised, if the catalog takes it and the file is not
    above `max_bytes`; decided before the file is read."""
    normalised = content_type.split(";")[0].strip().lower()
    if normalised not in IMAGE_TYPES:
        raise UnsupportedMediaType(
            f"{content_type or 'a file without a type'} is not taken; send "
            + ", ".join(IMAGE_TYPES),
            field=field,
        )
    if byte_size > max_bytes:
        raise FileTooLarge(
            f"the file has {byte_size} bytes, more than the {max_bytes} allowed", field=field
        )
    if byte_size == 0:
        raise InvalidImage("the file is empty", field=field)
    return normalised


def check_image(declared: str, facts: ImageFacts | None, *, field: str) -> ImageFacts:
    """The decoded facts, if the bytes are an image of the declared type."""
    if facts is None:
        raise InvalidImage(f"the file is not a readable {declared} image", field=field)
    if facts.content_type != declared:
        raise InvalidImage(
            f"the file was sent as {declared} but is {facts.content_type}", field=field
        )
    return facts


def media_key(data: bytes, content_type: str) -> str:
    """The key of these bytes: their SHA-256 and the type's extension."""
    return f"{hashlib.sha256(data).hexdigest()}.{IMAGE_TYPES[content_type]}"


def normalise_alt(alt: str, *, field: str = "alt") -> str:
    """Alt text, trimmed: at most 500 characters (what a screen reader reads out)."""
    trimmed = alt.strip()
    if len(trimmed) > MAX_ALT_LENGTH:
        raise InvalidInput(f"alt text is at most {MAX_ALT_LENGTH} characters", field=field)
    return trimmed


def unique_ids(ids: Sequence[int], *, field: str) -> tuple[int, ...]:
    """The ids in their order, each named once."""
    if len(set(ids)) != len(ids):
        raise InvalidInput("an id appears twice", field=field)
    return tuple(ids)


def reordered(current: Sequence[int], requested: Sequence[int], *, field: str) -> list[int]:
    """The media ids of a product in the requested order: every one of its media, once."""
    unique_ids(requested, field=field)
    if set(requested) != set(current):
        raise InvalidInput(
            f"name each of the product's {len(current)} media exactly once", field=field
        )
    return list(requested)
