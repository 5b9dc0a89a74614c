"""Product media in an S3-compatible bucket: moto's S3 server on a loopback port stands in
for the bucket (a real HTTP S3 endpoint, spoken to through boto3), and the image's URL is
fetched from it as a browser would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest

from api.settings import MediaSettings
from domain.access import Role
from tests.api.conftest import build_app, client_of
from tests.api.test_product_media import ADD_MEDIA, DELETE_MEDIA, catalog, image
from tests.ports import free_port

BUCKET = "shop-media"
# What docs/media.md asks of a bucket served straight to browsers: anyone may read objects.
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """moto's S3 server on a free loopback port, with a public-read bucket, and the standard AWS
    variables set as a deployment would set them."""
    port = free_port()
    moto_server = Path(sys.executable).with_name("moto_server")
    with (tmp_path / "moto.log").open("w") as log:
        process = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        for name, value in {
            "AWS_ACCESS_KEY_ID": "test-key",
            "AWS_SECRET_ACCESS_KEY": "test-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch.setenv(name, value)
        endpoint = f"http://127.0.0.1:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET)
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_an_image_goes_to_the_bucket_and_leaves_it_when_deleted(database, shop, s3_endpoint):
    # given an app whose media go to the bucket
    settings = MediaSettings(s3_bucket=BUCKET, s3_endpoint_url=s3_endpoint)
    async with client_of(build_app(database, media=settings)) as client:
        tee = (await catalog(client))["T-shirt"]
        picture = image("PNG", (6, 5))

        # when an admin uploads an image
        operations = {
            "query": ADD_MEDIA,
            "variables": {"input": {"productId": tee["id"], "file": None, "alt": "Front"}},
        }
        response = await client.http.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.input.file"]}),
            },
            files={"0": ("front.png", picture, "image/png")},
            headers={"Authorization": f"Bearer {client.token(Role.ADMIN)}"},
        )
        media = response.json()["data"]["addProductMedia"]["media"]

        # then its URL is the bucket's, which serves its bytes with their type and cache
        # headers
        assert media["url"].startswith(f"{s3_endpoint}/{BUCKET}/")
        async with httpx.AsyncClient() as browser:
            served = await browser.get(media["url"])
            assert served.status_code == 200
            assert served.content == picture
            assert served.headers["content-type"] == "image/png"
            assert served.headers["cache-control"] == "public, max-age=31536000, immutable"

            # and when it is deleted, it leaves the bucket
            await client.admin(DELETE_MEDIA, {"input": {"id": media["id"]}})
            assert (await browser.get(media["url"])).status_code == 404
