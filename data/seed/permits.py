"""Step templates and permit paths of the illustrative seed (issue 11), written by build_seed.py.

Every office, telephone number, fee and service level here is ILLUSTRATIVE: plausible for East
Azerbaijan, made for demonstration, until each agency replaces its own steps in the portal. The
telephone numbers are deliberately not dialable (``041-0000-01NN``). The steps follow the usual
order for an investment in the province: land, then environment and utilities in parallel, then the
establishment licence, financing, and the operating licence.
"""

from __future__ import annotations

HOURS = ("شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰", "Saturday to Wednesday 7:30–14:30")
OFFICE = {  # agency → (office in Persian, in English)
    "industrial_parks": ("تبریز، شرکت شهرک‌های صنعتی استان، واحد واگذاری زمین", "Tabriz, provincial Industrial Parks Company, land allocation unit"),
    "environment": ("تبریز، اداره کل حفاظت محیط زیست استان، دفتر ارزیابی", "Tabriz, provincial Department of Environment, assessment office"),
    "regional_water": ("تبریز، شرکت آب منطقه‌ای، دفتر خدمات مشترکین", "Tabriz, Regional Water Company, customer service office"),
    "power_distribution": ("تبریز، شرکت توزیع نیروی برق، دفتر انشعابات", "Tabriz, Power Distribution Company, connections office"),
    "gas": ("تبریز، شرکت گاز استان، دفتر انشعابات صنعتی", "Tabriz, provincial Gas Company, industrial connections office"),
    "industry_mine_trade": ("تبریز، سازمان صنعت، معدن و تجارت، میز خدمت سرمایه‌گذاری", "Tabriz, Organisation of Industry, Mine and Trade, investment service desk"),
    "banks_council": ("تبریز، دبیرخانه شورای هماهنگی بانک‌های استان", "Tabriz, secretariat of the provincial banks' coordination council"),
    "agriculture_jihad": ("تبریز، سازمان جهاد کشاورزی، مدیریت صنایع تبدیلی", "Tabriz, Agriculture Jihad Organisation, processing industries office"),
    "veterinary": ("تبریز، اداره کل دامپزشکی استان، دفتر بهداشت فرآورده‌ها", "Tabriz, provincial Veterinary Department, product hygiene office"),
    "cooperatives": ("تبریز، اداره کل تعاون، کار و رفاه اجتماعی، دفتر ثبت تعاونی‌ها", "Tabriz, Cooperatives, Labour and Social Welfare, cooperative registration office"),
    "cultural_heritage": ("تبریز، اداره کل میراث فرهنگی، گردشگری و صنایع‌دستی، دفتر مشاغل خانگی", "Tabriz, Cultural Heritage, Tourism and Handicrafts, home business office"),
    "science_tech_park": ("تبریز، پارک علم و فناوری استان، دفتر پذیرش", "Tabriz, provincial Science and Technology Park, admissions office"),
    "aras_free_zone": ("جلفا، سازمان منطقه آزاد ارس، مرکز خدمات سرمایه‌گذاری", "Jolfa, Aras Free Zone Organisation, investment service centre"),
}
PHONE = {agency: f"041-0000-01{i:02d}" for i, agency in enumerate(OFFICE, 1)}
LICENCE_LAW = ("قانون اصلاح مواد ۱ و ۷ قانون اجرای سیاست‌های کلی اصل چهل و چهارم (۱۴۰۰): درگاه ملی مجوزها؛ پاسخ‌ندادن در مهلت به منزله صدور مجوز است",
               "Amendment of articles 1 and 7 of the Article 44 Policies Act (1400): the national licensing portal; no answer within the deadline counts as the licence issued")

