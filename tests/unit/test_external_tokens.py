"""Tokens from an identity provider: how verified claims map to a caller, and how the
settings that trust a provider are read."""

from __future__ import annotations

from dataclasses import replace

import pytest

from api.auth import InvalidToken
from api.external_tokens import DEFAULT_ALGORITHMS, ExternalTokenSettings
from api.identity_claims import principal_from_claims
from api.settings import Settings, SettingsError
from domain.access import Principal, Role

SETTINGS = ExternalTokenSettings(
    jwks="https://id.example.com/jwks.json", issuer="https://id.example.com/", audience="api"
)
URL_ENV = {
    "OMNIORDER_JWT_JWKS": "https://id.example.com/.well-known/jwks.json",
    "OMNIORDER_JWT_ISSUER": "https://id.example.com/",
    "OMNIORDER_JWT_AUDIENCE": "omniorder-api",
}


def principal(**claims: object) -> Principal:
    return principal_from_claims({"sub": "user-1", **claims}, SETTINGS)


# -- roles ----------------------------------------------------------------------------


@pytest.mark.parametrize("named", ["ADMIN", "admin", "Admin"])
def test_the_role_claim_names_the_role_in_any_case(named):
    assert principal(omniorder_role=named) == Principal(role=Role.ADMIN, subject="user-1")


def test_the_role_claim_wins_over_the_roles_list():
    assert principal(omniorder_role="STAFF", roles=["ADMIN"]).role is Role.STAFF


def test_a_roles_list_holding_one_role_among_others_names_it():
    assert principal(roles=["offline_access", "staff", "uma_authorization"]).role is Role.STAFF


def test_a_single_string_in_the_roles_claim_counts_as_a_list_of_one():
    assert principal(roles="admin").role is Role.ADMIN


def test_a_roles_list_naming_two_roles_is_refused_rather_than_guessed():
    with pytest.raises(InvalidToken, match=r"names several roles \(ADMIN, STAFF\)"):
        principal(roles=["STAFF", "ADMIN"])


@pytest.mark.parametrize("claims", [{}, {"roles": ["everyone"]}, {"roles": 3}])
def test_a_token_naming_no_role_is_refused(claims):
    with pytest.raises(InvalidToken, match="the token names no role"):
        principal(**claims)


@pytest.mark.parametrize("named", ["OWNER", "", 1, ["ADMIN"]])
def test_an_unknown_role_is_refused(named):
    with pytest.raises(InvalidToken, match="omniorder_role claim must be one of ADMIN, STAFF"):
        principal(omniorder_role=named)


def test_the_claim_names_are_configurable():
    settings = replace(SETTINGS, roles_claim="groups", locations_claim="stores")

    clerk = principal_from_claims({"sub": "u", "groups": ["POS"], "stores": "st-1"}, settings)

    assert clerk == Principal(role=Role.POS, subject="u", location_codes=frozenset({"ST-1"}))


@pytest.mark.parametrize("subject", [None, "", "  ", 17])
def test_a_token_without_a_subject_is_refused(subject):
    with pytest.raises(InvalidToken, match="sub claim must be a non-empty string"):
        principal_from_claims({"sub": subject, "omniorder_role": "ADMIN"}, SETTINGS)


# -- customers ------------------------------------------------------------------------


def test_a_customer_is_its_verified_email_written_the_way_customers_are_stored():
    customer = principal(omniorder_role="CUSTOMER", email=" Ada@Example.COM ", email_verified=True)

    assert customer == Principal(
        role=Role.CUSTOMER, subject="user-1", customer_email="ada@example.com"
    )


def test_a_customer_whose_provider_says_nothing_of_verification_is_accepted():
    assert principal(omniorder_role="CUSTOMER", email="ada@example.com").customer_email


@pytest.mark.parametrize("verified", [False, "false", "False"])
def test_a_customer_with_an_unverified_email_is_refused(verified):
    with pytest.raises(InvalidToken, match="email is not verified"):
        principal(omniorder_role="CUSTOMER", email="ada@example.com", email_verified=verified)


@pytest.mark.parametrize("email", [None, "", 42])
def test_a_customer_without_an_email_is_refused(email):
    with pytest.raises(InvalidToken, match="must carry the customer's email claim"):
        principal(omniorder_role="CUSTOMER", email=email)


def test_a_customer_with_a_malformed_email_is_refused():
    with pytest.raises(InvalidToken, match="email claim is not an email address"):
        principal(omniorder_role="CUSTOMER", email="ada at example")


# -- locations ------------------------------------------------------------------------


def test_staff_locations_are_normalised_codes():
    clerk = principal(omniorder_role="STAFF", omniorder_locations=[" wh-east", "ST-MALL"])

    assert clerk.location_codes == frozenset({"WH-EAST", "ST-MALL"})


def test_staff_locations_may_come_as_one_string_of_codes():
    clerk = principal(omniorder_role="STAFF", omniorder_locations="wh-east, st-mall st-2")

    assert clerk.location_codes == frozenset({"WH-EAST", "ST-MALL", "ST-2"})


def test_staff_without_locations_work_everywhere():
    assert principal(omniorder_role="STAFF").sees_all_locations


