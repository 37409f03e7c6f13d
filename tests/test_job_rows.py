"""Jobs.schedule_many: the planner's many-rows path writes real job rows that run like any
other, skips a dedupe key already used, and says how many it wrote."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from core.jobs import JobRunner
from core.services import Services
from storage.job_rows import NewJob
from storage.models import Job, JobStatus


async def test_many_jobs_in_few_statements_skip_keys_already_used(services: Services) -> None:
    now = services.clock.now()
    await services.jobs.schedule("bench.ping", now, {"n": -1}, dedupe_key="k1")
    rows = [
        NewJob("bench.ping", now + timedelta(minutes=i), {"n": i}, f"k{i}") for i in range(1200)
    ]
    assert await services.jobs.schedule_many(rows) == 1199  # k1 was taken
    assert await services.jobs.schedule_many(rows) == 0  # a second plan adds nothing
    assert await Job.filter(kind="bench.ping").count() == 1200
    taken = await Job.get(dedupe_key="k1")
    assert taken.payload == {"n": -1}
    late = await Job.get(dedupe_key="k1199")
    assert late.payload == {"n": 1199} and late.status is JobStatus.PENDING
    assert late.run_at == now + timedelta(minutes=1199) and late.attempts == 0


async def test_rows_written_this_way_run_like_any_job(services: Services) -> None:
    seen: list[int] = []

    @services.jobs.handler("bench.ping")
    async def _ping(job: Job) -> None:
        seen.append(int(job.payload["n"]))

    now = services.clock.now()
    await services.jobs.schedule_many(
        [NewJob("bench.ping", now, {"n": i}, f"r{i}") for i in (3, 4)]
    )
    await services.jobs.schedule_many([NewJob("bench.ping", now, {"n": 5})])  # no key
    await JobRunner(services.jobs, "test").drain()
    assert sorted(seen) == [3, 4, 5]
    assert await Job.filter(status=JobStatus.DONE).count() == 3


async def test_several_claim_loops_of_one_runner_run_each_job_once(services: Services) -> None:
    seen: list[int] = []

    @services.jobs.handler("bench.ping")
    async def _ping(job: Job) -> None:
        await asyncio.sleep(0)  # let the other loops claim meanwhile
        seen.append(int(job.payload["n"]))

    now = services.clock.now()
    await services.jobs.schedule_many([NewJob("bench.ping", now, {"n": i}) for i in range(300)])
    runner = JobRunner(services.jobs, "lanes", batch=10, lanes=3)
    runner.start(poll_seconds=0.01)
    for _ in range(500):
        if await Job.filter(status=JobStatus.DONE).count() == 300:
            break
        await asyncio.sleep(0.02)
    await runner.stop()
    assert sorted(seen) == list(range(300))  # every job, none twice
