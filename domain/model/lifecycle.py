"""Documents with a lifecycle: a status that changes only along a table of allowed
transitions, each change appended to the document's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from domain.errors import InvalidTransition

Status = TypeVar("Status", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class StatusChange:
    # The document's status enum (a StrEnum, so a str) when the domain records a change;
    # its stored value when a history is read back. None: the change that created it.
    from_status: str | None
    to_status: str
    actor: str
    occurred_at: datetime
    note: str | None = None


class Tracked(Generic[Status]):
    """Mixin for a dataclass with `status: Status` (its status enum) and
    `history: list[StatusChange]`."""

    status: Status
    history: list[StatusChange]

    def allowed_transitions(self) -> Mapping[Status, frozenset[Status]]:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """How messages name this document, e.g. 'transfer TR-000007'."""
        raise NotImplementedError

    def can_transition(self, target: Status) -> bool:
        return target in self.allowed_transitions().get(self.status, frozenset())

    def require_transition(self, target: Status) -> None:
        """INVALID_TRANSITION unless the document may move to `target`: a step checks this
        first, so a document in the wrong state says so before anything else is judged."""
        if not self.can_transition(target):
            raise InvalidTransition(self.label, self.status, target)

    def transition(self, target: Status, actor: str, at: datetime, note: str | None = None) -> None:
        self.require_transition(target)
        self.history.append(StatusChange(self.status, target, actor, at, note))
        self.status = target

    def record_creation(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.history.append(StatusChange(None, self.status, actor, at, note))
