"""``make bench``: every bench with small defaults, one table (measure, value, baseline measured
in the same run, ratio). Absolute figures on a shared machine are noise; ratios compare.

bench/delivery.py, bench/mailings.py and bench/erasure.py print their own reports (run them
directly); the table covers the throughput and footprint benches of issue 15.

    .venv/bin/python bench/run_all.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import callbacks, footprint, reminders, telegram_webhook  # noqa: E402
from bench.table import Row, render  # noqa: E402


def machine() -> str:
    load = os.getloadavg()[0]
    cores = os.cpu_count()
    return (
        f"{platform.machine()}, {cores} cores, load {load:.1f}, Python {platform.python_version()}"
    )


async def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    started = time.perf_counter()
    table: list[Row] = []
    for name, make in (
        # The sizes the issue asks about where they fit: the whole table in about three
        # minutes on a shared 2-core machine (each bench alone: see its --help).
        ("telegram_webhook", lambda: telegram_webhook.rows(updates=3_000)),
        ("callbacks", lambda: callbacks.rows(intents=3_000)),
        ("reminders", lambda: reminders.rows(jobs=100_000, spread=30.0)),
        ("footprint", lambda: footprint.rows(clients=100_000)),
    ):
        print(f"-- {name}", flush=True)
        began = time.perf_counter()
        table += await make()
        print(f"   {time.perf_counter() - began:.0f}s", flush=True)
    print()
    print(f"machine: {machine()}; {time.perf_counter() - started:.0f}s in all")
    print(render(table))


if __name__ == "__main__":
    asyncio.run(main())
