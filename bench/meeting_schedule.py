"""Benchmark: the 1:1 slot scheduler at the size of a real brokerage event.

    .venv/bin/python bench/meeting_schedule.py [--runs N]

40 participants (25 businesses, 15 providers) with 200 accepted requests, 12 slots and 10
tables — and, to show the margin, 100 participants with 1 000 requests. Pure Python, no
database. Prints median and worst time per schedule and how many requests were met (the
scheduler is exact: the number is the largest possible). Target: under one second for 40 × 200.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.meetings.scheduling import SlotPair, schedule  # noqa: E402


def requests(seed: int, businesses: int, providers: int, count: int) -> list[SlotPair]:
    rng = random.Random(seed)
    return [SlotPair(i, rng.randint(1, businesses), 10_000 + rng.randint(1, providers))
            for i in range(1, count + 1)]


def run(label: str, pairs: list[SlotPair], slots: int, tables: int, runs: int,
        target: float | None) -> None:
    times, met = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = schedule(pairs, slot_count=slots, tables=tables)
        times.append(time.perf_counter() - start)
        met = len(result.slot_of)
    median, worst = statistics.median(times), max(times)
    verdict = "" if target is None else (" OK" if worst < target else " TOO SLOW")
    print(f"{label}: {met} of {len(pairs)} requests met in {slots} slots × {tables} tables; "
          f"median {median * 1000:.1f} ms, worst {worst * 1000:.1f} ms"
          + (f" (target < {target * 1000:.0f} ms){verdict}" if target else ""))


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 20
    run("40 participants × 200 requests", requests(40, 25, 15, 200), 12, 10, runs, 1.0)
    run("100 participants × 1 000 requests", requests(100, 60, 40, 1000), 16, 30,
        max(runs // 10, 1), None)


if __name__ == "__main__":
    main()
