"""Media storage adapters (domain/media_ports.py's `MediaStorage`): a local directory,
served by this app at /media/{key} (serving.py), or an S3-compatible bucket, served by the
bucket or a CDN in front of it. `media_storage(settings)` picks one: the bucket when
OMNIORDER_MEDIA_S3_BUCKET is set.

Keys are what domain/model/media.py makes (a sha256 and an extension); a key of any other
shape is never a file name here, so a key can name nothing outside the directory.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from api.settings import MediaSettings
from domain.media_ports import MediaStorage
from domain.model.media import IMAGE_TYPES

EXTENSIONS = "|".join(IMAGE_TYPES.values())
KEY_PATTERN = re.compile(rf"[0-9a-f]{{64}}\.({EXTENSIONS})")
LOCAL_URL_PREFIX = "/media/"


def is_media_key(key: str) -> bool:
    return KEY_PATTERN.fullmatch(key) is not None


class LocalMediaStorage:
    """Objects as files of one directory, named by their keys."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def path_of(self, key: str) -> Path | None:
        """The file of `key`; None for anything that is not a media key."""
        return self.directory / key if is_media_key(key) else None

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._required_path(key), data)

    def _write(self, path: Path, data: bytes) -> None:
        """Written to a temporary file then renamed, so a reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise

    async def read(self, key: str) -> bytes | None:
        path = self.path_of(key)
        if path is None:
            return None
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._required_path(key).unlink, missing_ok=True)

    def url(self, key: str) -> str:
        return LOCAL_URL_PREFIX + key

    def _required_path(self, key: str) -> Path:
        path = self.path_of(key)
        if path is None:
            raise ValueError(f"{key!r} is not a media key")
        return path


class S3MediaStorage:
    """Objects in an S3-compatible bucket, through boto3 (its calls run in a thread).
    Credentials and region come from boto3's standard chain (AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, a profile, an instance role…)."""

    def __init__(
        self, bucket: str, *, endpoint_url: str | None, public_base_url: str | None
    ) -> None:
        self.bucket = bucket
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url)
        base = public_base_url or f"{self.client.meta.endpoint_url}/{bucket}"
        self.public_base_url = base.rstrip("/")

    async def save(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
        )

    async def read(self, key: str) -> bytes | None:
        try:
            answer = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        body: bytes = await asyncio.to_thread(answer["Body"].read)
        return body

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=key)

    def url(self, key: str) -> str:
        return f"{self.public_base_url}/{key}"


# A key names its bytes for ever, so whoever serves them may cache them for ever.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def media_storage(settings: MediaSettings) -> MediaStorage:
    if settings.s3_bucket:
        return S3MediaStorage(
            settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            public_base_url=settings.s3_public_base_url,
        )
    return LocalMediaStorage(settings.directory)
