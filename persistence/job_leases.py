"""Leases that let one process of several run a scheduled job.

Every process runs the same timers; before a run, each tries to take the job's lease: one
row per job, taken by a conditional UPDATE that matches only while the lease has run out.

    INSERT (name, nobody, long ago) ON CONFLICT DO NOTHING    the row, once ever
    UPDATE … SET holder = me, leased_until = now + length
          WHERE name = :job AND leased_until <= :now           1 row: mine; 0: someone's

On PostgreSQL a second process's UPDATE waits for the first's commit, then checks its
WHERE against the row the first left, finds the lease running, and matches nothing; on
SQLite writers take turns (BEGIN IMMEDIATE). The lease is taken in its own short
transaction and not given back: it lasts the job's interval, so each interval has one
run, whichever process comes first, and another process takes over within an interval of
one going away. Times are the processes' own clocks (keep them in sync, as NTP does).

A lease only spares duplicate work: a job must still be safe if two runs overlap (a run
longer than its lease, clocks apart), as the unpaid-order expiry is, since it cancels each
order with its row held and only if it is still PENDING.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from persistence.conflict_inserts import conflict_insert
from persistence.database import Database
from persistence.records import JobLeaseRecord
from persistence.sql_types import rows_matched

NOBODY = ""
LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)


async def take_lease(
    database: Database, job: str, holder: str, now: datetime, length: timedelta
) -> bool:
    """Take `job`'s lease for `length` from `now` if it has run out; says whether this
    caller holds it now."""
    async with database.writing() as session, session.begin():
        await session.execute(
            conflict_insert(session, JobLeaseRecord)
            .values(name=job, holder=NOBODY, leased_until=LONG_AGO)
            .on_conflict_do_nothing(index_elements=[JobLeaseRecord.name])
        )
        taken = await session.execute(
            update(JobLeaseRecord)
            .where(JobLeaseRecord.name == job, JobLeaseRecord.leased_until <= now)
            .values(holder=holder, leased_until=now + length)
            .execution_options(synchronize_session=False)
        )
        return rows_matched(taken) == 1
