"""Working days for service-level due dates: Friday is the weekend, and the official holidays are
read from ``data/calendar/holidays.csv`` (kept by ``data/calendar/build_holidays.py``; see its source note).

A step started on day d with n service-level days is due on the n-th working day after d (the start day
does not count). Beyond the years the file covers only Fridays are skipped; ``covered`` says which years.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

HOLIDAYS_FILE = Path(__file__).resolve().parents[3] / "data" / "calendar" / "holidays.csv"
FRIDAY = 4  # date.weekday()
MAX_DAYS = 3650


@lru_cache(maxsize=1)
def holidays() -> dict[date, tuple[str, str]]:
    """Gregorian date → (name in Persian, name in English)."""
    with HOLIDAYS_FILE.open(encoding="utf-8", newline="") as fh:
        return {date.fromisoformat(row["gregorian"]): (row["name_fa"], row["name_en"]) for row in csv.DictReader(fh)}


def is_working_day(day: date) -> bool:
    return day.weekday() != FRIDAY and day not in holidays()


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``days`` ≤ 0 gives ``start`` itself)."""
    day = start
    for _ in range(max(0, min(int(days), MAX_DAYS))):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += is_working_day(day)
    return n