# slug, agency, name fa/en, documents fa/en ("|"), cost in rials, working days, legal basis fa/en,
# refusal conditions [(fa, en)], deemed approval when overdue
TEMPLATES = [
    ("land_allocation", "industrial_parks", "واگذاری زمین در شهرک صنعتی", "Land allocation in an industrial park",
     "طرح توجیهی|تصویر کارت ملی یا اساسنامه شرکت|فیش واریز پیش‌پرداخت", "Feasibility study|National ID card or company articles|Receipt of the down payment",
     25_000_000, 15, "قانون تأسیس شرکت شهرک‌های صنعتی ایران و آیین‌نامه واگذاری زمین", "Industrial Parks Company of Iran Act and its land allocation rules",
     [("فعالیت با کاربری شهرک سازگار نیست", "The activity does not fit the park's land use"),
      ("طرح توجیهی ناقص است یا با مساحت درخواستی نمی‌خواند", "The feasibility study is incomplete or does not match the area asked for"),
      ("زمین آماده واگذاری در شهرک موجود نیست", "No serviced plot is available in the park")], False),
    ("environment_permit", "environment", "استعلام و مجوز محیط زیست", "Environment permit",
     "فرم استعلام محیط زیست|نقشه جانمایی|شرح فرایند تولید و پسماند", "Environment inquiry form|Site plan|Description of the process and its waste",
     8_000_000, 10, "قانون حفاظت و بهسازی محیط زیست (۱۳۵۳) و ضوابط استقرار واحدهای صنعتی", "Environmental Protection and Enhancement Act (1353) and the siting rules for industrial units",
     [("فاصله از مناطق حفاظت‌شده یا مسکونی کمتر از حد مجاز است", "Too close to a protected or residential area"),
      ("روش دفع پسماند یا پساب پذیرفتنی نیست", "The waste or effluent disposal method is not acceptable"),
      ("مدارک فرایند تولید ناقص است", "The description of the process is incomplete")], True),
    ("water_connection", "regional_water", "انشعاب آب صنعتی", "Industrial water connection",
     "نامه واگذاری زمین|برآورد مصرف سالانه آب", "Land allocation letter|Estimate of yearly water use",
     40_000_000, 12, "قانون توزیع عادلانه آب (۱۳۶۱)", "Fair Water Distribution Act (1361)",
     [("سهمیه آب در محدوده شهرک تکمیل است", "The park's water quota is used up"),
      ("مصرف برآوردشده با ظرفیت طرح نمی‌خواند", "The estimated use does not match the plant's capacity")], False),
    ("power_connection", "power_distribution", "انشعاب برق", "Power connection",
     "نامه واگذاری زمین|دیماند درخواستی (کیلووات)", "Land allocation letter|Requested demand (kW)",
     120_000_000, 12, "آیین‌نامه تکمیلی تعرفه‌های برق و شرایط عمومی انشعاب", "Supplementary rules on electricity tariffs and general connection terms",
     [("ظرفیت پست یا شبکه محل کافی نیست", "The local substation or network lacks capacity"),
      ("دیماند درخواستی مستند نیست", "The requested demand is not justified")], False),
    ("gas_connection", "gas", "انشعاب گاز صنعتی", "Industrial gas connection",
     "نامه واگذاری زمین|نقشه تأسیسات گازی تأییدشده", "Land allocation letter|Approved plan of the gas installation",
     60_000_000, 10, "آیین‌نامه واگذاری انشعاب گاز به واحدهای صنعتی", "Rules for gas connections to industrial units",
     [("شبکه گاز به محل نرسیده است", "The gas network does not reach the site"),
      ("نقشه تأسیسات تأیید نشده است", "The installation plan is not approved")], False),
    ("establishment_licence", "industry_mine_trade", "جواز تأسیس", "Establishment licence",
     "طرح توجیهی|مجوز محیط زیست|نامه واگذاری زمین", "Feasibility study|Environment permit|Land allocation letter",
     5_000_000, 7, *LICENCE_LAW,
     [("ظرفیت تولید کشور یا استان برای این محصول اشباع اعلام شده است", "The product's capacity is declared saturated"),
      ("مجوزهای پیشین (زمین یا محیط زیست) ارائه نشده است", "An earlier permit (land or environment) is missing")], True),
    ("bank_financing", "banks_council", "تسهیلات بانکی یا صندوق", "Bank or fund financing",
     "جواز تأسیس|طرح توجیهی با گزارش ارزیابی|وثیقه یا ضمانت‌نامه", "Establishment licence|Feasibility study with appraisal|Collateral or guarantee",
     15_000_000, 20, "دستورالعمل تسهیلات سرمایه در گردش و طرح‌های تولیدی بانک مرکزی", "Central Bank rules on facilities for production projects",
     [("آورده نقدی متقاضی کمتر از حد لازم است", "The applicant's own contribution is below the required share"),
      ("وثیقه یا ضمانت کافی نیست", "The collateral or guarantee is insufficient"),
      ("طرح از نظر مالی توجیه‌پذیر ارزیابی نشد", "The appraisal found the project not financially viable")], False),
    ("operating_licence", "industry_mine_trade", "پروانه بهره‌برداری", "Operating licence",
     "جواز تأسیس|صورت‌جلسه بازدید کارشناس|قرارداد انشعاب‌ها", "Establishment licence|Inspection report|Utility contracts",
     5_000_000, 7, *LICENCE_LAW,
     [("بازدید نشان داد ماشین‌آلات نصب‌شده با جواز نمی‌خواند", "The inspection found the installed machinery does not match the licence"),
      ("ایمنی و بهداشت کار تأیید نشد", "Health and safety were not approved")], True),
    ("agri_site_approval", "agriculture_jihad", "موافقت با تغییر کاربری و استقرار", "Land use and siting approval",
     "سند یا قرارداد اجاره زمین|کروکی محل|طرح توجیهی", "Title deed or lease|Site sketch|Feasibility study",
     10_000_000, 15, "قانون حفظ کاربری اراضی زراعی و باغ‌ها (۱۳۷۴)", "Act on Preserving the Use of Farm Land and Orchards (1374)",
     [("زمین در محدوده اراضی زراعی ممنوع‌التغییر است", "The land is farmland whose use may not be changed"),
      ("مالکیت یا اجاره زمین مستند نیست", "Ownership or lease of the land is not documented")], False),
    ("agri_establishment", "agriculture_jihad", "جواز تأسیس صنایع تبدیلی کشاورزی", "Agricultural processing establishment licence",
     "موافقت استقرار|مجوز محیط زیست|طرح توجیهی", "Siting approval|Environment permit|Feasibility study",
     5_000_000, 7, *LICENCE_LAW,
     [("مواد اولیه کافی در منطقه تأمین نمی‌شود", "The area cannot supply enough raw material"),
      ("مجوزهای پیشین ارائه نشده است", "An earlier permit is missing")], True),
    ("veterinary_licence", "veterinary", "پروانه بهداشتی دامپزشکی", "Veterinary hygiene licence",
     "نقشه خط تولید|معرفی مسئول فنی", "Production line plan|Appointment of a technical manager",
     6_000_000, 10, "قانون سازمان دامپزشکی کشور (۱۳۵۰)", "Veterinary Organisation Act (1350)",
     [("خط تولید ضوابط بهداشتی را ندارد", "The production line does not meet hygiene rules"),
      ("مسئول فنی واجد شرایط معرفی نشده است", "No qualified technical manager was appointed")], False),
    ("agri_operating", "agriculture_jihad", "پروانه بهره‌برداری صنایع تبدیلی", "Agricultural processing operating licence",
     "جواز تأسیس|پروانه بهداشتی|صورت‌جلسه بازدید", "Establishment licence|Hygiene licence|Inspection report",
     5_000_000, 7, *LICENCE_LAW,
     [("بازدید نشان داد واحد آماده بهره‌برداری نیست", "The inspection found the unit not ready to operate")], True),
    ("cooperative_registration", "cooperatives", "ثبت تعاونی", "Cooperative registration",
     "اساسنامه|صورت‌جلسه مجمع مؤسس|فهرست اعضا (دست‌کم هفت نفر)", "Articles|Minutes of the founding meeting|List of members (at least seven)",
     3_000_000, 10, "قانون بخش تعاونی اقتصاد جمهوری اسلامی ایران (۱۳۷۰)", "Cooperative Sector Act (1370)",
     [("شمار اعضا کمتر از حد قانونی است", "Fewer members than the law requires"),
      ("موضوع فعالیت در اساسنامه روشن نیست", "The articles do not state the activity clearly")], False),
    ("home_business_licence", "cultural_heritage", "مجوز مشاغل خانگی یا صنایع‌دستی", "Home business or handicraft licence",
     "کارت ملی|گواهی مهارت فنی و حرفه‌ای|نشانی محل کار", "National ID card|Technical and vocational skill certificate|Address of the workplace",
     0, 10, "قانون ساماندهی و حمایت از تولید و اشتغال در خانه (۱۳۸۹)", "Act on Organising and Supporting Home-Based Production and Work (1389)",
     [("فعالیت در فهرست مشاغل خانگی نیست", "The activity is not on the list of home businesses"),
      ("گواهی مهارت ارائه نشده است", "No skill certificate was given")], True),
    ("microcredit", "banks_council", "تسهیلات خرد و اشتغال خانگی", "Microcredit for home and small businesses",
     "مجوز فعالیت|ضامن یا سفته", "Activity licence|Guarantor or promissory note",
     2_000_000, 20, "دستورالعمل تسهیلات اشتغال خرد و خانگی", "Rules on microcredit for small and home businesses",
     [("ضامن معتبر معرفی نشده است", "No valid guarantor was named"),
      ("سهمیه تسهیلات شهرستان تمام شده است", "The county's loan quota is used up")], False),
    ("kb_assessment", "science_tech_park", "ارزیابی دانش‌بنیان و پذیرش در پارک", "Knowledge-based assessment and park admission",
     "طرح کسب‌وکار|سوابق فنی تیم|مستندات فناوری", "Business plan|Team's technical record|Technology documents",
     10_000_000, 20, "قانون حمایت از شرکت‌ها و مؤسسات دانش‌بنیان (۱۳۸۹)", "Act on Supporting Knowledge-Based Firms (1389)",
     [("فناوری محصول در سطح لازم نیست", "The product's technology does not reach the required level"),
      ("تیم فنی مستند نیست", "The technical team is not documented")], False),
    ("free_zone_permit", "aras_free_zone", "مجوز سرمایه‌گذاری در منطقه آزاد", "Free-zone investment permit",
     "طرح توجیهی|مدارک هویتی یا ثبتی|برنامه صادرات", "Feasibility study|Identity or registration papers|Export plan",
     30_000_000, 15, "قانون چگونگی اداره مناطق آزاد تجاری-صنعتی (۱۳۷۲)", "Act on the Administration of Free Trade-Industrial Zones (1372)",
     [("فعالیت با طرح جامع منطقه سازگار نیست", "The activity does not fit the zone's master plan"),
      ("برنامه صادرات یا ارزآوری ارائه نشده است", "No export plan was given")], False),
    ("free_zone_operating", "aras_free_zone", "پروانه بهره‌برداری منطقه آزاد", "Free-zone operating licence",
     "مجوز سرمایه‌گذاری|صورت‌جلسه بازدید", "Investment permit|Inspection report",
     10_000_000, 10, "قانون چگونگی اداره مناطق آزاد تجاری-صنعتی (۱۳۷۲)", "Act on the Administration of Free Trade-Industrial Zones (1372)",
     [("بازدید نشان داد واحد آماده بهره‌برداری نیست", "The inspection found the unit not ready to operate")], True),
]

