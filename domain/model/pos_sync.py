"""What becomes of each document a POS terminal syncs (sales, counter returns).

A terminal sends what it recorded while it was busy or offline, in batches, each document
under an id it chose; it may send a batch again after a flaky connection. Every document in
a batch gets its own verdict, and the rest of the batch goes through.
"""

from __future__ import annotations

from enum import StrEnum


class SyncStatus(StrEnum):
    ACCEPTED = "ACCEPTED"  # recorded now
    DUPLICATE = "DUPLICATE"  # recorded before under the same client id; nothing changed
    REJECTED = "REJECTED"  # refused, with the reason; nothing recorded
