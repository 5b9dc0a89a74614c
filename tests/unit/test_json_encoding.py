import json

import pytest

from api.json_encoding import encode_json


@pytest.mark.parametrize(
    "data",
    [
        {"data": {"product": {"name": "Crème brûlée ☕", "price": 12.5, "tags": ["a", None]}}},
        {"data": None, "errors": [{"message": "x", "path": ["a", 0, "b"]}]},
        {"extensions": {1: "a key that is not a string"}},
        {"data": {"big": 2**70, "negative": -(2**65)}},
    ],
)
def test_it_encodes_what_json_dumps_encodes_as_the_same_json(data: object) -> None:
    encoded = encode_json(data)

    assert isinstance(encoded, bytes)
    assert json.loads(encoded.decode("utf-8")) == json.loads(json.dumps(data))


def test_it_writes_utf_8_without_spaces() -> None:
    assert encode_json({"name": "é", "list": [1, 2]}) == '{"name":"é","list":[1,2]}'.encode()
