"""Settings read from the environment: booleans in their usual spellings, numbers in range."""

from datetime import timedelta

import pytest

from api.settings import Settings, SettingsError, env_flag


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "True", "yes", "Yes", "on", "ON", " on "])
def test_a_flag_is_on_in_any_usual_spelling(raw):
    assert env_flag({"FLAG": raw}, "FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "NO", "off", "Off"])
def test_a_flag_is_off_in_any_usual_spelling(raw):
    assert env_flag({"FLAG": raw}, "FLAG", True) is False


@pytest.mark.parametrize("env", [{}, {"FLAG": ""}, {"FLAG": "  "}])
def test_an_unset_or_empty_flag_takes_its_default(env):
    assert env_flag(env, "FLAG", True) is True
    assert env_flag(env, "FLAG", False) is False


@pytest.mark.parametrize("raw", ["2", "enabled", "y", "nope", "tru"])
def test_any_other_spelling_is_refused_naming_the_variable(raw):
    with pytest.raises(SettingsError, match=rf"FLAG must be one of 1/0, .* got '{raw}'"):
        env_flag({"FLAG": raw}, "FLAG", True)


def test_graphiql_reads_its_flag():
    assert Settings.from_env({"OMNIORDER_GRAPHIQL": "Off"}).graphiql is False
    assert Settings.from_env({}).graphiql is True
    with pytest.raises(SettingsError, match="OMNIORDER_GRAPHIQL"):
        Settings.from_env({"OMNIORDER_GRAPHIQL": "maybe"})


@pytest.mark.parametrize("raw", ["abc", "-1", "3601", "nan", "inf"])
def test_the_pos_feed_settle_time_is_a_number_of_seconds_in_range(raw):
    with pytest.raises(SettingsError, match="OMNIORDER_POS_FEED_SETTLE_SECONDS must be a number"):
        Settings.from_env({"OMNIORDER_POS_FEED_SETTLE_SECONDS": raw})


@pytest.mark.parametrize(("raw", "region"), [("GB", "GB"), (" us ", "US"), ("", None)])
def test_the_phone_region_is_a_country_code_in_any_case_or_none(raw, region):
    assert Settings.from_env({"OMNIORDER_PHONE_REGION": raw}).phone_region == region
    assert Settings.from_env({}).phone_region is None


@pytest.mark.parametrize("raw", ["XX", "UK", "GBR", "44"])
def test_a_phone_region_phonenumbers_does_not_know_is_refused_naming_the_variable(raw):
    with pytest.raises(SettingsError, match=rf"OMNIORDER_PHONE_REGION must be .* got '{raw}'"):
        Settings.from_env({"OMNIORDER_PHONE_REGION": raw})


def test_a_secret_shorter_than_32_characters_is_refused_naming_the_variable():
    with pytest.raises(SettingsError, match="OMNIORDER_SECRET must be at least 32 characters"):
        Settings.from_env({"OMNIORDER_SECRET": "short-secret"})
    assert Settings.from_env({"OMNIORDER_SECRET": "s" * 32}).secret == "s" * 32
    assert Settings.from_env({}).uses_development_secret


def test_session_lifetimes_and_the_notifier_are_read_from_the_environment():
    sessions = Settings.from_env(
        {
            "OMNIORDER_ACCESS_TOKEN_MINUTES": "5",
            "OMNIORDER_SIGN_IN_DAYS": "7",
            "OMNIORDER_TOKEN_DAYS": "90",
            "OMNIORDER_REVOCATION_POLL_SECONDS": "0.5",
            "OMNIORDER_ACCOUNT_NOTIFIER": "mailer:Mailer",
        }
    ).sessions

    assert sessions.access_token_lifetime == timedelta(minutes=5)
    assert sessions.sign_in_lifetime == timedelta(days=7)
    assert sessions.token_lifetime == timedelta(days=90)
    assert sessions.revocation_poll_seconds == 0.5
    assert sessions.account_notifier == "mailer:Mailer"
    with pytest.raises(SettingsError, match="OMNIORDER_ACCESS_TOKEN_MINUTES"):
        Settings.from_env({"OMNIORDER_ACCESS_TOKEN_MINUTES": "0"})


def test_query_plans_are_on_unless_told_otherwise():
    assert Settings.from_env({}).query_plans == "on"
    assert Settings.from_env({"OMNIORDER_QUERY_PLANS": "Shadow"}).query_plans == "shadow"
    assert Settings.from_env({"OMNIORDER_QUERY_PLANS": "off"}).query_plans == "off"


@pytest.mark.parametrize(
    "env",
    [
        {"OMNIORDER_QUERY_PLANS": "sometimes"},
        {"OMNIORDER_QUERY_PLAN_SHADOW_SHARE": "1.5"},
        {"OMNIORDER_QUERY_PLAN_SHADOW_SHARE": "nan"},
        {"OMNIORDER_QUERY_PLAN_SHADOW_SHARE": "a tenth"},
    ],
)
def test_a_query_plan_setting_out_of_its_range_is_refused(env):
    with pytest.raises(SettingsError, match=next(iter(env))):
        Settings.from_env(env)


def test_the_shadow_share_is_read_as_a_fraction():
    env = {"OMNIORDER_QUERY_PLAN_SHADOW_SHARE": "0.25"}
    assert Settings.from_env(env).query_plan_shadow_share == 0.25
