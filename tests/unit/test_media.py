"""Rules of product media: what may be uploaded, its key, its alt text, a new order; and
the adapters' pure parts (the image decoder, the storages' keys, URLs and settings)."""

import io

import pytest
from PIL import Image

from api.media.images import PillowImageDecoder
from api.media.storage import LocalMediaStorage, S3MediaStorage, is_media_key, media_storage
from api.settings import MediaSettings, Settings, SettingsError, default_media_directory
from domain.errors import FileTooLarge, InvalidImage, InvalidInput, UnsupportedMediaType
from domain.model.media import (
    DEFAULT_MAX_BYTES,
    ImageFacts,
    check_image,
    check_upload,
    media_key,
    normalise_alt,
    reordered,
)


def image(kind: str, size: tuple[int, int] = (5, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("declared", "normalised"),
    [("image/png", "image/png"), ("IMAGE/JPEG", "image/jpeg"), ("image/webp; q=1", "image/webp")],
)
def test_an_upload_of_a_taken_type_within_the_limit_passes_with_its_type_normalised(
    declared, normalised
):
    assert check_upload(declared, 100, 100, field="file") == normalised


@pytest.mark.parametrize("declared", ["", "text/plain", "image/svg+xml", "image/tiff"])
def test_an_upload_of_another_type_is_refused(declared):
    with pytest.raises(UnsupportedMediaType) as error:
        check_upload(declared, 10, 100, field="file")

    assert error.value.field == "file"


def test_an_upload_above_the_limit_is_refused():
    with pytest.raises(FileTooLarge):
        check_upload("image/png", 101, 100, field="file")


def test_an_empty_upload_is_refused():
    with pytest.raises(InvalidImage):
        check_upload("image/png", 0, 100, field="file")


def test_an_image_must_be_what_it_was_declared():
    facts = ImageFacts("image/jpeg", 1, 1)

    assert check_image("image/jpeg", facts, field="file") is facts
    with pytest.raises(InvalidImage, match="sent as image/png but is image/jpeg"):
        check_image("image/png", facts, field="file")
    with pytest.raises(InvalidImage):
        check_image("image/png", None, field="file")


def test_a_key_is_the_hash_of_the_bytes_with_the_types_extension():
    key = media_key(b"abc", "image/jpeg")

    assert key == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.jpg"
    assert media_key(b"abc", "image/jpeg") == key
    assert media_key(b"abd", "image/jpeg") != key
    assert is_media_key(key)


def test_alt_text_is_trimmed_and_at_most_500_characters():
    assert normalise_alt("  Red front ") == "Red front"
    assert normalise_alt("x" * 500) == "x" * 500
    with pytest.raises(InvalidInput):
        normalise_alt("x" * 501)


def test_a_new_order_names_every_image_once():
    assert reordered([1, 2, 3], [3, 1, 2], field="mediaIds") == [3, 1, 2]
    for requested in ([1, 2], [1, 2, 3, 4], [1, 1, 2, 3], [1, 2, 4]):
        with pytest.raises(InvalidInput):
            reordered([1, 2, 3], requested, field="mediaIds")


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_the_decoder_reads_each_taken_type_and_its_size(kind, content_type):
    assert PillowImageDecoder().decode(image(kind)) == ImageFacts(content_type, 5, 4)


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", image("PNG")[:-30], image("BMP"), image("TIFF")],
    ids=["empty", "text", "truncated", "bmp", "tiff"],
)
def test_the_decoder_refuses_what_is_no_image_of_a_taken_type(data):
    assert PillowImageDecoder().decode(data) is None


@pytest.mark.parametrize(
    "key",
    [
        "../" + "a" * 64 + ".png",
        "a" * 64 + ".png/..",
        "A" * 64 + ".png",
        "a" * 63 + ".png",
        "x.png",
    ],
)
def test_a_local_storage_names_no_file_for_what_is_not_a_media_key(tmp_path, key):
    assert LocalMediaStorage(str(tmp_path)).path_of(key) is None


def test_the_default_storage_is_a_local_directory_served_by_the_app(tmp_path):
    storage = media_storage(MediaSettings(directory=str(tmp_path)))

    assert isinstance(storage, LocalMediaStorage)
    assert storage.url("k.png") == "/media/k.png"


def test_a_bucket_setting_chooses_the_s3_storage_and_its_urls(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    settings = MediaSettings(
        s3_bucket="shop-media",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_public_base_url="https://cdn.example.com/images/",
    )

    storage = media_storage(settings)

    assert isinstance(storage, S3MediaStorage)
    assert storage.url("k.png") == "https://cdn.example.com/images/k.png"
    without_cdn = media_storage(MediaSettings(s3_bucket="b", s3_endpoint_url="http://h:9000"))
    assert without_cdn.url("k.png") == "http://h:9000/b/k.png"


def test_media_settings_are_read_from_the_environment():
    settings = Settings.from_env(
        {
            "OMNIORDER_MEDIA_DIR": "/srv/media",
            "OMNIORDER_MEDIA_MAX_BYTES": "2048",
            "OMNIORDER_MEDIA_S3_BUCKET": "shop",
            "OMNIORDER_MEDIA_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "OMNIORDER_MEDIA_S3_PUBLIC_BASE_URL": "https://cdn.example.com",
        }
    ).media

    assert settings == MediaSettings(
        directory="/srv/media",
        max_bytes=2048,
        s3_bucket="shop",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_public_base_url="https://cdn.example.com",
    )


def test_media_are_kept_next_to_the_sqlite_file_by_default():
    assert Settings.from_env({}).media.max_bytes == DEFAULT_MAX_BYTES
    assert default_media_directory("sqlite+aiosqlite:////var/shop/omniorder.db") == (
        "/var/shop/media"
    )
    assert default_media_directory("sqlite+aiosqlite:///./omniorder.db") == "./media"
    assert default_media_directory("postgresql+asyncpg://u@h/db") == "media"


@pytest.mark.parametrize("raw", ["0", "-1", "ten", "2000000000"])
def test_a_max_size_out_of_range_is_refused_naming_the_variable(raw):
    with pytest.raises(SettingsError, match="OMNIORDER_MEDIA_MAX_BYTES"):
        Settings.from_env({"OMNIORDER_MEDIA_MAX_BYTES": raw})


def test_an_endpoint_that_is_no_http_url_is_refused():
    with pytest.raises(SettingsError, match="OMNIORDER_MEDIA_S3_ENDPOINT_URL"):
        Settings.from_env({"OMNIORDER_MEDIA_S3_ENDPOINT_URL": "ftp://x"})
