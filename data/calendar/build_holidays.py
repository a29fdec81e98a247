"""Writes holidays.csv: Iran's official public holidays for the Jalali years 1405 and 1406.

Run from the repository root: ``.venv/bin/python data/calendar/build_holidays.py``.

Solar holidays are fixed Jalali dates (converted with jdatetime). Religious holidays follow the lunar
Hijri calendar; here they come from the arithmetic (tabular) Islamic calendar, which can differ from
Iran's sighting-based official calendar by one day. The authority is the official calendar published by
the Calendar Centre of the University of Tehran's Institute of Geophysics (تقویم رسمی کشور، مرکز تقویم
مؤسسه ژئوفیزیک دانشگاه تهران): whoever maintains this file checks each lunar row against it when the
calendar for a year is published and edits the CSV by hand (it is the file the app reads; rerunning this
script overwrites hand corrections, so record them in CORRECTIONS below).
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import jdatetime

HERE = Path(__file__).resolve().parent
YEARS = (1405, 1406)

SOLAR = [
    ((1, 1), "عید نوروز", "Nowruz"), ((1, 2), "عید نوروز", "Nowruz"), ((1, 3), "عید نوروز", "Nowruz"),
    ((1, 4), "عید نوروز", "Nowruz"), ((1, 12), "روز جمهوری اسلامی", "Islamic Republic Day"),
    ((1, 13), "روز طبیعت", "Nature Day"), ((3, 14), "رحلت امام خمینی", "Death of Imam Khomeini"),
    ((3, 15), "قیام ۱۵ خرداد", "15 Khordad uprising"), ((11, 22), "پیروزی انقلاب اسلامی", "Revolution Day"),
    ((12, 29), "ملی شدن صنعت نفت", "Oil Nationalisation Day"),
]
LUNAR = [
    ((1, 9), "تاسوعای حسینی", "Tasua"), ((1, 10), "عاشورای حسینی", "Ashura"),
    ((2, 20), "اربعین حسینی", "Arbaeen"),
    ((2, 28), "رحلت رسول اکرم و شهادت امام حسن مجتبی", "Death of the Prophet and martyrdom of Imam Hasan"),
    ((2, 29), "شهادت امام رضا", "Martyrdom of Imam Reza"),
    ((3, 8), "شهادت امام حسن عسکری", "Martyrdom of Imam Hasan Askari"),
    ((3, 17), "میلاد رسول اکرم و امام جعفر صادق", "Birth of the Prophet and Imam Jafar Sadiq"),
    ((6, 3), "شهادت حضرت فاطمه", "Martyrdom of Fatima"), ((7, 13), "ولادت امام علی", "Birth of Imam Ali"),
    ((7, 27), "مبعث رسول اکرم", "Mab'ath"), ((8, 15), "ولادت حضرت قائم", "Birth of Imam Mahdi"),
    ((9, 21), "شهادت امام علی", "Martyrdom of Imam Ali"), ((10, 1), "عید فطر", "Eid al-Fitr"),
    ((10, 2), "تعطیل به مناسبت عید فطر", "Eid al-Fitr holiday"),
    ((10, 25), "شهادت امام جعفر صادق", "Martyrdom of Imam Jafar Sadiq"),
    ((12, 10), "عید قربان", "Eid al-Adha"), ((12, 18), "عید غدیر خم", "Eid al-Ghadir"),
]
CORRECTIONS: dict[str, str] = {}  # {"gregorian computed": "gregorian official"} after checking the official calendar


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    jd = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1
    return date.fromordinal(int(jd - 1721424.5))


def rows() -> list[list[str]]:
    start = jdatetime.date(YEARS[0], 1, 1).togregorian()
    end = jdatetime.date(YEARS[-1] + 1, 1, 1).togregorian()
    found: dict[date, tuple[str, str, str]] = {}
    for jy in YEARS:
        for (m, d), name_fa, name_en in SOLAR:
            found.setdefault(jdatetime.date(jy, m, d).togregorian(), (name_fa, name_en, "solar"))
    for hy in range(1447, 1451):
        for (m, d), name_fa, name_en in LUNAR:
            g = hijri_to_gregorian(hy, m, d)
            g = date.fromisoformat(CORRECTIONS.get(g.isoformat(), g.isoformat()))
            if start <= g < end:
                found.setdefault(g, (name_fa, name_en, "lunar"))
    out = []
    for g in sorted(found):
        j = jdatetime.date.fromgregorian(date=g)
        name_fa, name_en, kind = found[g]
        out.append([f"{j.year:04d}-{j.month:02d}-{j.day:02d}", g.isoformat(), name_fa, name_en, kind])
    return out


def main() -> None:
    with (HERE / "holidays.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["jalali", "gregorian", "name_fa", "name_en", "calendar"])
        writer.writerows(rows())


if __name__ == "__main__":
    main()
