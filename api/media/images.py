"""The image decoder (domain/media_ports.py's `ImageDecoder`), through Pillow."""

from __future__ import annotations

import io
import warnings

from PIL import Image

from domain.model.media import IMAGE_TYPES, ImageFacts

# Pillow's format names of the types the catalog takes.
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# Above this many pixels an "image" is a decompression bomb, whatever its bytes weigh.
MAX_PIXELS = 100_000_000


class PillowImageDecoder:
    def decode(self, data: bytes) -> ImageFacts | None:
        """What the bytes are: opened and fully verified (`verify` reads every chunk and its
        checksum) by Pillow, restricted to the types the catalog takes; None for anything
        else, truncated or corrupt bytes, and images over MAX_PIXELS."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as image:
                    width, height = image.size
                    content_type = CONTENT_TYPES.get(image.format or "")
                    image.verify()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
            return None
        if content_type not in IMAGE_TYPES or width * height > MAX_PIXELS:
            return None
        return ImageFacts(content_type, width, height)
