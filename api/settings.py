"""Configuration, read once from the environment into an immutable object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from strawberry.http.websocket_origin import normalize_allowed_origins

from api.rate_rules import RateRule
from domain.model.customers import PHONE_REGIONS
from domain.model.media import DEFAULT_MAX_BYTES
from domain.model.webhooks import RetryPolicy

if TYPE_CHECKING:
    from api.external_tokens import ExternalTokenSettings

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./omniorder.db"
# Above what the catalog page of bench/ costs (about 11,000); see docs/api.md, "Query cost".
DEFAULT_QUERY_COST_LIMIT = 50_000
MAX_QUERY_COST_LIMIT = 100_000_000
# Good enough to try things on a laptop; production sets OMNIORDER_SECRET.
DEVELOPMENT_SECRET = "omniorder-development-secret-change-me"
MIN_SECRET_LENGTH = 32  # RFC 7518, 3.2: an HS256 key has at least 256 bits


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use; the message names
    the variable, what it got and what it accepts."""


@dataclass(frozen=True)
class WebhookSettings:
    """How webhooks are checked and delivered (docs/webhooks.md)."""

    # Private and loopback receivers, refused unless allowed (a receiver on the same host).
    allow_private: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_seconds: float = 10.0  # per request, connecting included
    poll_seconds: float = 1.0  # how often each process looks for due deliveries
    # DELIVERED and FAILED deliveries older than this are pruned; PENDING ones never.
    delivery_retention: timedelta = timedelta(days=30)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WebhookSettings:
        return cls(
            allow_private=env_flag(env, "OMNIORDER_WEBHOOKS_ALLOW_PRIVATE", False),
            retry=RetryPolicy(
                base_seconds=_seconds(env, "OMNIORDER_WEBHOOK_RETRY_BASE_SECONDS", 30.0),
                max_attempts=_count(env, "OMNIORDER_WEBHOOK_MAX_ATTEMPTS", 8),
                disable_after=_count(env, "OMNIORDER_WEBHOOK_DISABLE_AFTER", 5),
            ),
            timeout_seconds=_seconds(env, "OMNIORDER_WEBHOOK_TIMEOUT_SECONDS", 10.0),
            poll_seconds=_seconds(env, "OMNIORDER_WEBHOOK_POLL_SECONDS", 1.0),
            delivery_retention=timedelta(
                days=_count(env, "OMNIORDER_WEBHOOK_DELIVERY_RETENTION_DAYS", 30, most=3650)
            ),
        )


# Default rate rules (docs/api.md, "Rate limits"); a rule is named for its field below.
SIGN_IN_PER_EMAIL = RateRule.parse("sign_in_per_email", "5/minute;20/hour")
SIGN_IN_PER_ADDRESS = RateRule.parse("sign_in_per_address", "20/minute;200/hour")
MUTATION = RateRule.parse("mutation", "20/second;600/minute")


@dataclass(frozen=True)
class RateLimitSettings:
    """How often a caller may sign in and change things; a rule of None is off."""

    sign_in_per_email: RateRule | None = SIGN_IN_PER_EMAIL
    sign_in_per_address: RateRule | None = SIGN_IN_PER_ADDRESS
    # Mutations per caller: anonymous ones (by client address) and CUSTOMER tokens.
    mutation: RateRule | None = MUTATION
    # Mutations per caller with an ADMIN, STAFF or POS token: off by default, since
    # operators' own tools, bulk imports and benchmarks run far above a storefront's rate.
    staff_mutation: RateRule | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RateLimitSettings:
        defaults = cls()
        return cls(
            **{
                name: _rate_rule(env, variable, name, getattr(defaults, name))
                for name, variable in RATE_LIMIT_VARIABLES.items()
            }
        )


RATE_LIMIT_VARIABLES = {
    "sign_in_per_email": "OMNIORDER_SIGN_IN_LIMIT_PER_EMAIL",
    "sign_in_per_address": "OMNIORDER_SIGN_IN_LIMIT_PER_ADDRESS",
    "mutation": "OMNIORDER_MUTATION_LIMIT",
    "staff_mutation": "OMNIORDER_STAFF_MUTATION_LIMIT",
}


@dataclass(frozen=True)
class PersistedQuerySettings:
    """Persisted queries (docs/api.md, "Persisted queries")."""

    # Only documents an operator registered run (the allow-list); clients register none.
    only_registered: bool = False


