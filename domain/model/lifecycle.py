"""Documents with a lifecycle: a status that changes only along a table of allowed
transitions, each change appended to the document's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.errors import InvalidTransition


@dataclass(frozen=True, slots=True)
class StatusChange:
    from_status: Any  # the document's status enum; None for the change that created it
    to_status: Any
    actor: str
    occurred_at: datetime
    note: str | None = None


class Tracked:
    """Mixin for a dataclass with `status: StrEnum` and `history: list[StatusChange]`."""

    status: Any
    history: list[StatusChange]

    def allowed_transitions(self) -> Mapping[StrEnum, frozenset[StrEnum]]:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """How messages name this document, e.g. 'transfer TR-000007'."""
        raise NotImplementedError

    def can_transition(self, target: StrEnum) -> bool:
        return target in self.allowed_transitions().get(self.status, frozenset())

    def require_transition(self, target: StrEnum) -> None:
        """INVALID_TRANSITION unless the document may move to `target`: a step checks this
        first, so a document in the wrong state says so before anything else is judged."""
        if not self.can_transition(target):
            raise InvalidTransition(self.label, self.status, target)

    def transition(
        self, target: StrEnum, actor: str, at: datetime, note: str | None = None
    ) -> None:
        self.require_transition(target)
        self.history.append(StatusChange(self.status, target, actor, at, note))
        self.status = target

    def record_creation(self, actor: str, at: datetime, note: str | None = None) -> None:
        self.history.append(StatusChange(None, self.status, actor, at, note))