@pytest.mark.parametrize("locations", [["WH EAST"], ["x" * 40], [3], {"code": "WH"}])
def test_locations_that_are_not_codes_are_refused(locations):
    with pytest.raises(InvalidToken, match="omniorder_locations claim"):
        principal(omniorder_role="STAFF", omniorder_locations=locations)


def test_a_pos_token_is_bound_to_its_one_store():
    till = principal(omniorder_role="POS", omniorder_locations=["st-mall"])

    assert till == Principal(role=Role.POS, subject="user-1", location_codes=frozenset({"ST-MALL"}))


@pytest.mark.parametrize("locations", [None, [], ["ST-1", "ST-2"]])
def test_a_pos_token_without_exactly_one_location_is_refused(locations):
    with pytest.raises(InvalidToken, match="exactly one location in its omniorder_locations"):
        principal(omniorder_role="POS", omniorder_locations=locations)


def test_an_admin_is_bound_to_nothing_the_token_says():
    admin = principal(omniorder_role="ADMIN", omniorder_locations=["ST-1"], email="a@example.com")

    assert admin == Principal(role=Role.ADMIN, subject="user-1")


# -- settings -------------------------------------------------------------------------


def test_without_a_jwks_only_our_own_tokens_are_accepted():
    assert Settings.from_env({}).external_tokens is None


def test_a_jwks_url_with_its_issuer_and_audience_is_read_with_defaults():
    settings = Settings.from_env(URL_ENV).external_tokens

    assert settings == ExternalTokenSettings(
        jwks="https://id.example.com/.well-known/jwks.json",
        issuer="https://id.example.com/",
        audience="omniorder-api",
    )
    assert settings.algorithms == DEFAULT_ALGORITHMS == ("RS256", "ES256")
    assert settings.jwks_is_url


def test_every_setting_can_be_changed():
    env = {
        **URL_ENV,
        "OMNIORDER_JWT_ALGORITHMS": "ps256, rs256",
        "OMNIORDER_JWT_ROLE_CLAIM": "https://shop.example.com/role",
        "OMNIORDER_JWT_ROLES_CLAIM": "groups",
        "OMNIORDER_JWT_LOCATIONS_CLAIM": "stores",
        "OMNIORDER_JWT_JWKS_CACHE_SECONDS": "60",
        "OMNIORDER_JWT_JWKS_REFETCH_SECONDS": "0",
    }

    settings = ExternalTokenSettings.from_env(env)

    assert settings is not None
    assert settings.algorithms == ("PS256", "RS256")
    assert (settings.role_claim, settings.roles_claim, settings.locations_claim) == (
        "https://shop.example.com/role",
        "groups",
        "stores",
    )
    assert (settings.jwks_cache_seconds, settings.jwks_refetch_seconds) == (60, 0.0)


@pytest.mark.parametrize("missing", ["OMNIORDER_JWT_ISSUER", "OMNIORDER_JWT_AUDIENCE"])
def test_issuer_and_audience_are_required_with_a_jwks(missing):
    env = {**URL_ENV, missing: " "}

    with pytest.raises(SettingsError, match=f"{missing} is required with OMNIORDER_JWT_JWKS"):
        Settings.from_env(env)


def test_an_issuer_without_a_jwks_is_a_mistake_not_ignored():
    with pytest.raises(SettingsError, match="OMNIORDER_JWT_ISSUER is set but OMNIORDER_JWT_JWKS"):
        Settings.from_env({"OMNIORDER_JWT_ISSUER": "https://id.example.com/"})


@pytest.mark.parametrize("algorithms", ["HS256", "none", "RS256,HS512", "EdDSA"])
def test_only_asymmetric_algorithms_may_be_allowed(algorithms):
    with pytest.raises(SettingsError, match="OMNIORDER_JWT_ALGORITHMS must be comma-separated"):
        Settings.from_env({**URL_ENV, "OMNIORDER_JWT_ALGORITHMS": algorithms})


@pytest.mark.parametrize(
    "url", ["http://id.example.com/jwks.json", "http://10.0.0.5/jwks.json", "https:///jwks"]
)
def test_keys_are_fetched_over_https_unless_from_this_host(url):
    with pytest.raises(SettingsError, match="OMNIORDER_JWT_JWKS must be"):
        Settings.from_env({**URL_ENV, "OMNIORDER_JWT_JWKS": url})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/jwks", "http://localhost/jwks"])
def test_plain_http_is_allowed_on_this_host(url):
    settings = Settings.from_env({**URL_ENV, "OMNIORDER_JWT_JWKS": url}).external_tokens

    assert settings is not None and settings.jwks == url


def test_a_key_file_must_exist(tmp_path):
    path = tmp_path / "jwks.json"
    env = {**URL_ENV, "OMNIORDER_JWT_JWKS": str(path)}
    with pytest.raises(SettingsError, match="which is no file"):
        Settings.from_env(env)

    path.write_text('{"keys": []}')

    settings = Settings.from_env(env).external_tokens
    assert settings is not None and not settings.jwks_is_url


@pytest.mark.parametrize(
    "variable, raw",
    [("OMNIORDER_JWT_JWKS_CACHE_SECONDS", "0"), ("OMNIORDER_JWT_JWKS_REFETCH_SECONDS", "-1")],
)
def test_cache_times_are_in_range(variable, raw):
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({**URL_ENV, variable: raw})
