"""Illustrative records of the Production Leap HQ's tools (issue 12), written by build_seed.py into hq.json.

Obstacle reports (some open, some resolved, one rejected), a working-group meeting, the 1405 operational
plans of a few agencies (some filed late, some actions late), and realisation records. Dates are fixed
(Gregorian, 2026), so "late" is read against the day the app runs. Persian text uses "~" for ZWNJ like the
rest of the seed.
"""

OBSTACLES = [
    # category, product, county, lost quantity, period, since, description (fa), status, agency, outcome (fa),
    # reported on, closed on
    ("power", "0401", "tabriz", 900, "month", "2026-06-10",
     "قطعی~های برنامه~ریزی~شده برق در ساعات اوج، خط شیر~گیری و سردخانه را روزانه سه ساعت متوقف می~کند.",
     "working_group", "power_distribution", "", "2026-07-01", None),
    ("water", "0403", "marand", 300, "month", "2026-07-20",
     "سهمیه آب صنعتی شهرک کاهش یافته و خط ماست نیمی از روزها کار نمی~کند.",
     "assigned", "regional_water", "", "2026-08-05", None),
    ("gas", "7403", "varzaqan", 250, "month", "2026-11-01",
     "محدودیت گاز زمستانی کوره~های ذوب را متوقف کرده است.", "new", "", "", "2026-11-20", None),
    ("power", "8544", "tabriz", 150, "month", "2026-05-01",
     "افت ولتاژ و قطعی~های مکرر، خط روکش~دهی کابل را از کار می~اندازد.", "resolved", "power_distribution",
     "فیدر اختصاصی نصب شد و برق واحد پایدار است.", "2026-05-10", "2026-06-25"),
    ("financing", "7408", "tabriz", 0, "year", "",
     "تسهیلات سرمایه در گردش برای خرید کاتد مس دو ماه است در بانک مانده است.", "resolved", "banks_council",
     "با معرفی کارگروه، تسهیلات در بانک عامل تصویب و پرداخت شد.", "2026-08-01", "2026-09-10"),
    ("permits", "3923", "marand", 0, "year", "",
     "پروانه بهره~برداری به دلیل استعلام محیط زیست صادر نشده است.", "working_group", "environment", "",
     "2026-09-15", None),
    ("raw_materials", "3920", "tabriz", 40, "month", "2026-09-01",
     "گرانول پلی~اتیلن به اندازه نیاز از پتروشیمی تحویل نمی~شود.", "rejected", "industry_mine_trade",
     "گزارش تکراری است؛ همان مانع با کد دیگری پیگیری می~شود.", "2026-09-20", "2026-09-28"),
]

MEETINGS = [
    ("2026-11-15",
     "معاون اقتصادی استاندار؛ شرکت توزیع برق؛ آب منطقه~ای؛ سازمان صنعت، معدن و تجارت؛ اتاق بازرگانی تبریز",
     "جلسه ماهانه کارگروه تسهیل و رفع موانع تولید",
     [("0401", "power_distribution", "برق واحد در ساعات اوج با اولویت صنایع غذایی تأمین شود.", "2026-12-20"),
      ("3923", "environment", "استعلام محیط زیست ظرف دو هفته پاسخ داده شود.", "2026-12-05")]),
]

PLANS = [
    # agency, filed on (or None), actions: (measure, title (fa), target, unit (fa), due, [(date, achieved, evidence)])
    ("industry_mine_trade", "2026-04-12", [
        ("markets", "برگزاری نمایشگاه صادراتی محصولات مسی و پلاستیکی", 2, "نمایشگاه", "2026-09-22",
         [("2026-08-30", 1, "نامه ۱۲۳۴/ص مورخ ۱۴۰۵/۰۶/۰۸")]),
        ("quality", "استقرار استاندارد مدیریت کیفیت در واحدهای کوچک زنجیره مس", 40, "واحد", "2027-02-19",
         [("2026-10-01", 18, "گزارش اداره استاندارد")]),
        ("domestic", "جایگزینی قطعات وارداتی با ساخت داخل در صنایع خودرو", 25, "قلم قطعه", "2026-10-22",
         [("2026-10-15", 25, "فهرست قطعات بومی~سازی~شده")]),
    ]),
    ("agriculture_jihad", "2026-05-03", [
        ("pricing", "اجرای قیمت~گذاری توافقی شیر خام با کارخانه~ها", 1, "توافق~نامه", "2026-06-21", []),
        ("cost", "کاهش هزینه خوراک دام با سیلاژ ذرت", 5000, "هکتار", "2026-09-22",
         [("2026-09-01", 3200, "گزارش مدیریت زراعت")]),
    ]),
    ("standards", None, [
        ("quality", "آزمون انطباق محصولات لبنی صادراتی", 120, "نمونه", "2026-11-21", []),
    ]),
]

REALISATION = [
    # opportunity ref, stage, capital invested, jobs created, financed: bank, capital market, fund, leasing; confirmed
    ("OPP-1403-001", "operating", 420000000000, 36, 250000000000, 0, 0, 60000000000, True),
    ("OPP-1403-002", "under_construction", 0, 0, 0, 0, 0, 0, False),
    ("OPP-1403-005", "licensed", 0, 0, 0, 0, 0, 0, False),
    ("OPP-1403-009", "operating", 95000000000, 12, 40000000000, 0, 15000000000, 0, False),
]

DEMANDS = [
    # title (fa), description (fa), product, county, status, outcome (fa)
    ("واحد فرآوری شیر خشک در مرند",
     "دامداران مرند در فصل اوج شیر مازاد دارند و کارخانه~ها خرید نمی~کنند؛ یک واحد شیر خشک این مازاد را جذب می~کند.",
     "0402", "marand", "new", ""),
    ("کاهش تعرفه برق صنایع کوچک", "واحدهای کوچک زنجیره مس خواستار تعرفه برق پلکانی هستند.", "7408", "tabriz", "closed",
     "تعرفه برق در سطح ملی تعیین می~شود؛ درخواست به وزارت نیرو منعکس شد."),
]
