"""Seed additions for the people the governor's article names (issue 9): small and home businesses,
cooperatives, the digital economy, medicinal plants and herbal products, pharmaceuticals, handicrafts
and tourism, bakeries and confectioners; and the bilingual aliases of the products.

Plain data that ``build_seed.py`` appends to its own tables (kept apart so the two files change
independently). Every figure is an ILLUSTRATIVE estimate for the demo, like the rest of the seed.
Persian literals write the ZWNJ as "~", as in ``build_seed.py``.
"""

from __future__ import annotations

CHAINS = [
    ("medicinal_plants", "گیاهان دارویی، زعفران و دارو", "Medicinal plants, saffron and pharmaceuticals", 0.6,
     "آویشن، گل~محمدی، زعفران و گیاهان دارویی دامنه~های سهند و ارسباران؛ بیشتر خشک و فله فروخته می~شوند، در حالی "
     "که دمنوش، اسانس و داروی گیاهی و بخشی از مواد اولیه دارویی از بیرون استان می~رسد.",
     "Thyme, Damask rose, saffron and the medicinal herbs of the Sahand and Arasbaran slopes are mostly sold dried "
     "and in bulk, while herbal teas, essential oils, herbal medicines and some pharmaceutical inputs come from "
     "outside the province."),
    ("handicrafts_tourism", "صنایع دستی و گردشگری", "Handicrafts and tourism", 0.55,
     "گلیم و ورنی ارسباران، سفال، منبت و معرق، نقره~کاری و سوزن~دوزی، در کنار کندوان، کلیبر و بازار تبریز؛ "
     "کارگاه~های خانگی پراکنده~اند و اقامتگاه بوم~گردی و تور کم است.",
     "Arasbaran kilims and verni, pottery, wood carving and marquetry, silverwork and embroidery, beside "
     "Kandovan, Kaleybar and the Tabriz bazaar: home workshops are scattered and eco-lodges and tours are few."),
]

#: Extra remits of existing agencies (slug -> sectors added).
AGENCY_SECTORS = {"cultural_heritage": "services"}