# slug, name fa/en, steps as (template, stage): steps of one stage run in parallel
PATHS = [
    ("industrial_plant", "واحد صنعتی در شهرک صنعتی", "Industrial plant in an industrial park",
     [("land_allocation", 1), ("environment_permit", 2), ("water_connection", 2), ("power_connection", 2),
      ("gas_connection", 2), ("establishment_licence", 3), ("bank_financing", 4), ("operating_licence", 5)]),
    ("agri_processing", "واحد صنایع تبدیلی کشاورزی", "Agricultural processing unit",
     [("agri_site_approval", 1), ("environment_permit", 2), ("power_connection", 2), ("water_connection", 2),
      ("agri_establishment", 3), ("veterinary_licence", 4), ("bank_financing", 4), ("agri_operating", 5)]),
    ("cooperative_workshop", "کارگاه تعاونی", "Cooperative workshop",
     [("cooperative_registration", 1), ("environment_permit", 2), ("power_connection", 2),
      ("establishment_licence", 3), ("microcredit", 4), ("operating_licence", 5)]),
    ("home_business", "کسب‌وکار خانگی و صنایع‌دستی", "Home business and handicrafts",
     [("home_business_licence", 1), ("microcredit", 2)]),
    ("knowledge_based", "شرکت دانش‌بنیان در پارک علم و فناوری", "Knowledge-based firm in the science and technology park",
     [("kb_assessment", 1), ("bank_financing", 2), ("operating_licence", 3)]),
    ("free_zone", "سرمایه‌گذاری در منطقه آزاد ارس", "Investment in the Aras free zone",
     [("free_zone_permit", 1), ("environment_permit", 2), ("power_connection", 2), ("free_zone_operating", 3)]),
]

