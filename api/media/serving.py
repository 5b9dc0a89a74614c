"""GET /media/{key}: the local storage's objects, cached for ever by browsers and CDNs
(a key is its content's hash, so what a URL names never changes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from api.media.storage import CACHE_CONTROL, LocalMediaStorage
from domain.model.media import IMAGE_TYPES

CONTENT_TYPES = {extension: content_type for content_type, extension in IMAGE_TYPES.items()}


def media_endpoint(storage: LocalMediaStorage) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        key = request.path_params["key"]
        path = storage.path_of(key)  # None for anything but a media key: no "../"
        if path is None or not path.is_file():
            return PlainTextResponse("no such media", status_code=404)
        # The key's hash is the entity tag: the bytes of a key never change.
        etag = f'"{key.split(".")[0]}"'
        headers = {"cache-control": CACHE_CONTROL, "etag": etag}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        media_type = CONTENT_TYPES[key.rsplit(".", 1)[1]]
        return FileResponse(path, media_type=media_type, headers=headers)

    return serve
