"""Rate rules as settings spell them, and the limiter counting hits against them in memory
(the Redis counts are tested over HTTP: tests/api/test_rate_limits.py, tests/e2e)."""

import pytest

from api.rate_limits import RateLimiter
from api.rate_rules import RateRule
from api.settings import RateLimitSettings, Settings, SettingsError


def spelled(rule: RateRule | None) -> list[tuple[int, int, str]]:
    assert rule is not None
    return [(item.amount, item.multiples, item.GRANULARITY.name) for item in rule.limits]


def test_a_rule_reads_several_limits_shortest_window_first():
    rule = RateRule.parse("mutation", "600/minute; 20/second")

    assert spelled(rule) == [(20, 1, "second"), (600, 1, "minute")]


def test_a_rule_reads_multiples_and_words():
    assert spelled(RateRule.parse("x", "5 per 10 minutes")) == [(5, 10, "minute")]


@pytest.mark.parametrize("raw", ["off", "OFF", "0", " off "])
def test_off_and_zero_turn_a_rule_off(raw):
    assert RateRule.parse("x", raw) is None


@pytest.mark.parametrize("raw", ["lots", "5", "5/fortnight", "0/minute", "5/minute;", "-1/hour"])
def test_anything_else_is_no_rule(raw):
    with pytest.raises(ValueError, match="expected limits such as 5/minute"):
        RateRule.parse("x", raw)


def test_the_defaults_limit_sign_in_and_storefront_mutations_but_not_staff():
    limits = Settings.from_env({}).rate_limits

    assert limits == RateLimitSettings()
    assert spelled(limits.sign_in_per_email) == [(5, 1, "minute"), (20, 1, "hour")]
    assert spelled(limits.sign_in_per_address) == [(20, 1, "minute"), (200, 1, "hour")]
    assert spelled(limits.mutation) == [(20, 1, "second"), (600, 1, "minute")]
    assert limits.staff_mutation is None


def test_each_rule_reads_its_variable():
    limits = Settings.from_env(
        {
            "OMNIORDER_SIGN_IN_LIMIT_PER_EMAIL": "3/hour",
            "OMNIORDER_SIGN_IN_LIMIT_PER_ADDRESS": "off",
            "OMNIORDER_MUTATION_LIMIT": "",  # empty: the default
            "OMNIORDER_STAFF_MUTATION_LIMIT": "100/second",
        }
    ).rate_limits

    assert spelled(limits.sign_in_per_email) == [(3, 1, "hour")]
    assert limits.sign_in_per_address is None
    assert limits.mutation == RateLimitSettings().mutation
    assert spelled(limits.staff_mutation) == [(100, 1, "second")]
    assert limits.staff_mutation is not None and limits.staff_mutation.name == "staff_mutation"


@pytest.mark.parametrize(
    "variable",
    [
        "OMNIORDER_SIGN_IN_LIMIT_PER_EMAIL",
        "OMNIORDER_SIGN_IN_LIMIT_PER_ADDRESS",
        "OMNIORDER_MUTATION_LIMIT",
        "OMNIORDER_STAFF_MUTATION_LIMIT",
    ],
)
def test_a_rule_that_does_not_read_is_refused_naming_its_variable(variable):
    with pytest.raises(SettingsError, match=rf"^{variable}: expected limits .* got '5/fortnight'"):
        Settings.from_env({variable: "5/fortnight"})


async def test_the_limiter_refuses_a_key_over_its_rule_and_says_when_to_come_back():
    limiter = RateLimiter()
    rule = RateRule.parse("sign_in_per_email", "2/minute")

    decisions = [await limiter.hit(rule, "ada@example.com") for _ in range(3)]
    other = await limiter.hit(rule, "bob@example.com")

    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].retry_after_seconds is not None
    assert 59 <= decisions[2].retry_after_seconds <= 60
    assert other.allowed


async def test_rules_count_apart_even_for_one_key():
    limiter = RateLimiter()
    first, second = RateRule.parse("first", "1/minute"), RateRule.parse("second", "1/minute")

    assert (await limiter.hit(first, "k")).allowed
    assert (await limiter.hit(second, "k")).allowed
    assert not (await limiter.hit(first, "k")).allowed


async def test_a_hit_must_pass_every_limit_of_its_rule():
    limiter = RateLimiter()
    rule = RateRule.parse("x", "5/second;2/hour")

    decisions = [await limiter.hit(rule, "k") for _ in range(3)]

    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].retry_after_seconds is not None
    assert decisions[2].retry_after_seconds > 3500  # the hour's window, not the second's


async def test_a_rule_that_is_off_allows_everything():
    limiter = RateLimiter()

    assert all([(await limiter.hit(None, "k")).allowed for _ in range(100)])


async def test_without_redis_the_limiter_allows_and_logs_once(caplog):
    limiter = RateLimiter("redis://127.0.0.1:1/0")  # nothing listens on port 1
    rule = RateRule.parse("x", "1/minute")

    decisions = [await limiter.hit(rule, "k") for _ in range(3)]
    await limiter.close()

    assert all(decision.allowed for decision in decisions)
    failures = [r for r in caplog.records if r.name == "omniorder.rate_limits"]
    assert [r.levelname for r in failures] == ["WARNING"]
    assert "rate limit counts in Redis failing" in failures[0].getMessage()