def add_products(p) -> None:
    """Call ``build_seed.p`` for every new product (same arguments)."""
    # --- medicinal plants, saffron and pharmaceuticals
    p("1209", "بذر و نشای گیاهان دارویی", "Seeds and seedlings of medicinal plants, for sowing", "agriculture",
      "raw", "tonne", 2e9, "medicinal_plants", "IOH", d=20, s=0.5, util=0.7)
    p("0601", "پیاز زعفران", "Saffron corms", "agriculture", "raw", "tonne", 150e6, "medicinal_plants", "IOH",
      s=0.6, util=0.8)
    p("091099", "آویشن و گیاهان معطر خشک", "Thyme and other dried aromatic herbs", "agriculture", "raw",
      "tonne", 900e6, "medicinal_plants", "IOH", d=400, out=2500, util=0.85, au=900, iu=60, jobs=2200)
    p("091020", "زعفران", "Saffron", "food", "final", "tonne", 1500e9, "medicinal_plants", "IOH", d=3, s=0.2,
      util=0.8, au=60, iu=5, jobs=300)
    p("1211", "دمنوش و گیاهان دارویی بسته~بندی", "Herbal teas and packed medicinal herbs", "food", "final",
      "tonne", 3e9, "medicinal_plants", "IOHK", d=1200, s=0.35, util=0.75, au=40, iu=6)
    p("3301", "اسانس، گلاب و عرقیات گیاهی", "Essential oils, rose water and herbal distillates", "chemicals",
      "intermediate", "tonne", 40e9, "medicinal_plants|honey", "IOHK", d=15, s=0.3, util=0.7, au=12, iu=3)
    p("2939", "آلکالوئیدها و عصاره~های مؤثره گیاهی", "Plant alkaloids and active plant extracts", "chemicals",
      "intermediate", "tonne", 60e9, "medicinal_plants", "CK", s=0.1, util=0.7, au=1, iu=0)
    p("2941", "آنتی~بیوتیک (ماده مؤثره)", "Antibiotics (active ingredients)", "chemicals", "intermediate", "tonne",
      30e9, "medicinal_plants", "CK", s=0.0, cap=0, au=0, iu=0)
    p("3004", "داروی بسته~بندی~شده (شیمیایی و گیاهی)", "Medicaments in measured doses (chemical and herbal)",
      "chemicals", "final", "tonne", 25e9, "medicinal_plants", "CK", d=6000, s=0.3, util=0.7, au=5, iu=1,
      jobs=1500)
    p("3005", "گاز، باند و پانسمان استریل", "Wadding, gauze, bandages and dressings", "chemicals", "final", "tonne",
      3e9, "medicinal_plants", "IOC", d=1500, s=0.4, util=0.7)
    p("3305", "شامپو و فرآورده~های گیاهی مو", "Hair preparations (herbal shampoos)", "chemicals", "final", "tonne",
      1.5e9, "medicinal_plants|petrochemicals", "IOHC", d=9000, s=0.5, util=0.7)
    p("3822", "کیت و معرف~های تشخیص آزمایشگاهی", "Diagnostic and laboratory reagents and kits", "chemicals",
      "final", "tonne", 80e9, "medicinal_plants", "K", d=40, s=0.15, util=0.7, au=2, iu=0)
    # --- handicrafts and tourism
    p("4403", "چوب گردو و چوب خام", "Wood in the rough (walnut and other logs)", "agriculture", "raw", "m3",
      40e6, "handicrafts_tourism", "OC", s=0.7, util=0.8, agency="natural_resources")
    p("1401", "ترکه بید و الیاف گیاهی حصیربافی", "Willow and other vegetable plaiting materials", "agriculture",
      "raw", "tonne", 60e6, "handicrafts_tourism", "IOH", out=900, util=0.8, agency="natural_resources")
    p("5102", "موی بز و کرک", "Goat hair and other animal hair, not carded", "agriculture", "raw", "tonne", 250e6,
      "handicrafts_tourism|carpet", "IOH", out=1200, util=0.9)
    p("7106", "نقره خام", "Silver, unwrought", "metals", "raw", "tonne", 120e9, "handicrafts_tourism", "C",
      s=0.0, cap=0, au=0, iu=0)
    p("5110", "نخ موی بز برای گلیم و جاجیم", "Yarn of goat hair for kilims and jajims", "textiles",
      "intermediate", "tonne", 900e6, "handicrafts_tourism|carpet", "IOH", d=50, s=0.6, util=0.8,
      agency="cultural_heritage")
    p("4408", "ورق روکش چوب برای منبت و معرق", "Sheets for veneering (for marquetry and carving)", "agriculture",
      "intermediate", "m3", 300e6, "handicrafts_tourism", "OC", d=200, s=0.3, util=0.7,
      agency="natural_resources")
    p("7113", "زیورآلات نقره و طلای دست~ساز", "Handmade jewellery of silver and gold", "metals", "final", "tonne",
      200e9, "handicrafts_tourism", "IOHC", d=30, s=0.8, util=0.6, au=300, iu=40, jobs=1200)
    p("4420", "منبت، معرق و خاتم~کاری", "Wood carving, marquetry and inlaid wood (khatam)", "agriculture", "final",
      "unit", 15e6, "handicrafts_tourism", "IOH", d=20000, s=0.9, util=0.6, au=250, iu=60, jobs=900,
      agency="natural_resources")
    p("6913", "سفال و سرامیک تزئینی دست~ساز", "Handmade pottery and ornamental ceramics", "construction", "final",
      "tonne", 150e6, "handicrafts_tourism", "IOH", d=3000, s=0.7, util=0.55, au=120, iu=40, jobs=500)
    p("5810", "سوزن~دوزی، گلدوزی و رشتی~دوزی", "Embroidery (needlework)", "textiles", "final", "tonne", 20e9,
      "handicrafts_tourism", "IOH", d=20, s=0.9, util=0.6, au=600, iu=100, jobs=2500, agency="cultural_heritage")
    p("4602", "حصیر، سبد و سبدبافی", "Basketwork and wickerwork", "agriculture", "final", "tonne", 500e6,
      "handicrafts_tourism", "IOH", d=700, s=0.9, util=0.6, au=150, iu=30, jobs=400, agency="natural_resources")
    p("5510", "اقامتگاه بوم~گردی و هتل", "Short-term accommodation (eco-lodges and hotels)", "services", "service",
      "unit", 15e6, "handicrafts_tourism", "IOHC", d=900000, s=0.5, util=0.8, x=0, nom="isic",
      agency="cultural_heritage")
    p("7912", "تور گردشگری و راهنمای محلی", "Tour operator activities (local tours and guides)", "services",
      "service", "unit", 40e6, "handicrafts_tourism", "IOHK", d=60000, s=0.5, util=0.7, x=0, nom="isic",
      agency="cultural_heritage")
    # --- digital economy and ICT services for the province's industries
    p("6201", "نرم~افزار و برنامه~نویسی سفارشی", "Computer programming (custom software)", "services", "service",
      "unit", 2e9, "automotive|copper", "IOHKC", d=300, s=0.4, util=0.8, x=0, nom="isic",
      agency="science_tech_park")
    p("6311", "میزبانی، پردازش داده و فروشگاه اینترنتی", "Data processing, hosting and online shops",
      "services", "service", "unit", 300e6, "handicrafts_tourism|dried_fruit", "IOHKC", d=3000, s=0.3, util=0.8,
      x=0, nom="isic", agency="science_tech_park")


LINKS_TEXT = """
091020: 0601 30, 4819 0.4
1211: 091099 1.3, 1209 0.01, 4819 0.1, 3923 0.05
3301: 091099 25, 7010 0.5
2939: 091099 50
2941: 1702 3.0, 2807 0.5
3004: 2941 0.02, 2939 0.005, 1302 0.01, 7010 0.1, 3923 0.05, 4819 0.08, 7120 0.5
3005: 5208 1.0, 4819 0.1
3305: 3301 0.01, 3923 0.2
3822: 7120 2.0, 3923 0.3
3304: 3301 0.02
5110: 5102 1.1
570210: 5110 0.0002
4408: 4403 2.5
7113: 7106 0.9, 4819 0.05
4420: 4408 0.005, 4403 0.01
6913: 2508 1.5, 2507 0.2
5810: 5208 0.8, 5004 0.05
4602: 1401 1.1
5510: 1905 0.0005, 0406 0.0002, 6302 0.00002, 6311 0.00005
7912: 5510 2.0, 6311 0.0002
6201: 6311 0.1
8537: 6201 0.005
8701: 6201 0.02
"""

