"""A batch of jobs that outlives its lease keeps its claim while it works, so another runner
never runs the same job a second time."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from core.clock import ManualClock
from core.jobs import JobRunner, Jobs
from storage.models import Job, JobStatus


async def test_a_slow_batch_is_not_claimed_again_by_another_runner(
    db_url: str, clock: ManualClock
) -> None:
    jobs = Jobs(clock)
    runs: Counter[int] = Counter()

    @jobs.handler("probe")
    async def probe(job: Job) -> None:
        runs[job.payload["n"]] += 1
        if job.payload["n"] == 0:
            await asyncio.sleep(1.0)  # a slow job at the head of the batch

    for n in range(6):
        await jobs.schedule("probe", clock.now() - timedelta(seconds=1), {"n": n})
    slow = JobRunner(jobs, "A", lease=timedelta(seconds=1), batch=6)
    other = JobRunner(jobs, "B", lease=timedelta(seconds=1), batch=6)
    first = asyncio.create_task(slow.run_once())
    for _ in range(10):  # the clock runs past A's first lease while B keeps looking
        await asyncio.sleep(0.1)
        clock.advance(timedelta(seconds=0.25))
        await other.run_once()
    assert await first == 6
    await other.drain()
    assert runs == Counter({n: 1 for n in range(6)})
    assert set(await Job.all().values_list("status", flat=True)) == {JobStatus.DONE}