@dataclass(frozen=True)
class SessionSettings:
    """How long tokens live and how revocations spread (docs/access.md, "Sessions")."""

    # A signed-in customer's access token; its refresh token renews it.
    access_token_lifetime: timedelta = timedelta(minutes=15)
    # A customer's sign-in session (its refresh token), from signing in; not extended.
    sign_in_lifetime: timedelta = timedelta(days=30)
    # Tokens printed by `omniorder token` and POS terminals' tokens.
    token_lifetime: timedelta = timedelta(days=30)
    # How often each process reads the revocations others made (without Redis, the most a
    # revoked token may still work on another process).
    revocation_poll_seconds: float = 2.0
    # "module:factory" of the notifier that mails account tokens; None: the log.
    account_notifier: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SessionSettings:
        return cls(
            access_token_lifetime=timedelta(
                minutes=_count(env, "OMNIORDER_ACCESS_TOKEN_MINUTES", 15, most=24 * 60)
            ),
            sign_in_lifetime=timedelta(days=_count(env, "OMNIORDER_SIGN_IN_DAYS", 30, most=3650)),
            token_lifetime=timedelta(days=_count(env, "OMNIORDER_TOKEN_DAYS", 30, most=3650)),
            revocation_poll_seconds=_seconds(env, "OMNIORDER_REVOCATION_POLL_SECONDS", 2.0) or 2.0,
            account_notifier=env.get("OMNIORDER_ACCOUNT_NOTIFIER", "").strip() or None,
        )


@dataclass(frozen=True)
class PaymentSettings:
    """Payment providers' settings (docs/payment-providers.md)."""

    # The test provider (api/payments/test_gateway.py) is offered only when this is set: it
    # signs its webhooks with it. Never in production: its cards are all make-believe.
    test_secret: str | None = None
    # Where the test provider posts its webhooks (this server's /webhooks/payments/test);
    # None: it posts nothing, and its events are delivered by hand (or by tests).
    test_callback_url: str | None = None
    # How long the test provider takes before it posts an outcome.
    test_delay_seconds: float = 0.2
    # A signed webhook whose timestamp is further than this from our clock is refused, so
    # a captured request cannot be replayed later.
    webhook_tolerance_seconds: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PaymentSettings:
        return cls(
            test_secret=env.get("OMNIORDER_TEST_PAYMENTS_SECRET", "").strip() or None,
            test_callback_url=_http_url(env, "OMNIORDER_TEST_PAYMENTS_CALLBACK_URL"),
            test_delay_seconds=_seconds(env, "OMNIORDER_TEST_PAYMENTS_DELAY_SECONDS", 0.2),
            webhook_tolerance_seconds=_seconds(
                env, "OMNIORDER_PAYMENT_WEBHOOK_TOLERANCE_SECONDS", 300.0
            ),
        )


def _http_url(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if raw and not raw.lower().startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http:// or https:// URL, got {raw!r}")
    return raw or None


@dataclass(frozen=True)
class JobSettings:
    """Scheduled jobs, run by one process of several at a time (docs/orders.md)."""

    # How often unpaid orders past their channel's unpaidOrderTtl are cancelled; 0: never
    # by this process (cron may run `omniorder expire-unpaid-orders` instead).
    unpaid_order_sweep_seconds: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> JobSettings:
        return cls(
            unpaid_order_sweep_seconds=_seconds(env, "OMNIORDER_UNPAID_ORDER_SWEEP_SECONDS", 60.0),
        )


@dataclass(frozen=True)
class MediaSettings:
    """Where product images are kept and how big one may be (docs/media.md)."""

    # The local directory of the default storage.
    directory: str = "media"
    max_bytes: int = DEFAULT_MAX_BYTES
    # Set: images go to this S3-compatible bucket instead (credentials from the standard
    # AWS variables), served from `s3_public_base_url` (or the endpoint's bucket URL).
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_public_base_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], database_url: str) -> MediaSettings:
        raw_max = env.get("OMNIORDER_MEDIA_MAX_BYTES", "").strip()
        if raw_max and not (raw_max.isdigit() and 1 <= int(raw_max) <= MAX_MEDIA_BYTES):
            raise SettingsError(
                f"OMNIORDER_MEDIA_MAX_BYTES must be a whole number of bytes from 1 to "
                f"{MAX_MEDIA_BYTES}, got {raw_max!r}"
            )
        return cls(
            directory=env.get("OMNIORDER_MEDIA_DIR", "").strip()
            or default_media_directory(database_url),
            max_bytes=int(raw_max) if raw_max else DEFAULT_MAX_BYTES,
            s3_bucket=env.get("OMNIORDER_MEDIA_S3_BUCKET", "").strip() or None,
            s3_endpoint_url=_http_url(env, "OMNIORDER_MEDIA_S3_ENDPOINT_URL"),
            s3_public_base_url=_http_url(env, "OMNIORDER_MEDIA_S3_PUBLIC_BASE_URL"),
        )