PATH_OF_AGENCY = {"industry_mine_trade": "industrial_plant", "agriculture_jihad": "agri_processing",
                  "cooperatives": "cooperative_workshop", "cultural_heritage": "home_business",
                  "science_tech_park": "knowledge_based", "aras_free_zone": "free_zone"}


def write_permits(write, out_dir, opportunities) -> None:
    """step_templates.csv, permit_paths.csv and opportunity_paths.csv (every opportunity gets a path)."""
    write(out_dir, "step_templates.csv",
          ["slug", "agency", "name_fa", "name_en", "office_fa", "office_en", "phone", "hours_fa", "hours_en",
           "documents_fa", "documents_en", "cost_rials", "sla_days", "legal_basis_fa", "legal_basis_en",
           "conditions_fa", "conditions_en", "deemed_approval"],
          [[slug, agency, nfa, nen, *OFFICE[agency], PHONE[agency], *HOURS, dfa, den, cost, days, lfa, len_,
            "|".join(c[0] for c in conds), "|".join(c[1] for c in conds), "yes" if deemed else "no"]
           for slug, agency, nfa, nen, dfa, den, cost, days, lfa, len_, conds, deemed in TEMPLATES])
    write(out_dir, "permit_paths.csv", ["slug", "name_fa", "name_en", "steps"],
          [[slug, nfa, nen, "|".join(f"{t}@{stage}" for t, stage in steps)] for slug, nfa, nen, steps in PATHS])
    write(out_dir, "opportunity_paths.csv", ["opportunity", "path"],
          [[ref, PATH_OF_AGENCY[agency]] for ref, agency in opportunities])
