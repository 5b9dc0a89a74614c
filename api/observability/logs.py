"""Log records as JSON lines or readable text, each carrying the request it belongs to.

The code logs through the standard `logging` module; structlog only renders the records
(`ProcessorFormatter`), so uvicorn's records come out in the same shape as ours. Fields
passed with `extra={...}` become fields of the line.

`RepeatedFailure` keeps a loop that retries every second (the outbox relay, the Redis
listener) from writing the same failure every second: the first failure is logged, then a
summary at a slow interval, then one line when it works again.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, MutableMapping
from typing import Any, TextIO

import structlog
import structlog.tracebacks

from api.request_id import NO_REQUEST, current_request_id
from api.settings import Settings

LOGGERS = ("omniorder", "uvicorn")


def add_request_id(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The id of the request being served; null outside requests."""
    request_id = current_request_id.get()
    event.setdefault("request_id", None if request_id == NO_REQUEST else request_id)
    return event


def drop_color_message(
    _: Any, __: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Uvicorn passes a copy of its message with terminal colours as an extra field."""
    event.pop("color_message", None)
    return event


def _renderer(log_format: str) -> list[Callable[..., Any]]:
    """Tracebacks without the frames' local variables, which may hold tokens or passwords."""
    if log_format == "json":
        tracebacks = structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        return [
            structlog.processors.ExceptionRenderer(tracebacks),
            structlog.processors.JSONRenderer(),
        ]
    plain = structlog.dev.plain_traceback
    return [structlog.dev.ConsoleRenderer(colors=False, exception_formatter=plain)]


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Route the `omniorder` and `uvicorn` loggers to one handler on `stream` (stderr).

    Without OMNIORDER_LOG_FORMAT, the lines are JSON unless they go to a terminal: a
    container's or a service manager's log is read by machines, a terminal by a person.
    """
    stream = stream or sys.stderr
    log_format = settings.log_format or ("text" if stream.isatty() else "json")
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.CallsiteParameterAdder(
                [structlog.processors.CallsiteParameter.PROCESS]
            ),
            add_request_id,
            drop_color_message,
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            *_renderer(log_format),
        ],
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(settings.log_level)
        logger.propagate = False


class RepeatedFailure:
    """One run of failures of a retrying loop, logged as a few lines rather than one each.

    `failed` logs the first failure (its class and message; the traceback at DEBUG), then
    at most one "still failing" summary per `summary_every` seconds; `succeeded` logs the
    recovery after a run of failures and starts afresh.
    """

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        summary_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.what = what
        self.summary_every = summary_every
        self.clock = clock
        self.failures = 0
        self._first_at = 0.0
        self._summarised_at = 0.0

    def failed(self, error: BaseException) -> None:
        now = self.clock()
        self.failures += 1
        reason = f"{type(error).__name__}: {error}"
        if self.failures == 1:
            self._first_at = self._summarised_at = now
            self.log.warning("%s failing: %s", self.what, reason)
            self.log.debug("%s failure", self.what, exc_info=error)
        elif now - self._summarised_at >= self.summary_every:
            self._summarised_at = now
            self.log.warning(
                "%s still failing (%d attempts in the last %.0f s): %s",
                self.what,
                self.failures,
                now - self._first_at,
                reason,
            )

    def succeeded(self) -> None:
        if self.failures:
            self.log.info(
                "%s recovered after %d failures (%.0f s)",
                self.what,
                self.failures,
                self.clock() - self._first_at,
            )
            self.failures = 0
