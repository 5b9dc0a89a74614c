"""Product media over GraphQL: images uploaded as multipart requests (the GraphQL multipart
request spec), placed and ordered on products and variants, served at /media/{key}."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from api.settings import MediaSettings
from domain.access import Role
from tests.api.conftest import GraphQL, build_app, client_of

MAX_BYTES = 20_000
ADD_MEDIA = """
mutation($input: AddProductMediaInput!) {
  addProductMedia(input: $input) {
    media {
      id url alt position contentType width height byteSize createdAt
      product { name }
      variants { sku }
    }
    userErrors { field code message }
  }
}"""
UPDATE_MEDIA = """
mutation($input: UpdateProductMediaInput!) {
  updateProductMedia(input: $input) {
    media { id alt variants { sku } }
    userErrors { field code message }
  }
}"""
REORDER_MEDIA = """
mutation($input: ReorderProductMediaInput!) {
  reorderProductMedia(input: $input) {
    product { media { alt position } }
    userErrors { field code message }
  }
}"""
DELETE_MEDIA = """
mutation($input: DeleteProductMediaInput!) {
  deleteProductMedia(input: $input) {
    product { media { alt } }
    userErrors { field code message }
  }
}"""
CATALOG = """
{
  products(first: 10) {
    edges { node { id name media { alt url } variants { id sku media { alt } } } }
  }
}"""
MEDIA_NODE = "query($id: ID!) { node(id: $id) { ... on ProductMedia { alt product { name } } } }"


def image(kind: str = "PNG", size: tuple[int, int] = (3, 2), colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
async def client(database, media_dir):  # type: ignore[no-untyped-def]
    settings = MediaSettings(directory=str(media_dir), max_bytes=MAX_BYTES)
    async with client_of(build_app(database, media=settings)) as graphql:
        yield graphql


async def upload(
    client: GraphQL,
    product_id: str,
    data: bytes,
    content_type: str = "image/png",
    *,
    alt: str = "",
    variant_ids: list[str] | None = None,
    role: Role | None = Role.ADMIN,
) -> dict[str, Any]:
    """addProductMedia, as a multipart request with the file as part "0"."""
    operations = {
        "query": ADD_MEDIA,
        "variables": {
            "input": {
                "productId": product_id,
                "file": None,
                "alt": alt,
                "variantIds": variant_ids or [],
            }
        },
    }
    headers = {"Authorization": f"Bearer {client.token(role)}"} if role else {}
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("picture", data, content_type)},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


async def catalog(client: GraphQL) -> dict[str, dict[str, Any]]:
    """The products by name."""
    data = await client.admin(CATALOG)
    return {edge["node"]["name"]: edge["node"] for edge in data["products"]["edges"]}


async def added(
    client: GraphQL, product_id: str, data: bytes, *args: Any, **kwargs: Any
) -> dict[str, Any]:
    body = await upload(client, product_id, data, *args, **kwargs)
    assert "errors" not in body, body
    payload = body["data"]["addProductMedia"]
    assert payload["userErrors"] == []
    return payload["media"]


async def test_an_uploaded_image_is_served_with_its_bytes_and_cache_headers(client, shop):
    # given a product
    tee = (await catalog(client))["T-shirt"]
    picture = image("PNG", (3, 2))

    # when an admin uploads a PNG for it
    media = await added(client, tee["id"], picture, alt="Front")

    # then the image is described as its bytes are
    assert media["alt"] == "Front"
    assert media["position"] == 0
    assert (media["contentType"], media["width"], media["height"]) == ("image/png", 3, 2)
    assert media["byteSize"] == len(picture)
    assert media["product"] == {"name": "T-shirt"}
    assert media["url"].startswith("/media/") and media["url"].endswith(".png")
    # and its URL serves the very bytes, cacheable for ever
    served = await client.http.get(media["url"])
    assert served.status_code == 200
    assert served.content == picture
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = served.headers["etag"]
    revalidated = await client.http.get(media["url"], headers={"if-none-match": etag})
    assert revalidated.status_code == 304
    # and the product lists it
    assert (await catalog(client))["T-shirt"]["media"] == [{"alt": "Front", "url": media["url"]}]


async def test_a_products_media_keep_their_order_and_a_variant_shows_its_own(client, shop):
    # given a product with two variants
    tee = (await catalog(client))["T-shirt"]
    medium = next(v for v in tee["variants"] if v["sku"] == "TEE-M")

    # when three images are added, the last two shown for the medium size
    await added(client, tee["id"], image(colour="red"), alt="Front")
    await added(
        client,
        tee["id"],
        image("JPEG", colour="blue"),
        "image/jpeg",
        alt="Back",
        variant_ids=[medium["id"]],
    )
    last = await added(
        client, tee["id"], image("WEBP"), "image/webp", alt="Side", variant_ids=[medium["id"]]
    )

    # then they are listed in the order they came, and the variant lists its own
    assert last["variants"] == [{"sku": "TEE-M"}]
    product = (await catalog(client))["T-shirt"]
    assert [m["alt"] for m in product["media"]] == ["Front", "Back", "Side"]
    media_by_sku = {v["sku"]: [m["alt"] for m in v["media"]] for v in product["variants"]}
    assert media_by_sku == {"TEE-S": [], "TEE-M": ["Back", "Side"]}


async def test_an_image_is_found_by_its_id(client, shop):
    tee = (await catalog(client))["T-shirt"]
    media = await added(client, tee["id"], image(), alt="Front")

    data = await client.data(MEDIA_NODE, {"id": media["id"]})

    assert data["node"] == {"alt": "Front", "product": {"name": "T-shirt"}}


async def test_reordering_puts_the_media_in_the_order_given(client, shop):
    # given three images
    tee = (await catalog(client))["T-shirt"]
    ids = [
        (await added(client, tee["id"], image(colour=colour), alt=colour))["id"]
        for colour in ("red", "green", "blue")
    ]

    # when they are reordered
    data = await client.admin(
        REORDER_MEDIA, {"input": {"productId": tee["id"], "mediaIds": [ids[2], ids[0], ids[1]]}}
    )

    # then the product shows the new order
    payload = data["reorderProductMedia"]
    assert payload["userErrors"] == []
    assert payload["product"]["media"] == [
        {"alt": "blue", "position": 0},
        {"alt": "red", "position": 1},
        {"alt": "green", "position": 2},
    ]


async def test_a_reorder_must_name_every_image_once(client, shop):
    tee = (await catalog(client))["T-shirt"]
    ids = [(await added(client, tee["id"], image(colour=c), alt=c))["id"] for c in ("red", "blue")]

    for media_ids in ([ids[0]], [ids[0], ids[0]], [ids[1], ids[0], ids[0]]):
        data = await client.admin(
            REORDER_MEDIA, {"input": {"productId": tee["id"], "mediaIds": media_ids}}
        )
        assert data["reorderProductMedia"]["userErrors"][0]["code"] == "INVALID_INPUT"

    assert [m["alt"] for m in (await catalog(client))["T-shirt"]["media"]] == ["red", "blue"]


async def test_alt_text_and_variants_can_change(client, shop):
    # given an image of the whole product
    tee = (await catalog(client))["T-shirt"]
    small = next(v for v in tee["variants"] if v["sku"] == "TEE-S")
    media = await added(client, tee["id"], image(), alt="Front")

    # when its alt text changes, and then it is shown for the small size
    first = await client.admin(UPDATE_MEDIA, {"input": {"id": media["id"], "alt": " Red front "}})
    second = await client.admin(
        UPDATE_MEDIA, {"input": {"id": media["id"], "variantIds": [small["id"]]}}
    )

    # then each change keeps what the other did not name
    assert first["updateProductMedia"]["media"] == {
        "id": media["id"],
        "alt": "Red front",
        "variants": [],
    }
    assert second["updateProductMedia"]["media"]["alt"] == "Red front"
    assert second["updateProductMedia"]["media"]["variants"] == [{"sku": "TEE-S"}]


async def test_an_image_shows_only_its_own_products_variants(client, shop):
    products = await catalog(client)
    mug_variant = products["Mug"]["variants"][0]["id"]

    body = await upload(client, products["T-shirt"]["id"], image(), variant_ids=[mug_variant])

    assert body["data"]["addProductMedia"]["userErrors"][0]["field"] == ["input", "variantIds"]
    assert (await catalog(client))["T-shirt"]["media"] == []


async def test_deleting_keeps_the_file_while_another_image_uses_it(client, shop, media_dir):
    # given the same bytes on two products
    products = await catalog(client)
    picture = image()
    on_tee = await added(client, products["T-shirt"]["id"], picture, alt="tee")
    on_mug = await added(client, products["Mug"]["id"], picture, alt="mug")
    assert on_tee["url"] == on_mug["url"]

    # when one is deleted, the file stays for the other
    data = await client.admin(DELETE_MEDIA, {"input": {"id": on_tee["id"]}})
    assert data["deleteProductMedia"] == {"product": {"media": []}, "userErrors": []}
    assert (await client.http.get(on_mug["url"])).content == picture

    # and when the other goes too, so does the file
    await client.admin(DELETE_MEDIA, {"input": {"id": on_mug["id"]}})
    assert (await client.http.get(on_mug["url"])).status_code == 404
    assert list(media_dir.iterdir()) == []


REFUSED_UPLOADS = [
    pytest.param(b"just words", "text/plain", "UNSUPPORTED_MEDIA_TYPE", id="type"),
    pytest.param(
        image(size=(400, 400), colour="red") + b"\0" * MAX_BYTES,
        "image/png",
        "FILE_TOO_LARGE",
        id="size",
    ),
    pytest.param(
        b"\x89PNG\r\n\x1a\n but not really", "image/png", "INVALID_IMAGE", id="not-an-image"
    ),
    pytest.param(image("JPEG"), "image/png", "INVALID_IMAGE", id="another-type"),
    pytest.param(image()[:-20], "image/png", "INVALID_IMAGE", id="truncated"),
]


@pytest.mark.parametrize(("data", "content_type", "code"), REFUSED_UPLOADS)
async def test_a_refused_upload_changes_nothing(client, shop, media_dir, data, content_type, code):
    tee = (await catalog(client))["T-shirt"]

    body = await upload(client, tee["id"], data, content_type)

    payload = body["data"]["addProductMedia"]
    assert payload["media"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "file"], code)]
    assert (await catalog(client))["T-shirt"]["media"] == []
    assert not media_dir.exists() or list(media_dir.iterdir()) == []


@pytest.mark.parametrize("role", [None, Role.CUSTOMER, Role.POS])
async def test_only_catalog_managers_add_media(client, shop, media_dir, role):
    tee = (await catalog(client))["T-shirt"]

    body = await upload(client, tee["id"], image(), role=role)

    assert body["data"]["addProductMedia"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert (await catalog(client))["T-shirt"]["media"] == []
    assert not media_dir.exists()


async def test_staff_add_media(client, shop):
    tee = (await catalog(client))["T-shirt"]

    media = await added(client, tee["id"], image(), role=Role.STAFF)

    assert media["position"] == 0


async def test_an_upload_far_above_the_limit_is_refused_before_it_is_read(client, shop):
    tee = (await catalog(client))["T-shirt"]

    operations = {
        "query": ADD_MEDIA,
        "variables": {"input": {"productId": tee["id"], "file": None}},
    }
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("big", b"\0" * (MAX_BYTES + 2 * 1024 * 1024), "image/png")},
        headers={"Authorization": f"Bearer {client.token(Role.ADMIN)}"},
    )

    assert response.status_code == 413
    assert (await catalog(client))["T-shirt"]["media"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media/%2E%2E%2Fsecret.png",
        "/media/" + "0" * 64 + ".png",
        "/media/" + "0" * 64 + ".txt",
        "/media/secret.png",
    ],
)
async def test_only_stored_media_keys_are_served(client, media_dir, path):
    # given files beside and inside the media directory that are no media
    media_dir.mkdir(parents=True)
    (media_dir.parent / "secret.png").write_bytes(b"not yours")
    (media_dir / "secret.png").write_bytes(b"not yours")

    response = await client.http.get(path)

    assert response.status_code == 404
    assert b"not yours" not in response.content


async def test_a_file_must_come_as_a_part_of_a_multipart_request(client, shop):
    tee = (await catalog(client))["T-shirt"]

    data = await client.admin(ADD_MEDIA, {"input": {"productId": tee["id"], "file": "aGVsbG8="}})

    errors = data["addProductMedia"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "file"], "INVALID_INPUT")]
    assert (await catalog(client))["T-shirt"]["media"] == []


async def test_images_added_at_once_to_one_product_each_get_their_own_place(client, shop):
    # given a product
    tee = (await catalog(client))["T-shirt"]
    colours = ["red", "green", "blue", "white", "black", "yellow"]

    # when images are uploaded to it all at once
    bodies = await asyncio.gather(
        *(upload(client, tee["id"], image(colour=c), alt=c) for c in colours)
    )

    # then each is placed once, in its own position, with no position twice
    assert all(body["data"]["addProductMedia"]["userErrors"] == [] for body in bodies)
    positions = [body["data"]["addProductMedia"]["media"]["position"] for body in bodies]
    assert sorted(positions) == list(range(len(colours)))
    listed = (await catalog(client))["T-shirt"]["media"]
    assert sorted(m["alt"] for m in listed) == sorted(colours)