# product, county, gap kind, agency, min and max investment (billion rials), jobs, suited-for letters,
# financing, status, title fa, title en, optional extra sentence (fa, en) -- as OPPORTUNITIES in build_seed.py
OPPORTUNITIES = [
    # --- bakeries and confectioners
    ("1905", "tabriz", "", "cooperatives", 2, 6, 5, "IHO", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه کوچک شیرینی~پزی و کیک خانگی در تبریز", "Small pastry and home-cake workshop, Tabriz",
     ("کارگاه با یک فر، همزن صنعتی و یخچال ویترینی راه می~افتد و شیرینی تر و خشک محله و سفارش مجالس را می~پزد.",
      "One oven, a mixer and a display fridge: fresh and dry pastries for the neighbourhood and party orders.")),
    ("1905", "maragheh", "", "cooperatives", 3, 8, 6, "IHO", "bank:0.6|crowdfunding:0.2", "published",
     "نانوایی نان حجیم و نیمه~حجیم در مراغه", "Bakery for European-style and semi-leavened bread, Maragheh",
     ("نان حجیم و نیمه~حجیم در شهرهای استان از عرضه کم~تر است؛ مجوز از اتحادیه نانوایان گرفته می~شود.",
      "Demand for European-style breads in the province's towns runs ahead of supply; the bakers' union issues "
      "the licence.")),
    ("1905", "marand", "", "industry_mine_trade", 8, 20, 12, "IOC", "bank:0.6|provincial_fund:0.2", "published",
     "کارگاه شیرینی خشک و کلوچه سنتی در مرند", "Traditional dry pastry and cookie workshop, Marand", None),
    ("1905", "osku", "", "cooperatives", 4, 10, 8, "HOI", "bank:0.5|crowdfunding:0.3", "published",
     "تولید نان~های محلی (لواش و تندیری) بسته~بندی~شده در اسکو", "Packed local flatbreads (lavash, tandoori), Osku",
     None),
    ("1704", "tabriz", "", "cooperatives", 3, 9, 6, "IHO", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه خانگی قرابیه، نوقا و شیرینی سنتی تبریز", "Home workshop for Tabriz ghorabieh, nougat and sweets",
     ("قرابیه و نوقای تبریز سوغات شناخته~شده~اند و در بازار و فرودگاه و فروش اینترنتی خریدار دارند.",
      "Tabriz ghorabieh and nougat are well-known souvenirs, sold in the bazaar, at the airport and online.")),
    ("1704", "ahar", "", "cooperatives", 2, 5, 4, "HO", "bank:0.5|crowdfunding:0.3", "published",
     "تولید خانگی آبنبات و حلوای عسلی در اهر", "Home-made candies and honey halva, Ahar", None),
    ("1806", "tabriz", "", "industry_mine_trade", 15, 40, 15, "IOK", "bank:0.5|provincial_fund:0.2",
     "published", "کارگاه شکلات دست~ساز و پرالین در تبریز", "Hand-made chocolate and praline workshop, Tabriz",
     None),
    ("2008", "ajabshir", "", "cooperatives", 3, 8, 6, "HOI", "bank:0.5|crowdfunding:0.2", "published",
     "تولید لواشک، پاستیل میوه و آجیل بوداده خانگی در عجب~شیر",
     "Home-made fruit leather, fruit gums and roasted nuts, Ajabshir", None),
    # --- almonds, walnuts and dried fruit
    ("080212", "ajabshir", "unprocessed_outflow", "agriculture_jihad", 5, 15, 10, "IOH", "bank:0.6|leasing:0.2",
     "published", "کارگاه پوست~گیری و درجه~بندی بادام در عجب~شیر", "Almond shelling and grading workshop, Ajabshir",
     None),
    ("080232", "heris", "unprocessed_outflow", "agriculture_jihad", 5, 12, 8, "OHI", "bank:0.6|leasing:0.2",
     "published", "کارگاه مغزگیری و بسته~بندی گردو در هریس", "Walnut cracking and packing workshop, Heris", None),
    ("081340", "bonab", "", "cooperatives", 2, 6, 5, "HIO", "bank:0.5|crowdfunding:0.2", "published",
     "تولید خانگی چیپس میوه و میوه خشک در بناب", "Home production of fruit chips and dried fruit, Bonab", None),
    # --- medicinal plants, herbal products and saffron
    ("1211", "azarshahr", "shortfall", "cooperatives", 2, 6, 8, "HOI", "bank:0.5|crowdfunding:0.3", "published",
     "کارگاه خانگی دمنوش گیاهی و بسته~بندی گیاهان دارویی در آذرشهر",
     "Home workshop for herbal teas and packed medicinal herbs, Azarshahr",
     ("گروه~های زنان روستایی آذرشهر آویشن و گل~محمدی دامنه سهند را خشک و مخلوط می~کنند؛ آموزش و مجوز بهداشت "
      "از راه تعاون و مشاغل خانگی فراهم می~شود.",
      "Azarshahr's rural women's groups dry and blend thyme and Damask rose from the Sahand slopes; training and "
      "the health permit come through the cooperatives and home-business schemes.")),
    ("1211", "kaleybar", "shortfall", "agriculture_jihad", 4, 12, 10, "OHI", "bank:0.5|provincial_fund:0.3",
     "published", "خشک~کردن و بسته~بندی گیاهان دارویی ارسباران در کلیبر",
     "Drying and packing Arasbaran medicinal herbs, Kaleybar", None),
    ("091099", "osku", "", "agriculture_jihad", 3, 10, 12, "IOH", "bank:0.6|provincial_fund:0.2", "published",
     "کشت آویشن و گیاهان دارویی در دامنه سهند (اسکو)", "Growing thyme and medicinal herbs on the Sahand slopes, Osku",
     None),
    ("091020", "khoda_afarin", "shortfall", "agriculture_jihad", 3, 8, 10, "IOH", "bank:0.6|provincial_fund:0.2",
     "published", "کشت و فرآوری زعفران در خداآفرین", "Saffron growing and processing, Khoda Afarin",
     ("زمستان معتدل دره ارس برای زعفران مناسب است؛ پیاز زعفران از طرح جهاد کشاورزی تأمین می~شود.",
      "The mild winters of the Aras valley suit saffron; corms come through the Agriculture Jihad scheme.")),
    ("091020", "maragheh", "shortfall", "cooperatives", 2, 5, 6, "HOI", "bank:0.5|crowdfunding:0.3", "published",
     "بسته~بندی خانگی زعفران و دمنوش زعفرانی در مراغه", "Home packing of saffron and saffron tea, Maragheh", None),
    ("0601", "hurand", "shortfall", "agriculture_jihad", 2, 6, 5, "IO", "bank:0.6|provincial_fund:0.2",
     "published", "تکثیر پیاز زعفران و نشای گیاهان دارویی در هوراند",
     "Saffron corm and medicinal seedling nursery, Hurand", None),
    ("1209", "bostanabad", "shortfall", "agriculture_jihad", 3, 8, 5, "OI", "bank:0.5|provincial_fund:0.3",
     "published", "تولید بذر و نشای گیاهان دارویی در بستان~آباد",
     "Medicinal plant seeds and seedlings, Bostanabad", None),
    ("3301", "heris", "shortfall", "cooperatives", 8, 20, 10, "OHK", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه تقطیر گلاب و عرقیات گیاهی در هریس", "Rose water and herbal distillates workshop, Heris", None),
    ("3301", "tabriz", "shortfall", "science_tech_park", 40, 90, 18, "KC", "bank:0.5|provincial_fund:0.3",
     "published", "استخراج اسانس آویشن و گیاهان دارویی در پارک علم و فناوری تبریز",
     "Extraction of thyme and herbal essential oils, Tabriz Science and Technology Park", None),
    ("3305", "shabestar", "shortfall", "industry_mine_trade", 10, 25, 12, "OHIC", "bank:0.5|crowdfunding:0.2",
     "published", "تولید شامپو و صابون گیاهی در شبستر", "Herbal shampoo and soap making, Shabestar", None),
    # --- pharmaceuticals
    ("3004", "tabriz", "shortfall", "industry_mine_trade", 600, 1500, 120, "CK", "bank:0.5|capital_market:0.3",
     "published", "توسعه کارخانه داروسازی (قرص، کپسول و شربت) در تبریز",
     "Pharmaceutical plant for tablets, capsules and syrups, Tabriz", None),
    ("3004", "tabriz", "shortfall", "science_tech_park", 30, 80, 20, "K", "bank:0.4|provincial_fund:0.3",
     "published", "تولید داروی گیاهی استانداردشده در پارک علم و فناوری",
     "Standardised herbal medicines, Science and Technology Park, Tabriz", None),
    ("2941", "marand", "missing_supplier", "industry_mine_trade", 900, 2000, 90, "C",
     "capital_market:0.4|bank:0.4", "published", "تولید ماده مؤثره آنتی~بیوتیک به روش تخمیر در مرند",
     "Antibiotic active ingredients by fermentation, Marand", None),
    ("2939", "tabriz", "missing_supplier", "science_tech_park", 50, 150, 25, "KC", "bank:0.5|provincial_fund:0.3",
     "published", "استخراج عصاره~های مؤثره دارویی از گیاهان استان در تبریز",
     "Active pharmaceutical extracts from the province's plants, Tabriz", None),
    ("3005", "mianeh", "shortfall", "industry_mine_trade", 15, 40, 20, "OC", "bank:0.6|leasing:0.2", "published",
     "تولید گاز و باند استریل بیمارستانی در میانه", "Sterile gauze and hospital dressings, Mianeh", None),
    ("3822", "tabriz", "shortfall", "science_tech_park", 20, 60, 15, "K", "bank:0.4|provincial_fund:0.4",
     "published", "تولید کیت~های تشخیص آزمایشگاهی در پارک علم و فناوری تبریز",
     "Diagnostic laboratory kits, Tabriz Science and Technology Park", None),
    # --- handicrafts and tourism
    ("5701", "tabriz", "", "cultural_heritage", 1, 4, 6, "HIO", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه خانگی قالی~بافی نقشه تبریز", "Home workshop weaving Tabriz-design carpets",
     ("دار قالی، نقشه و نخ از راه تعاونی فرش دستباف تأمین و قالی آماده خریداری می~شود.",
      "Loom, design and yarn come through the hand-woven carpet cooperative, which buys the finished carpets.")),
    ("5701", "heris", "", "cooperatives", 5, 15, 25, "OHI", "bank:0.5|provincial_fund:0.3", "published",
     "تعاونی قالی~بافان هریس با رنگرزی گیاهی", "Heris carpet weavers' cooperative with natural dyeing", None),
    ("570210", "kaleybar", "", "cultural_heritage", 1, 3, 5, "HIO", "bank:0.5|crowdfunding:0.2", "published",
     "بافت گلیم و ورنی ارسباران در خانه (کلیبر)", "Home weaving of Arasbaran kilims and verni, Kaleybar", None),
    ("570210", "ahar", "", "cultural_heritage", 3, 8, 10, "OHI", "bank:0.5|provincial_fund:0.3", "published",
     "کارگاه جاجیم و گلیم~بافی زنان در اهر", "Women's jajim and kilim workshop, Ahar", None),
    ("5110", "sarab", "shortfall", "cooperatives", 4, 10, 6, "OHI", "bank:0.6|crowdfunding:0.2", "published",
     "ریسندگی نخ موی بز برای گلیم و جاجیم در سراب", "Goat-hair yarn spinning for kilims and jajims, Sarab", None),
    ("5810", "azarshahr", "", "cultural_heritage", 1, 3, 8, "HIO", "crowdfunding:0.3|bank:0.4", "published",
     "کارگاه خانگی سوزن~دوزی و گلدوزی در آذرشهر", "Home embroidery workshop, Azarshahr", None),
    ("6913", "azarshahr", "", "cultural_heritage", 2, 6, 6, "IHO", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه سفال و سرامیک دست~ساز در آذرشهر", "Handmade pottery and ceramics workshop, Azarshahr", None),
    ("4420", "tabriz", "", "cultural_heritage", 2, 6, 5, "IHO", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه منبت و معرق چوب در تبریز", "Wood carving and marquetry workshop, Tabriz", None),
    ("7113", "tabriz", "", "cultural_heritage", 5, 15, 6, "IHC", "bank:0.5|crowdfunding:0.2", "published",
     "کارگاه نقره~کاری و زیورآلات دست~ساز در بازار تبریز", "Silverwork and handmade jewellery, Tabriz bazaar",
     None),
    ("4602", "malekan", "", "cooperatives", 1, 3, 6, "HOI", "crowdfunding:0.3|bank:0.4", "published",
     "سبدبافی و حصیربافی با ترکه بید در ملکان", "Willow basketry and wickerwork, Malekan", None),
    ("5510", "osku", "shortfall", "cultural_heritage", 5, 15, 6, "IHO", "bank:0.5|provincial_fund:0.3",
     "published", "اقامتگاه بوم~گردی در روستای صخره~ای کندوان (اسکو)",
     "Eco-lodge in the rock village of Kandovan, Osku",
     ("کندوان سالانه گردشگران بسیاری دارد ولی بیشتر آنها برای شب ماندن به تبریز بازمی~گردند.",
      "Kandovan draws many visitors a year, yet most return to Tabriz for the night.")),
    ("5510", "kaleybar", "shortfall", "cultural_heritage", 8, 20, 8, "IOH", "bank:0.5|provincial_fund:0.3",
     "published", "اقامتگاه بوم~گردی در جنگل~های ارسباران و قلعه بابک (کلیبر)",
     "Eco-lodge by the Arasbaran forests and Babak Castle, Kaleybar", None),
    ("5510", "jolfa", "shortfall", "aras_free_zone", 150, 400, 60, "C", "bank:0.5|capital_market:0.3",
     "published", "احداث هتل چهارستاره در منطقه آزاد ارس (جلفا)", "Four-star hotel in the Aras Free Zone (Jolfa)",
     None),
    ("7912", "kaleybar", "shortfall", "cultural_heritage", 1, 3, 4, "IOK", "crowdfunding:0.3|bank:0.3",
     "published", "تور طبیعت~گردی و راهنمای محلی ارسباران در کلیبر",
     "Nature tours and local guides in Arasbaran, Kaleybar", None),
    ("7912", "tabriz", "shortfall", "cultural_heritage", 2, 5, 5, "IOK", "crowdfunding:0.3|bank:0.3", "published",
     "تور بازار تاریخی تبریز و صنایع دستی", "Tours of the historic Tabriz bazaar and its crafts", None),
    # --- digital economy and ICT services for the province's industries
    ("6201", "tabriz", "shortfall", "science_tech_park", 3, 10, 12, "KIO", "bank:0.4|provincial_fund:0.3",
     "published", "گروه نرم~افزاری جوانان برای اتوماسیون و نگهداری پیش~گویانه صنایع تبریز",
     "Youth software team for automation and predictive maintenance in Tabriz industry",
     ("قطعه~سازان و تابلوسازان استان نرم~افزار کنترل تولید و پایش ماشین~آلات را از تهران می~خرند.",
      "The province's parts and panel makers buy production-control and machine-monitoring software from "
      "Tehran.")),
    ("6201", "maragheh", "shortfall", "science_tech_park", 2, 6, 8, "KIH", "bank:0.4|crowdfunding:0.3",
     "published", "نرم~افزار مدیریت مزرعه و باغ برای کشاورزان مراغه",
     "Farm and orchard management software for Maragheh growers", None),
    ("6311", "tabriz", "shortfall", "science_tech_park", 2, 8, 8, "IHKO", "crowdfunding:0.3|bank:0.3",
     "published", "فروشگاه اینترنتی صنایع دستی، فرش و خشکبار استان",
     "Online shop for the province's handicrafts, carpets and dried fruit", None),
    ("6311", "tabriz", "shortfall", "science_tech_park", 60, 150, 30, "KC", "bank:0.5|provincial_fund:0.3",
     "published", "مرکز داده و میزبانی ابری برای صنایع آذربایجان شرقی",
     "Data centre and cloud hosting for East Azerbaijan's industries", None),
    ("6201", "tabriz", "shortfall", "science_tech_park", 20, 50, 25, "KC", "bank:0.4|provincial_fund:0.3",
     "draft", "سامانه هوشمند ردیابی زنجیره تأمین صنایع لبنی", "Smart supply-chain tracking system for dairies",
     None),
]

#: Hand-written other names and keywords ("|"-separated, fa then en): what applicants and clerks say.
#: ``aliases`` adds, for every product, the parts of its own names and its everyday short names.
ALIASES = {
    "5701": "قالی|قالیچه|فرش|فرش تبریز|قالی~بافی|فرش~بافی|carpet|rug|Persian rug|Tabriz carpet|hand-knotted rug",
    "570210": "گلیم|ورنی|جاجیم|گلیم~بافی|زیلو|kilim|kelim|verni|jajim|flat-weave rug",
    "5106": "نخ قالی|نخ فرش|خامه|carpet yarn|wool yarn",
    "5105": "پشم حلاجی|wool tops|scoured wool",
    "5101": "پشم|پشم گوسفند|raw wool|greasy wool",
    "3203": "رنگرزی گیاهی|روناس|اسپرک|natural dye|madder",
    "5004": "ابریشم|نخ ابریشم فرش|silk|silk yarn",
    "080211": "بادام|بادام درختی|almond|almonds",
    "080212": "بادام|مغز بادام|پوست~گیری بادام|almond|almond kernels|shelled almonds",
    "080231": "گردو|walnut|walnuts",
    "080232": "گردو|مغز گردو|walnut|walnut kernels",
    "080620": "کشمش|مویز|raisin|raisins|sultanas",
    "080810": "سیب|سیب مراغه|apple|apples",
    "080610": "انگور|grape|grapes",
    "080910": "زردآلو|apricot",
    "081310": "برگه|قیسی|dried apricot",
    "081340": "چیپس میوه|میوه خشک|apple chips|dried fruit",
    "2008": "آجیل|لواشک|پاستیل میوه|roasted nuts|fruit leather",
    "2007": "مربا|jam|marmalade",
    "1905": "نان|نانوایی|شیرینی|شیرینی~پزی|قنادی|کیک|بیسکویت|کلوچه|bakery|bread|pastry|cake|biscuit|cookies",
    "1704": "شیرینی|شیرینی~پزی|قنادی|آبنبات|نوقا|گز|قرابیه|حلوا|confectionery|candy|sweets|nougat",
    "1806": "شکلات|شکلات~سازی|chocolate|cocoa products|praline",
    "1101": "آرد|flour|wheat flour",
    "0409": "عسل|زنبورداری|honey|beekeeping",
    "010641": "زنبور|کندو|زنبورداری|bees|beekeeping|bee colonies",
    "0410": "ژل رویال|بره~موم|royal jelly|propolis",
    "1521": "موم|شمع|beeswax|wax",
    "0406": "پنیر|پنیر لیقوان|cheese|Lighvan cheese",
    "0403": "ماست|دوغ|کشک|yogurt|doogh|kashk",
    "0401": "شیر|شیر خام|دامداری|milk|raw milk|dairy farming",
    "0405": "کره|butter",
    "6403": "کفش|کفش چرمی|کفاشی|shoes|leather shoes|footwear",
    "4202": "کیف|کیف چرمی|bag|handbag|leather bag",
    "7418": "مسگری|ظروف مسی|copperware|coppersmith",
    "6802": "سنگبری|سنگ تراورتن|stone cutting|travertine|marble",
    "2515": "تراورتن|مرمر|سنگ|travertine|marble blocks",
    "3401": "صابون|صابون~سازی|soap|natural soap",
    "3304": "لوازم آرایشی|کرم|آرایشی و بهداشتی|cosmetics|skin care",
    "2106": "مکمل|مکمل غذایی|supplements|food supplements",
    "6204": "خیاطی|پوشاک زنانه|مانتو|tailoring|women's clothing",
    "6110": "بافتنی|ژاکت|knitwear|sweaters",
    "1211": "دمنوش|دم~نوش|چای گیاهی|گیاهان دارویی|عطاری|herbal tea|tisane|herbal infusion|medicinal herbs",
    "091099": "آویشن|گیاهان دارویی|گیاهان معطر|گل~محمدی|thyme|herbs|medicinal plants",
    "091020": "زعفران|saffron|red gold",
    "0601": "پیاز زعفران|saffron corms|bulbs",
    "1209": "بذر گیاهان دارویی|نشا|herb seeds|seedlings",
    "3301": "اسانس|گلاب|عرقیات|عرق گیاهی|essential oil|rose water|distillates",
    "2939": "عصاره گیاهی|ماده مؤثره|plant extracts|alkaloids|API",
    "2941": "آنتی~بیوتیک|ماده مؤثره دارویی|antibiotics|API|active pharmaceutical ingredient",
    "3004": "دارو|داروسازی|داروی گیاهی|قرص|کپسول|شربت|medicine|drugs|pharmaceuticals|herbal medicine",
    "3005": "گاز استریل|باند|پانسمان|gauze|bandages|dressings|medical disposables",
    "3305": "شامپو|شامپوی گیاهی|shampoo|hair care",
    "3822": "کیت تشخیص|معرف آزمایشگاهی|diagnostic kits|reagents|lab kits",
    "4403": "چوب گردو|الوار|چوب|walnut wood|logs|timber",
    "1401": "ترکه بید|حصیر|willow|wicker|rattan",
    "5102": "موی بز|کرک|goat hair|cashmere",
    "7106": "نقره|silver",
    "5110": "نخ موی بز|نخ گلیم|goat hair yarn|kilim yarn",
    "4408": "روکش چوب|veneer",
    "7113": "نقره~کاری|زیورآلات|جواهرات|طلاسازی|jewellery|jewelry|silverwork|silversmith",
    "4420": "منبت|معرق|خاتم|خاتم~کاری|صنایع دستی چوبی|wood carving|marquetry|khatam|woodcraft",
    "6913": "سفال|سفالگری|سرامیک|کوزه|pottery|ceramics|handmade ceramics",
    "5810": "سوزن~دوزی|گلدوزی|رشتی~دوزی|embroidery|needlework",
    "4602": "سبدبافی|حصیربافی|سبد|basketry|basket weaving|wickerwork",
    "5510": "بوم~گردی|اقامتگاه|هتل|مهمان~پذیر|گردشگری|کندوان|eco-lodge|hotel|guesthouse|homestay|tourism",
    "7912": "تور|گردشگری|راهنمای گردشگری|طبیعت~گردی|tour|tour guide|tourism|ecotourism",
    "6201": "نرم~افزار|برنامه~نویسی|اپلیکیشن|اتوماسیون|software|programming|app development|IT",
    "6311": "فروشگاه اینترنتی|فروش آنلاین|میزبانی وب|مرکز داده|تجارت الکترونیک|e-commerce|online shop|hosting|"
            "data centre|cloud",
    "7120": "آزمایشگاه|کنترل کیفیت|laboratory|quality control|testing",
    "5210": "سردخانه|انبار|cold storage|warehouse",
    "8537": "تابلو برق|تابلوسازی|switchgear|control panels",
    "8544": "کابل|سیم برق|cable|wire",
    "7408": "سیم مسی|مفتول|copper wire",
    "8708": "قطعات خودرو|قطعه~سازی|auto parts|car parts",
    "0104": "گوسفند|بز|دامداری|sheep|goats",
    "2309": "خوراک دام|علوفه|animal feed|fodder",
    "0207": "مرغ|مرغداری|chicken|poultry",
}


ALIASES.update({
    "2603": "سنگ مس|کانسنگ مس|copper ore", "7411": "لوله مس|copper pipe", "7412": "اتصالات مسی|copper fittings",
    "2807": "جوهر گوگرد|sulfuric acid", "2713": "قیر|bitumen", "3901": "پلی اتیلن|PE|HDPE|LDPE",
    "3902": "پلی پروپیلن|PP", "3904": "پی وی سی|PVC resin", "4002": "کائوچو مصنوعی|لاستیک|synthetic rubber|SBR",
    "4011": "تایر|لاستیک خودرو|tyre|tire", "3105": "کود|کود شیمیایی|fertiliser|NPK",
    "3506": "چسب|glue|adhesive", "7208": "ورق سیاه|ورق گرم|hot-rolled coil|HRC",
    "7209": "ورق روغنی|ورق سرد|cold-rolled coil|CRC", "7219": "استیل|ورق استیل|stainless steel sheet",
    "8409": "پیستون|سرسیلندر|engine parts", "8408": "موتور گازوئیلی|diesel engine",
    "8703": "خودرو|ماشین سواری|car|passenger car", "8704": "کامیون|وانت|truck|lorry",
    "8701": "تراکتورسازی|tractor", "8458": "دستگاه تراش|تراشکاری|lathe|CNC lathe",
    "7007": "شیشه خودرو|شیشه سکوریت|windscreen|safety glass",
    "7601": "آلومینیوم|شمش|aluminium ingot|aluminum", "7604": "پروفیل|aluminium profile|extrusion",
    "7606": "ورق آلمینیوم|آلومینیوم تخت|aluminium sheet", "7607": "فویل|آلومینیوم فویل|aluminium foil|foil",
    "8438": "دستگاه صنایع غذایی|ماشین~آلات غذایی|food machinery|food processing equipment",
    "1003": "جو دامی|barley", "1005": "ذرت|maize|corn", "1001": "گندم نان|wheat",
    "2304": "کنجاله|soybean meal|soya meal", "0404": "آب پنیر|whey", "0405": "کره حیوانی|کره محلی|butter",
    "2105": "بستنی سنتی|ice cream", "0201": "گوشت قرمز|گوشت گاو|beef",
    "0407": "تخم مرغ|مرغ تخمگذار|eggs|egg", "4101": "پوست گاو|پوست دام|cowhide|raw hides",
    "4102": "پوست گوسفند|sheepskin", "4923": "باربری|حمل و نقل|کامیونداری|trucking|road freight|haulage",
    "4107": "چرم گاوی|چرم|cow leather|leather", "4112": "چرم گوسفندی|چرم بره|sheep leather|lamb leather",
    "3202": "کروم دباغی|مواد دباغی چرم|tanning agents|chrome tanning",
    "3201": "دباغی گیاهی|مازو|vegetable tannins|tanning extracts", "5002": "پیله ابریشم|نوغان|raw silk|cocoons",
    "5107": "نخ فاستونی|worsted yarn", "5201": "پنبه خام|cotton", "5205": "نخ پنبه|cotton yarn",
    "5208": "پارچه نخی|cotton fabric", "5509": "نخ پلی استر|polyester yarn",
    "5407": "پارچه پلی استر|polyester fabric|filament fabric", "6006": "پارچه بافتنی|knit fabric|jersey fabric",
    "570242": "فرش ماشینی کاشان|ماشینی|machine-made carpet|machine carpet",
    "5703": "موکت|carpeting|wall-to-wall carpet", "0811": "میوه یخ~زده|frozen fruit|IQF",
    "2009": "آبمیوه|آب سیب|آب انگور|juice", "4804": "کرافت|کاغذ بسته~بندی|kraft paper",
    "121291": "چغندر|sugar beet|beet",
    "1701": "قند|شکر سفید|sugar", "1108": "نشاسته ذرت|starch|corn starch", "1507": "روغن نباتی سویا|soybean oil",
    "1512": "روغن تخمه آفتابگردان|sunflower oil", "1511": "پالم|palm oil",
    "1803": "خمیر کاکائو|لیکور کاکائو|cocoa paste|cocoa liquor", "1804": "روغن کاکائو|cocoa butter",
    "1805": "کاکائو|cocoa|cocoa powder", "3503": "ژلاتین خوراکی|gelatine",
    "2505": "ماسه سیلیسی|شن و ماسه|silica sand|sand", "2521": "آهک سنگ|limestone", "2523": "سیمان پرتلند|cement",
    "2522": "آهک زنده|آهک هیدراته|lime|quicklime", "2520": "گچ ساختمانی|gypsum|plaster",
    "6904": "آجرپزی|کوره آجرپزی|brick|bricks", "6910": "کاشی و سرامیک بهداشتی|توالت فرنگی|روشویی|sanitary ware",
    "2507": "خاک چینی|kaolin", "2529": "فلدسپار|feldspar", "2508": "گل رس|clay|clays",
    "7214": "میلگرد|آرماتور|rebar", "7308": "اسکلت فلزی|سوله|steel structure|steel frame",
    "7005": "شیشه تخت|شیشه ساختمانی|float glass|flat glass",
    "0601": "بنه زعفران|پیاز|saffron corms|bulbs", "091020": "زعفران سرگل|زعفران رشته~ای|saffron|red gold",
})

def aliases(row: dict, short: dict[str, tuple[str, str]], fa) -> str:
    """All aliases of a product row: the hand-written ones, its short names and the parts of its names."""
    found = [fa(a) for a in ALIASES.get(row["code"], "").split("|") if a]
    if row["code"] in short:
        found += [fa(short[row["code"]][0]), short[row["code"]][1]]
    for name in (row["name_fa"], row["name_en"]):
        for sep in ("(", ")", "،", ",", ";", " و ", " and ", " or "):
            name = name.replace(sep, "|")
        found += [part.strip() for part in name.split("|")]
    names = {row["name_fa"], row["name_en"]}
    out = [a for a in dict.fromkeys(found) if len(a) >= 3 and a not in names]
    return "|".join(out[:30])