MAX_MEDIA_BYTES = 1024 * 1024 * 1024


def default_media_directory(database_url: str) -> str:
    """`media` next to the SQLite file of `database_url`; for any other database, `media`
    in the working directory."""
    prefix = "sqlite+aiosqlite:///"
    path = database_url.removeprefix(prefix).split("?")[0]
    if not database_url.startswith(prefix) or path in ("", ":memory:"):
        return "media"
    return os.path.join(os.path.dirname(path) or ".", "media")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret: str = DEVELOPMENT_SECRET
    redis_url: str | None = None
    graphiql: bool = True
    # The POS change feed serves only rows stamped at least this long ago, so that a write
    # committed late cannot land behind a cursor already handed out
    # (persistence/reads/pos_feed.py).
    pos_feed_settle_seconds: float = 2.0
    # None: JSON lines unless the log goes to a terminal (docs/operations.md).
    log_format: str | None = None
    log_level: str = "INFO"
    # Tracing is on only when an OTLP collector is named (OpenTelemetry's own variables).
    otlp_endpoint: str | None = None
    service_name: str = "omniorder"
    # A phone typed without a country code is read as dialled here (ISO 3166 alpha-2, e.g.
    # GB); None refuses such numbers (docs/validation.md).
    phone_region: str | None = None
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    # Web pages on these origins may call the API from a browser (CORS); none by default,
    # ("*",) for any (docs/browsers.md).
    cors_origins: tuple[str, ...] = ()
    # An operation costing more is refused before it runs (docs/api.md, "Query cost").
    query_cost_limit: int = DEFAULT_QUERY_COST_LIMIT
    # Off: `__schema` and `__type` are refused (clients then need schema.graphql).
    introspection: bool = True
    # JWTs from the business's own identity provider; None: only our own tokens
    # (docs/access.md, "Tokens from your identity provider").
    external_tokens: ExternalTokenSettings | None = None
    persisted_queries: PersistedQuerySettings = field(default_factory=PersistedQuerySettings)
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    sessions: SessionSettings = field(default_factory=SessionSettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    payments: PaymentSettings = field(default_factory=PaymentSettings)
    # How queries execute (docs/query-plans.md): "on" through compiled plans, "off"
    # through graphql-core alone, "shadow" through both on a sampled share of requests,
    # logging any difference and answering with graphql-core's.
    query_plans: str = "on"
    # In shadow mode, the share of query requests run both ways (0 to 1).
    query_plan_shadow_share: float = 0.05
    media: MediaSettings = field(default_factory=MediaSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        from api.external_tokens import ExternalTokenSettings  # that module imports this one

        database_url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
        return cls(
            database_url=database_url,
            secret=_secret(env, "OMNIORDER_SECRET"),
            redis_url=env.get("REDIS_URL") or None,
            graphiql=env_flag(env, "OMNIORDER_GRAPHIQL", True),
            pos_feed_settle_seconds=_seconds(env, "OMNIORDER_POS_FEED_SETTLE_SECONDS", 2.0),
            log_format=_choice(env, "OMNIORDER_LOG_FORMAT", LOG_FORMATS),
            log_level=_choice(env, "OMNIORDER_LOG_LEVEL", LOG_LEVELS) or "INFO",
            otlp_endpoint=env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
            service_name=env.get("OTEL_SERVICE_NAME") or "omniorder",
            phone_region=_phone_region(env, "OMNIORDER_PHONE_REGION"),
            webhooks=WebhookSettings.from_env(env),
            cors_origins=_origins(env, "OMNIORDER_CORS_ORIGINS"),
            query_cost_limit=_count(
                env,
                "OMNIORDER_QUERY_COST_LIMIT",
                DEFAULT_QUERY_COST_LIMIT,
                most=MAX_QUERY_COST_LIMIT,
            ),
            introspection=env_flag(env, "OMNIORDER_INTROSPECTION", True),
            external_tokens=ExternalTokenSettings.from_env(env),
            persisted_queries=PersistedQuerySettings(
                only_registered=env_flag(env, "OMNIORDER_PERSISTED_ONLY", False)
            ),
            rate_limits=RateLimitSettings.from_env(env),
            sessions=SessionSettings.from_env(env),
            jobs=JobSettings.from_env(env),
            payments=PaymentSettings.from_env(env),
            query_plans=_choice(env, "OMNIORDER_QUERY_PLANS", QUERY_PLAN_MODES) or "on",
            query_plan_shadow_share=_share(env, "OMNIORDER_QUERY_PLAN_SHADOW_SHARE", 0.05),
            media=MediaSettings.from_env(env, database_url),
        )

    @property
    def uses_development_secret(self) -> bool:
        return self.secret == DEVELOPMENT_SECRET


TRUE_SPELLINGS = frozenset({"1", "true", "yes", "on"})
FALSE_SPELLINGS = frozenset({"0", "false", "no", "off"})


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A boolean environment variable: 1/0, true/false, yes/no, on/off in any case;
    unset or empty means the default, anything else is a SettingsError naming the variable."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in TRUE_SPELLINGS:
        return True
    if raw.lower() in FALSE_SPELLINGS:
        return False
    raise SettingsError(f"{name} must be one of 1/0, true/false, yes/no, on/off, got {raw!r}")


LOG_FORMATS = ("json", "text")
QUERY_PLAN_MODES = ("on", "off", "shadow")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    """One of `choices` (in any case, given back as spelled there); None when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, most=3600, what="a number of seconds from 0 to 3600")


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, most=1, what="a number from 0 to 1")


def _number(env: Mapping[str, str], name: str, default: float, *, most: float, what: str) -> float:
    raw = env.get(name)
    if not raw:
        return default
    message = f"{name} must be {what}, got {raw!r}"
    try:
        number = float(raw)
    except ValueError:
        raise SettingsError(message) from None
    if not 0 <= number <= most:  # refuses nan and inf too
        raise SettingsError(message)
    return number


def _count(env: Mapping[str, str], name: str, default: int, most: int = 100) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise SettingsError(f"{name} must be a whole number from 1 to {most}, got {raw!r}")
    return int(raw)


def _rate_rule(
    env: Mapping[str, str], name: str, rule_name: str, default: RateRule | None
) -> RateRule | None:
    """A rate rule such as "20/second;600/minute"; "off" or "0" for none, unset or empty
    for the default."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return RateRule.parse(rule_name, raw)
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None


def _secret(env: Mapping[str, str], name: str) -> str:
    """The key our tokens are signed with (HS256): at least 32 characters, as RFC 7518
    asks of a key for it (a random one: `python -c 'import secrets;
    print(secrets.token_urlsafe(32))'`); unset, the development secret."""
    raw = env.get(name, "")
    if not raw:
        return DEVELOPMENT_SECRET
    if len(raw) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"{name} must be at least {MIN_SECRET_LENGTH} characters (got {len(raw)}); make"
            " one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    return raw


def _phone_region(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if raw.upper() not in PHONE_REGIONS:
        raise SettingsError(
            f"{name} must be an ISO 3166 alpha-2 country code such as GB or US, got {raw!r}"
        )
    return raw.upper()


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated web origins (scheme://host[:port]), spelled as a browser's Origin
    header spells them (lower case, no default port), or `*` alone for any."""
    items = [item.strip() for item in env.get(name, "").split(",") if item.strip()]
    message = (
        f"{name} must be comma-separated origins such as https://shop.example.com or "
        f"http://localhost:5173 (scheme://host[:port], no path), or * alone, got {{!r}}"
    )
    if "*" in items and len(items) > 1:
        raise SettingsError(message.format(env[name]))
    for item in items:
        try:
            normalize_allowed_origins([item])  # Strawberry's rules for a WebSocket origin
        except ValueError:
            raise SettingsError(message.format(item)) from None
    return tuple(sorted(normalize_allowed_origins(items)))
