"""Password hashes: argon2id with argon2-cffi's default parameters."""

from __future__ import annotations

from argon2 import PasswordHasher

from api.passwords import Argon2Hasher

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


async def test_a_password_is_stored_as_an_argon2id_hash_with_the_default_parameters():
    hasher = Argon2Hasher()

    stored = await hasher.hash("correct horse battery")

    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "correct horse battery" not in stored
    assert await hasher.verify(stored, "correct horse battery")
    assert not await hasher.verify(stored, "correct horse batterY")
    assert not hasher.needs_rehash(stored)


async def test_a_hash_of_weaker_parameters_needs_rehashing_and_garbage_never_verifies():
    weak = await Argon2Hasher(CHEAP).hash("correct horse battery")

    assert Argon2Hasher().needs_rehash(weak)
    assert await Argon2Hasher().verify(weak, "correct horse battery")  # still checked
    assert not await Argon2Hasher().verify("not a hash", "correct horse battery")
