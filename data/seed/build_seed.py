"""Generator of the ILLUSTRATIVE Panjereh seed data set (East Azerbaijan).

This script is the source of the CSV files of this folder: they are its
output, committed so that the app and the tests read plain files and need
no generator. Change the figures here and run the script again; never edit
the CSV files by hand (tests/chains/test_seed_data.py rebuilds them into a
temporary folder and requires them to be byte-for-byte the same). The run is
deterministic: fixed random seeds, ordered inputs, no clock.
Every quantity, price and count is an illustrative estimate for the demo,
not an official statistic.

How the quantities are made consistent
--------------------------------------
Products are visited users-first (reverse topological order of the links).
For each product ``p``::

    U_p   = sum over links (p -> u) of coefficient * output_u   (intermediate use)
    use_p = demand_p + U_p
    output_p = share_p * use_p          (or an explicit output for extractive products)
    cross = crosshaul_p * min(output_p, use_p)
    inflow_p  = max(0, use_p - output_p) + cross
    outflow_p = max(0, output_p - use_p) + cross

so that ``output + inflow = demand + U + outflow`` holds exactly, and
``capacity = output / utilisation``.

Jobs (where a product states none) come from sector-level labour coefficients, see
:data:`LABOUR`: ``output × own value added per unit / value added per worker`` (at least one
worker per active unit), not from one flat output-per-job ratio. Opportunities' ``gap_kind`` is
checked against the gap engine run on the written products and links (:func:`agreed_gap_kind`).

Run from the repository root (an optional argument writes elsewhere)::

    .venv/bin/python data/seed/build_seed.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import extra as additions  # data/seed/extra.py, beside this script: the additions of issue 9
import hq_data  # data/seed/hq_data.py: the HQ's obstacles, meetings, plans and realisation (issue 12)
import networkx as nx
import permits  # data/seed/permits.py, beside this script: step templates and permit paths (issue 11)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the repository root: the gap engine checks the opportunities

from chains.gaps import find_gaps  # noqa: E402
from chains.graph import build_graph  # noqa: E402
from chains.io import read_csv, read_links, read_products  # noqa: E402
from chains.settings import GapSettings  # noqa: E402

SOURCE = "Illustrative estimate (Panjereh demo data)"
Z = "\u200c"  # ZWNJ; written as "~" in the Persian literals below


def fa(text: str) -> str:
    return text.replace("~", Z)


# ----------------------------------------------------------------------------- small tables

COUNTIES = [
    ("tabriz", "تبریز", "Tabriz"),
    ("marand", "مرند", "Marand"),
    ("maragheh", "مراغه", "Maragheh"),
    ("mianeh", "میانه", "Mianeh"),
    ("ahar", "اهر", "Ahar"),
    ("sarab", "سراب", "Sarab"),
    ("bonab", "بناب", "Bonab"),
    ("shabestar", "شبستر", "Shabestar"),
    ("ajabshir", "عجب~شیر", "Ajabshir"),
    ("azarshahr", "آذرشهر", "Azarshahr"),
    ("bostanabad", "بستان~آباد", "Bostanabad"),
    ("hashtrud", "هشترود", "Hashtrud"),
    ("jolfa", "جلفا", "Jolfa"),
    ("kaleybar", "کلیبر", "Kaleybar"),
    ("malekan", "ملکان", "Malekan"),
    ("osku", "اسکو", "Osku"),
    ("varzaqan", "ورزقان", "Varzaqan"),
    ("heris", "هریس", "Heris"),
    ("khoda_afarin", "خداآفرین", "Khoda Afarin"),
    ("charuymaq", "چاراویماق", "Charuymaq"),
    ("hurand", "هوراند", "Hurand"),
]

MEASURES = [
    ("infrastructure", "تأمین زیرساخت~های اساسی تولید", "Basic production infrastructure (water, power, gas supply)"),
    ("finance", "تأمین منابع مالی", "Financing: banks, capital market, finance"),
    ("pricing", "قیمت~گذاری", "Market-based pricing"),
    ("cost", "کنترل قیمت تمام~شده", "Cost-price control"),
    ("markets", "فروش محصولات و بازارهای صادراتی", "Sales and export markets"),
    ("obstacles", "رفع موانع تولید", "Removing production obstacles (facilitation working group)"),
    ("value_chains", "ایجاد زنجیره~های ارزش", "Building value chains in industries"),
    ("single_window", "فعال~سازی پنجره واحد سرمایه~گذاری", "Activating the investment single window"),
    ("quality", "افزایش کیفیت محصولات", "Raising product quality"),
    ("domestic", "استفاده از کالای ساخت داخل", "Use of domestically made goods"),
]

SECTORS = [
    ("agriculture", "کشاورزی، دامپروری و منابع طبیعی", "Agriculture, livestock and natural resources"),
    ("food", "صنایع غذایی و تبدیلی", "Food and agro-processing industries"),
    ("mining", "معدن", "Mining and quarrying"),
    ("metals", "فلزات پایه و محصولات فلزی", "Basic metals and metal products"),
    ("chemicals", "نفت، پتروشیمی و شیمیایی", "Petroleum, petrochemicals and chemicals"),
    ("automotive", "خودرو و قطعات", "Automotive and parts"),
    ("machinery", "ماشین~آلات و تجهیزات", "Machinery and equipment"),
    ("electrical", "تجهیزات برقی و لوازم خانگی", "Electrical equipment and household appliances"),
    ("textiles", "نساجی، پوشاک و فرش", "Textiles, clothing and carpets"),
    ("leather", "چرم و کفش", "Leather and footwear"),
    ("construction", "مصالح و صنایع ساختمانی", "Construction materials"),
    ("services", "خدمات پشتیبان تولید", "Production support services"),
]

CHAINS = [
    ("copper", "زنجیره مس", "Copper", 0.9,
     "از کنسانتره معدن مس سونگون ورزقان تا مفتول، سیم، کابل و تجهیزات برقی. بخش بزرگی از کنسانتره و کاتد بدون فرآوری از استان خارج می~شود.",
     "From the Sungun (Varzaqan) copper concentrate to rod, wire, cable and electrical equipment. Much of the concentrate and cathode leaves the province unprocessed."),
    ("petrochemicals", "پتروشیمی و پلیمر", "Petrochemicals and polymers", 0.8,
     "پالایشگاه و پتروشیمی تبریز خوراک پلیمری تولید می~کنند، اما فیلم، بسته~بندی و قطعات پلاستیکی مورد نیاز صنایع استان بیشتر از بیرون می~آید.",
     "The Tabriz refinery and petrochemical complex make polymer feedstock, yet much of the film, packaging and plastic parts local industries need is brought in."),
    ("automotive", "خودرو، قطعات و ماشین~آلات", "Automotive parts and machinery", 0.8,
     "تبریز قطب تراکتورسازی، موتورسازی، ماشین~ابزار و خودروسازی است؛ ریخته~گری و قطعه~سازی با ظرفیت خالی و نیاز به بلبرینگ و قطعات وارداتی روبه~روست.",
     "Tabriz is a hub for tractors, engines, machine tools and cars; its foundries and parts makers run with spare capacity while bearings and many parts are brought in."),
    ("dairy", "شیر و فرآورده~های لبنی", "Dairy", 0.75,
     "استان شیر خام فراوان تولید می~کند، اما بخش بزرگی از آن خام به استان~های دیگر می~رود و پنیر صنعتی، شیرخشک و کره از بیرون تأمین می~شود.",
     "The province produces plenty of raw milk, but much of it leaves raw while industrial cheese, milk powder and butter are brought in from other provinces."),
    ("dried_fruit", "خشکبار و میوه", "Dried fruit and nuts", 0.7,
     "سیب مراغه، انگور و کشمش ملکان و بناب، بادام و گردو؛ محصول زیاد است ولی فرآوری، بسته~بندی و سردخانه کم است و بخشی با پوست و فله صادر می~شود.",
     "Maragheh apples, Malekan and Bonab grapes and raisins, almonds and walnuts: harvests are large but processing, packaging and cold storage are scarce, and much leaves in shell or in bulk."),
    ("carpet", "فرش و نساجی", "Carpet and textiles", 0.7,
     "فرش دستباف تبریز شهرت جهانی دارد؛ پشم خام استان اما بیشتر خام خارج می~شود و ریسندگی و بافندگی ماشینی با ظرفیت خالی کار می~کنند.",
     "Tabriz hand-knotted carpets are world-famous, yet the province's raw wool mostly leaves unprocessed and spinning and machine weaving run below capacity."),
    ("leather", "چرم و کفش", "Leather and footwear", 0.65,
     "تبریز بزرگ~ترین قطب کفش کشور است، ولی پوست خام دام استان خام خارج می~شود، دباغی~ها نیمه~فعال~اند و مواد دباغی از بیرون می~آید.",
     "Tabriz is the country's largest footwear hub, but the province's raw hides leave unprocessed, tanneries run half idle and tanning chemicals are brought in."),
    ("confectionery", "شیرینی، شکلات و غذای آماده", "Confectionery", 0.6,
     "کارخانه~های شکلات و شیرینی تبریز بازار سراسری و صادراتی دارند؛ شکر، گلوکز، ژلاتین، فویل و فیلم بسته~بندی بیشتر از بیرون استان می~رسد.",
     "Tabriz chocolate and confectionery makers sell nationwide and abroad; sugar, glucose, gelatin, foil and packaging film mostly come from outside the province."),
    ("construction", "مصالح ساختمانی", "Construction materials", 0.55,
     "سیمان، آجر، کاشی، فولاد ساختمانی و سنگ تراورتن آذرشهر؛ بلوک سنگ بیشتر بدون فرآوری خارج می~شود و سنگبری~ها با ظرفیت خالی کار می~کنند.",
     "Cement, brick, tiles, construction steel and Azarshahr travertine: stone blocks mostly leave unprocessed while local stone-cutting plants run well below capacity."),
    ("honey", "عسل و فرآورده~های زنبور عسل", "Honey and bee products", 0.5,
     "آذربایجان شرقی از قطب~های زنبورداری کشور است؛ عسل بیشتر فله فروخته می~شود و فرآورده~هایی مانند ژل رویال، موم و محصولات آرایشی کم تولید می~شوند.",
     "East Azerbaijan is one of the country's beekeeping centres; honey is mostly sold in bulk and products such as royal jelly, wax and cosmetics are hardly made."),
    ("livestock", "دام، طیور و گوشت", "Livestock and meat", 0.6,
     "پرورش گاو، گوسفند و طیور و کشتار و فرآوری گوشت؛ خوراک دام کمبود ظرفیت دارد و پوست، پشم و روده بیشتر خام از استان خارج می~شود.",
     "Cattle, sheep and poultry farming, slaughter and meat processing; feed milling is short of capacity and hides, wool and casings mostly leave raw."),
]

AGENCIES = [
    ("industry_mine_trade", "سازمان صنعت، معدن و تجارت استان آذربایجان شرقی",
     "East Azerbaijan Organisation of Industry, Mine and Trade", "driver",
     "mining|metals|chemicals|automotive|machinery|electrical|textiles|leather|food|construction"),
    ("agriculture_jihad", "سازمان جهاد کشاورزی استان آذربایجان شرقی",
     "East Azerbaijan Agriculture Jihad Organisation", "driver", "agriculture|food"),
    ("cultural_heritage", "اداره کل میراث فرهنگی، گردشگری و صنایع دستی استان",
     "General Directorate of Cultural Heritage, Tourism and Handicrafts", "driver", "textiles"),
    ("economic_deputy", "معاونت هماهنگی امور اقتصادی استانداری آذربایجان شرقی",
     "Governor's Deputy for Economic Affairs Coordination (Production Leap HQ secretariat)", "support", ""),
    ("planning_budget", "سازمان مدیریت و برنامه~ریزی استان آذربایجان شرقی",
     "East Azerbaijan Management and Planning Organisation", "support", ""),
    ("economic_affairs", "اداره کل امور اقتصادی و دارایی استان",
     "General Directorate of Economic Affairs and Finance", "support", ""),
    ("chamber", "اتاق بازرگانی، صنایع، معادن و کشاورزی تبریز",
     "Tabriz Chamber of Commerce, Industries, Mines and Agriculture", "support", ""),
    ("cooperatives", "اداره کل تعاون، کار و رفاه اجتماعی استان",
     "General Directorate of Cooperatives, Labour and Social Welfare", "support", ""),
    ("banks_council", "شورای هماهنگی بانک~های استان",
     "Provincial Banks Coordination Council", "support", ""),
    ("tax", "اداره کل امور مالیاتی استان آذربایجان شرقی",
     "East Azerbaijan General Directorate of Tax Affairs", "support", ""),
    ("science_tech_park", "پارک علم و فناوری آذربایجان شرقی",
     "East Azerbaijan Science and Technology Park", "support", "services"),
    ("aras_free_zone", "سازمان منطقه آزاد ارس",
     "Aras Free Zone Organisation", "support", ""),
    ("technical_vocational", "اداره کل آموزش فنی و حرفه~ای استان",
     "General Directorate of Technical and Vocational Training", "support", ""),
    ("standards", "اداره کل استاندارد استان آذربایجان شرقی",
     "East Azerbaijan General Directorate of Standards", "service", ""),
    ("environment", "اداره کل حفاظت محیط زیست استان",
     "General Directorate of Environmental Protection", "service", ""),
    ("natural_resources", "اداره کل منابع طبیعی و آبخیزداری استان",
     "General Directorate of Natural Resources and Watershed Management", "service", "agriculture"),
    ("veterinary", "اداره کل دامپزشکی استان آذربایجان شرقی",
     "East Azerbaijan General Directorate of Veterinary Services", "service", "agriculture|services"),
    ("customs", "اداره کل گمرک استان آذربایجان شرقی",
     "East Azerbaijan Customs Directorate", "service", "services"),
    ("industrial_parks", "شرکت شهرک~های صنعتی استان آذربایجان شرقی",
     "East Azerbaijan Industrial Parks Company", "infrastructure", "services"),
    ("regional_water", "شرکت آب منطقه~ای آذربایجان شرقی",
     "East Azerbaijan Regional Water Company", "infrastructure", ""),
    ("power_distribution", "شرکت توزیع نیروی برق استان آذربایجان شرقی",
     "East Azerbaijan Power Distribution Company", "infrastructure", ""),
    ("regional_electric", "شرکت برق منطقه~ای آذربایجان",
     "Azarbaijan Regional Electric Company", "infrastructure", ""),
    ("gas", "شرکت گاز استان آذربایجان شرقی",
     "East Azerbaijan Gas Company", "infrastructure", ""),
    ("roads", "اداره کل راهداری و حمل و نقل جاده~ای استان",
     "General Directorate of Road Maintenance and Transport", "infrastructure", "services"),
    ("roads_urban", "اداره کل راه و شهرسازی استان آذربایجان شرقی",
     "General Directorate of Roads and Urban Development", "infrastructure", "construction"),
    ("railways", "اداره کل راه~آهن آذربایجان",
     "Azarbaijan Railways Directorate", "infrastructure", ""),
]

CHAINS += additions.CHAINS
AGENCIES = [(s, n, e, c, "|".join(filter(None, [sec, additions.AGENCY_SECTORS.get(s, "")])))
            for s, n, e, c, sec in AGENCIES]

# ----------------------------------------------------------------------------- products

#: Labour per unit of output, from two sector-level coefficients (ILLUSTRATIVE ESTIMATES, not statistics):
#: the sector's value added as a share of its output value (the most a product's own value added per
#: unit may be), and value added per worker a year in rials at 1404 prices. A product's jobs are
#: ``output × va_unit / va_per_worker[sector]`` where ``va_unit`` is the product's own value added per
#: unit from the links — price less the modelled inputs, ``price − Σ a_kp·price_k`` — kept between
#: ``VA_FLOOR`` × price (inputs the seed does not model) and the sector's share × price. So a cable plant
#: that mostly buys copper wire employs far fewer people per rial of output than a carpet workshop.
#: The orders of magnitude follow the pattern of the Statistical Centre of Iran's survey of industrial
#: establishments with 10 or more workers (value added and workers by ISIC division) and of the
#: national accounts for farming and services; the figures themselves are rounded guesses for the demo
#: and should be replaced by the survey's divisions when real data are loaded. Every active unit has at
#: least one worker. Products with an explicit ``jobs=`` below carry a figure stated for that product.
#: sector: (value-added share of output, value added per worker a year in rials)
LABOUR = {
    "agriculture": (0.55, 4e9), "food": (0.25, 12e9), "mining": (0.50, 60e9), "metals": (0.25, 45e9),
    "chemicals": (0.30, 70e9), "automotive": (0.25, 25e9), "machinery": (0.35, 18e9),
    "electrical": (0.30, 25e9), "textiles": (0.35, 5e9), "leather": (0.35, 5e9),
    "construction": (0.40, 12e9), "services": (0.60, 6e9),
}
VA_FLOOR = 0.08
VALUE_PER_UNIT = {
    "agriculture": 1.2e10, "food": 3e11, "mining": 1e12, "metals": 2e12, "chemicals": 1e12,
    "automotive": 1e12, "machinery": 3e11, "electrical": 3e11, "textiles": 5e10,
    "leather": 3e10, "construction": 2e11, "services": 3e10,
}
DEFAULT_AGENCY = {
    "agriculture": "agriculture_jihad", "food": "agriculture_jihad", "services": "industrial_parks",
}

SUITED = {"I": "individual", "O": "cooperative", "H": "home_business", "K": "knowledge_based", "C": "company"}

PRODUCTS: list[dict] = []


def p(code, name_fa, name_en, sector, stage, unit, price, chains, suited, *, d=0.0, s=None, out=None,
      util=None, au=None, iu=None, jobs=None, x=0.05, cap=None, agency=None, nom="hs"):
    PRODUCTS.append(dict(
        code=code, name_fa=fa(name_fa), name_en=name_en, sector=sector, stage=stage, unit=unit,
        price=int(price), chains=chains, suited="|".join(SUITED[c] for c in suited), d=d, s=s,
        out=out, util=util, au=au, iu=iu, jobs=jobs, x=x, cap=cap, nom=nom,
        agency=agency or DEFAULT_AGENCY.get(sector, "industry_mine_trade"),
    ))


# --- copper
p("2603", "کنسانتره مس", "Copper ores and concentrates", "mining", "raw", "tonne", 1.8e9, "copper", "C",
  out=420000, util=0.9, au=2, iu=0, jobs=3500, x=0)
p("7402", "آند مس (مس تصفیه~نشده)", "Unrefined copper; copper anodes", "metals", "intermediate", "tonne", 8.5e9,
  "copper", "C", s=0.3, util=0.6, au=1, iu=0, jobs=450, x=0)
p("7403", "مس کاتد و شمش آلیاژهای مس", "Refined copper and copper alloys, unwrought", "metals", "intermediate",
  "tonne", 9.2e9, "copper", "C", out=52000, util=0.87, au=3, iu=1, jobs=900)
p("7404", "ضایعات و قراضه مس", "Copper waste and scrap", "metals", "raw", "tonne", 5.8e9, "copper", "IOC",
  s=1.2, util=0.8, au=60, iu=5)
p("7407", "میلگرد، مفتول و پروفیل مسی", "Copper bars, rods and profiles", "metals", "intermediate", "tonne", 10e9,
  "copper", "C", s=0.3, util=0.75, au=2, iu=1)
p("7408", "سیم مسی", "Copper wire", "metals", "intermediate", "tonne", 10.8e9, "copper", "CK",
  s=0.35, util=0.7, au=3, iu=1)
p("7409", "ورق، نوار و تسمه مسی", "Copper plates, sheets and strip", "metals", "intermediate", "tonne", 10.4e9,
  "copper", "C", s=0.25, util=0.7, au=2, iu=0)
p("7411", "لوله مسی", "Copper tubes and pipes", "metals", "intermediate", "tonne", 11e9, "copper", "C",
  d=1500, s=0.4, util=0.7, au=2, iu=1)
p("7412", "اتصالات لوله مسی", "Copper tube or pipe fittings", "metals", "final", "tonne", 13e9, "copper", "IOC",
  d=900, s=0.5, util=0.7)
p("7413", "کابل و سیم مسی بدون روکش", "Copper stranded wire and cables, not insulated", "metals", "final", "tonne",
  12e9, "copper", "C", d=2500, s=0.6, util=0.7)
p("7418", "ظروف و لوازم خانگی مسی (مسگری)", "Copper household articles (coppersmithing)", "metals", "final", "tonne",
  16e9, "copper", "IOH", d=600, s=1.6, util=0.7, au=140, iu=20, jobs=700)
p("7419", "سایر مصنوعات مسی", "Other articles of copper", "metals", "final", "tonne", 13.5e9, "copper", "IOC",
  d=800, s=0.6, util=0.7)
p("8544", "سیم و کابل عایق~دار", "Insulated wire and cable", "electrical", "final", "tonne", 12e9,
  "copper|automotive", "CK", d=22000, s=0.8, util=0.75, au=14, iu=2)
p("8504", "ترانسفورماتور و مبدل برق", "Electric transformers, static converters and inductors", "electrical", "final",
  "unit", 4e9, "copper", "CK", d=2200, s=0.9, util=0.7)
p("8501", "الکتروموتور و ژنراتور", "Electric motors and generators", "electrical", "intermediate", "unit", 180e6,
  "copper|automotive", "CK", d=60000, s=2.5, util=0.7, au=4, iu=1)
p("8536", "کلید، فیوز و تجهیزات حفاظت مدار", "Electrical switching and protecting apparatus, up to 1000 V",
  "electrical", "intermediate", "unit", 3e6, "copper", "CKO", d=3000000, s=0.3, util=0.75)
p("8537", "تابلو برق و کنترل", "Electric control and distribution boards and panels", "electrical", "final", "unit",
  1.2e9, "copper|automotive", "CKO", d=9000, s=1.1, util=0.7)
p("2807", "اسید سولفوریک", "Sulphuric acid; oleum", "chemicals", "intermediate", "tonne", 40e6,
  "copper|petrochemicals", "C", d=5000, s=0.9, util=0.7)
p("8418", "یخچال و فریزر", "Refrigerators, freezers and other refrigerating equipment", "electrical", "final", "unit",
  600e6, "copper|petrochemicals", "C", d=120000, s=0.3, util=0.7)
p("8415", "کولر گازی و دستگاه تهویه مطبوع", "Air conditioning machines", "electrical", "final", "unit", 650e6,
  "copper", "C", d=60000, s=0.2, util=0.7)
p("8481", "شیرآلات و اتصالات", "Taps, cocks, valves and similar appliances", "machinery", "final", "tonne", 11e9,
  "copper|automotive|construction", "IOC", d=6000, s=0.8, util=0.7)

# --- petrochemicals
p("2710", "فرآورده~های نفتی (بنزین، نفت~گاز، نفتا)", "Petroleum oils, not crude (gasoline, gas oil, naphtha)",
  "chemicals", "intermediate", "tonne", 450e6, "petrochemicals", "C", d=2500000, s=1.2, util=0.85, au=1, iu=0,
  jobs=2500, x=0.03)
p("2713", "قیر نفتی", "Petroleum bitumen and other residues", "chemicals", "intermediate", "tonne", 180e6,
  "petrochemicals|construction", "C", d=100000, s=1.5, util=0.8, au=3, iu=0)
p("2715", "آسفالت و مخلوط~های قیری", "Bituminous mixtures (asphalt)", "construction", "final", "tonne", 30e6,
  "petrochemicals|construction", "OC", d=2200000, s=1.0, util=0.6, x=0, agency="roads_urban")
p("2901", "هیدروکربن~های غیرحلقوی (اتیلن، پروپیلن، بوتادین)", "Acyclic hydrocarbons (ethylene, propylene, butadiene)",
  "chemicals", "intermediate", "tonne", 750e6, "petrochemicals", "C", s=1.02, util=0.8, au=1, iu=0, jobs=900, x=0)
p("2902", "هیدروکربن~های حلقوی (بنزن، استایرن)", "Cyclic hydrocarbons (benzene, styrene)", "chemicals",
  "intermediate", "tonne", 900e6, "petrochemicals", "C", s=1.3, util=0.75, au=1, iu=0, jobs=400)
p("3915", "ضایعات و دورریز پلاستیک", "Waste, parings and scrap of plastics", "chemicals", "raw", "tonne", 250e6,
  "petrochemicals", "IOH", out=60000, util=0.8, au=150, iu=10)
p("3901", "پلی~اتیلن", "Polymers of ethylene, in primary forms", "chemicals", "intermediate", "tonne", 1e9,
  "petrochemicals", "C", out=180000, util=0.8, au=1, iu=0, jobs=700)
p("3902", "پلی~پروپیلن", "Polymers of propylene, in primary forms", "chemicals", "intermediate", "tonne", 950e6,
  "petrochemicals|carpet", "C", s=0.05, util=0.7, au=1, iu=0)
p("3903", "پلی~استایرن، ای~پی~اس و ای~بی~اس", "Polymers of styrene (PS, EPS, ABS), in primary forms", "chemicals",
  "intermediate", "tonne", 1.2e9, "petrochemicals", "C", out=90000, util=0.75, au=1, iu=0, jobs=600)
p("3904", "پی~وی~سی", "Polymers of vinyl chloride (PVC), in primary forms", "chemicals", "intermediate", "tonne",
  800e6, "petrochemicals|construction", "C", s=0.0, cap=0, au=0, iu=0)
p("3907", "پلی~استر و پلی~کربنات (پت)", "Polyesters, polycarbonates and other polyethers (PET)", "chemicals",
  "intermediate", "tonne", 950e6, "petrochemicals|carpet", "C", s=0.0, cap=0, au=0, iu=0)
p("3909", "رزین~ها و پلی~یورتان", "Amino-resins, phenolic resins and polyurethanes, in primary forms", "chemicals",
  "intermediate", "tonne", 1.3e9, "petrochemicals|leather", "CK", s=0.4, util=0.7, au=4, iu=1)
p("3920", "فیلم و ورق پلاستیکی بسته~بندی", "Plastic plates, sheets and film (packaging film)", "chemicals",
  "intermediate", "tonne", 1.4e9, "petrochemicals|dairy|confectionery|dried_fruit", "CKO",
  d=5000, s=0.25, util=0.8, au=6, iu=1)
p("3921", "ورق و تخته فوم پلاستیکی (عایق)", "Other plastic plates, sheets and film (foam boards)", "chemicals",
  "final", "tonne", 1.6e9, "petrochemicals|construction", "OC", d=25000, s=1.0, util=0.7)
p("3923", "ظروف و بسته~بندی پلاستیکی", "Plastic articles for packing goods; closures", "chemicals", "intermediate",
  "tonne", 1.5e9, "petrochemicals|dairy|honey", "IOC", d=40000, s=0.7, util=0.95, iu=2)
p("3917", "لوله و اتصالات پلاستیکی", "Plastic tubes, pipes, hoses and fittings", "chemicals", "final", "tonne",
  1.3e9, "petrochemicals|construction", "OC", d=45000, s=1.2, util=0.7)
p("3925", "در و پنجره و ملزومات ساختمانی یو~پی~وی~سی", "Builders' ware of plastics (UPVC doors and windows)",
  "chemicals", "final", "tonne", 2.2e9, "petrochemicals|construction", "IOC", d=15000, s=0.9, util=0.7)
p("3924", "ظروف و لوازم خانگی پلاستیکی", "Plastic tableware and household articles", "chemicals", "final", "tonne",
  1.6e9, "petrochemicals", "IOHC", d=15000, s=0.8, util=0.7)
p("3926", "سایر مصنوعات و قطعات پلاستیکی", "Other articles of plastics (technical parts)", "chemicals",
  "intermediate", "tonne", 1.8e9, "petrochemicals|automotive", "IOC", d=20000, s=0.4, util=0.7)
p("4002", "لاستیک مصنوعی", "Synthetic rubber", "chemicals", "intermediate", "tonne", 1.4e9,
  "petrochemicals|automotive", "C", s=0.0, cap=0, au=0, iu=0)
p("4011", "تایر نو", "New pneumatic tyres of rubber", "chemicals", "intermediate", "tonne", 3.5e9,
  "petrochemicals|automotive", "C", d=30000, s=0.1, util=0.7, au=1, iu=0)
p("3402", "مواد شوینده و پاک~کننده", "Surface-active agents, washing and cleaning preparations", "chemicals",
  "final", "tonne", 700e6, "petrochemicals", "OC", d=50000, s=0.9, util=0.7)
p("3208", "رنگ و لاک صنعتی (پایه حلال)", "Paints and varnishes in a non-aqueous medium", "chemicals",
  "intermediate", "tonne", 900e6, "petrochemicals|automotive", "OCK", d=25000, s=0.9, util=0.7)
p("3209", "رنگ ساختمانی (پایه آب)", "Paints and varnishes in an aqueous medium", "chemicals", "final", "tonne",
  450e6, "petrochemicals|construction", "IOC", d=60000, s=1.0, util=0.7)
p("3214", "بتونه و درزگیر", "Glaziers' putty, mastics and surfacing preparations", "chemicals", "final", "tonne",
  300e6, "petrochemicals|construction", "IOC", d=30000, s=1.0, util=0.7)
p("3204", "رنگ~های آلی سنتزی (رنگینه)", "Synthetic organic colouring matter (dyes)", "chemicals", "intermediate",
  "tonne", 3e9, "petrochemicals|carpet|leather", "CK", d=500, s=0.05, util=0.7, au=1, iu=0)
p("3105", "کودهای شیمیایی مرکب", "Mineral or chemical fertilisers (NPK)", "chemicals", "intermediate", "tonne",
  250e6, "petrochemicals|dried_fruit", "OC", d=80000, s=0.3, util=0.7)
p("3506", "چسب~های آماده", "Prepared glues and adhesives", "chemicals", "intermediate", "tonne", 1.1e9,
  "petrochemicals|leather", "OCK", d=8000, s=0.6, util=0.7)

# --- automotive parts and machinery
p("7208", "ورق فولادی گرم~نوردیده", "Flat-rolled iron or non-alloy steel, hot-rolled", "metals", "intermediate",
  "tonne", 450e6, "automotive|construction", "C", d=100000, s=0.0, cap=0, au=0, iu=0)
p("7209", "ورق فولادی سردنوردیده", "Flat-rolled iron or non-alloy steel, cold-rolled", "metals", "intermediate",
  "tonne", 560e6, "automotive", "C", d=40000, s=0.0, cap=0, au=0, iu=0)
p("7219", "ورق فولاد زنگ~نزن", "Flat-rolled stainless steel", "metals", "intermediate", "tonne", 2.5e9,
  "automotive|dairy", "C", d=5000, s=0.0, cap=0, au=0, iu=0)
p("7325", "قطعات ریخته~گری چدنی و فولادی", "Cast articles of iron or steel", "metals", "intermediate", "tonne",
  700e6, "automotive", "OC", d=20000, s=1.0, util=0.45, au=60, iu=38)
p("7318", "پیچ، مهره و واشر فولادی", "Screws, bolts, nuts and washers of iron or steel", "metals", "intermediate",
  "tonne", 900e6, "automotive|construction", "IOC", d=15000, s=0.5, util=0.7)
p("7320", "فنر و تیغه فنر فولادی", "Springs and leaves for springs of iron or steel", "metals", "intermediate",
  "tonne", 950e6, "automotive", "OC", d=3000, s=0.6, util=0.7)
p("8409", "قطعات موتور (پیستون، سرسیلندر، بلوک)", "Parts for internal combustion engines", "automotive",
  "intermediate", "tonne", 1.6e9, "automotive", "OCK", d=25000, s=0.6, util=0.65)
p("8407", "موتور بنزینی خودرو", "Spark-ignition reciprocating engines", "automotive", "intermediate", "unit",
  1.3e9, "automotive", "C", s=0.15, util=0.7, au=1, iu=0, jobs=300)
p("8408", "موتور دیزل", "Compression-ignition (diesel) engines", "automotive", "intermediate", "unit", 2.2e9,
  "automotive", "C", d=2000, s=1.3, util=0.55, au=1, iu=0, jobs=2200)
p("8483", "گیربکس، دنده و قطعات انتقال قدرت", "Transmission shafts, gears and gearboxes", "automotive",
  "intermediate", "tonne", 1.5e9, "automotive", "OCK", d=8000, s=0.7, util=0.6)
p("8482", "بلبرینگ و رولبرینگ", "Ball or roller bearings", "machinery", "intermediate", "unit", 1.2e6,
  "automotive", "CK", d=1500000, s=0.05, util=0.7, au=1, iu=0)
p("8708", "قطعات و لوازم یدکی خودرو", "Parts and accessories of motor vehicles", "automotive", "intermediate",
  "tonne", 1.4e9, "automotive", "OCK", d=30000, s=0.9, util=0.42, au=180, iu=70)
p("8703", "خودروی سواری", "Motor cars for the transport of persons", "automotive", "final", "unit", 8e9,
  "automotive", "C", d=40000, s=2.0, util=0.6, au=1, iu=0, jobs=6000)
p("8704", "خودروی باری (کامیونت و کامیون)", "Motor vehicles for the transport of goods", "automotive", "final",
  "unit", 25e9, "automotive", "C", d=3000, s=0.2, util=0.6, au=1, iu=0)
p("8701", "تراکتور", "Tractors", "automotive", "final", "unit", 20e9, "automotive", "C", d=3500, s=3.0,
  util=0.55, au=2, iu=0, jobs=3500)
p("8432", "ماشین~آلات خاک~ورزی و کاشت", "Agricultural machinery for soil preparation or cultivation",
  "machinery", "final", "unit", 800e6, "automotive", "IOC", d=4000, s=1.2, util=0.7)
p("8433", "ماشین~آلات برداشت (کمباین و بیلر)", "Harvesting and threshing machinery, balers", "machinery", "final",
  "unit", 6e9, "automotive", "C", d=600, s=0.5, util=0.7)
p("8429", "لودر، بیل مکانیکی و بولدوزر", "Bulldozers, graders, excavators and shovel loaders", "machinery",
  "final", "unit", 60e9, "automotive|construction", "C", d=800, s=0.1, util=0.7, au=1, iu=0)
p("8413", "پمپ مایعات", "Pumps for liquids", "machinery", "intermediate", "unit", 200e6, "automotive", "CK",
  d=50000, s=1.8, util=0.7, au=3, iu=0)
p("8414", "کمپرسور، پمپ هوا و فن", "Air or vacuum pumps, compressors and fans", "machinery", "intermediate", "unit",
  150e6, "automotive|copper", "CK", d=80000, s=0.2, util=0.7)
p("8458", "ماشین تراش فلز", "Lathes for removing metal", "machinery", "final", "unit", 25e9, "automotive", "CK",
  d=150, s=2.0, util=0.3, au=2, iu=1, jobs=700)
p("8459", "ماشین فرز، دریل و بورینگ", "Machine tools for drilling, boring and milling metal", "machinery", "final",
  "unit", 20e9, "automotive", "CK", d=120, s=1.5, util=0.3, au=2, iu=1, jobs=450)
p("8507", "باتری خودرو (انباره الکتریکی)", "Electric accumulators (vehicle batteries)", "electrical", "intermediate",
  "unit", 35e6, "automotive", "C", d=400000, s=0.1, util=0.7, au=1, iu=0)
p("8511", "استارت و دینام", "Ignition and starting equipment (starters, alternators)", "automotive",
  "intermediate", "unit", 90e6, "automotive", "CK", d=150000, s=0.4, util=0.7)
p("8512", "چراغ و تجهیزات روشنایی خودرو", "Lighting and signalling equipment for motor vehicles", "automotive",
  "intermediate", "unit", 20e6, "automotive", "OCK", d=200000, s=0.5, util=0.7)
p("7007", "شیشه ایمنی خودرو", "Safety glass, toughened or laminated", "automotive", "intermediate", "m2", 5e6,
  "automotive", "C", d=150000, s=0.3, util=0.7)
p("9401", "صندلی خودرو و مبلمان نشستنی", "Seats and parts thereof", "automotive", "intermediate", "unit", 40e6,
  "automotive|leather", "IOC", d=250000, s=1.0, util=0.7)
p("8716", "تریلر و نیمه~تریلر", "Trailers and semi-trailers", "automotive", "final", "unit", 6e9, "automotive", "OC",
  d=1500, s=1.2, util=0.7)
p("7601", "شمش آلومینیوم", "Unwrought aluminium", "metals", "intermediate", "tonne", 2.6e9,
  "automotive|construction", "C", d=20000, s=0.0, cap=0, au=0, iu=0)
p("7604", "پروفیل آلومینیوم", "Aluminium bars, rods and profiles", "metals", "intermediate", "tonne", 3.2e9,
  "construction", "OC", d=15000, s=1.0, util=0.7)
p("7606", "ورق آلومینیوم", "Aluminium plates, sheets and strip", "metals", "intermediate", "tonne", 3.3e9,
  "confectionery|dairy", "C", d=3000, s=0.3, util=0.7)
p("7607", "فویل آلومینیوم بسته~بندی", "Aluminium foil (packaging)", "metals", "intermediate", "tonne", 4.2e9,
  "confectionery|dairy", "CK", d=2000, s=0.1, util=0.7, au=1, iu=0)
p("7610", "در و پنجره و سازه~های آلومینیومی", "Aluminium structures, doors and windows", "metals", "final", "tonne",
  5e9, "construction", "IOC", d=25000, s=1.1, util=0.7)
p("8434", "ماشین~آلات شیردوشی و لبنی", "Milking machines and dairy machinery", "machinery", "final", "unit", 3e9,
  "dairy|automotive", "CK", d=1500, s=0.3, util=0.7)
p("8436", "ماشین~آلات دامداری، مرغداری و زنبورداری", "Livestock, poultry-keeping and bee-keeping machinery",
  "machinery", "final", "unit", 500e6, "livestock|honey|automotive", "IOCK", d=6000, s=1.2, util=0.7)
p("8419", "خشک~کن و تجهیزات حرارتی صنعتی", "Industrial dryers and heat-treatment plant", "machinery", "final",
  "unit", 3e9, "dried_fruit|automotive", "CK", d=800, s=0.6, util=0.7)
p("8438", "ماشین~آلات صنایع غذایی", "Machinery for the industrial preparation of food", "machinery", "final",
  "unit", 4e9, "confectionery|automotive", "CK", d=700, s=0.7, util=0.7)

# --- dairy and livestock
p("1214", "علوفه (یونجه و شبدر)", "Forage products (lucerne, clover, hay)", "agriculture", "raw", "tonne", 120e6,
  "dairy|livestock", "IO", s=1.0, util=0.85, x=0.03)
p("1003", "جو", "Barley", "agriculture", "raw", "tonne", 180e6, "dairy|livestock", "IO", d=50000, s=0.9,
  util=0.85)
p("1005", "ذرت دانه~ای", "Maize (corn)", "agriculture", "raw", "tonne", 190e6, "dairy|livestock|confectionery",
  "IO", d=20000, s=0.2, util=0.85)
p("1001", "گندم", "Wheat and meslin", "agriculture", "raw", "tonne", 205e6, "confectionery", "IO", s=1.1,
  util=0.85)
p("2304", "کنجاله سویا", "Soya-bean oil-cake", "food", "intermediate", "tonne", 300e6, "dairy|livestock", "C",
  s=0.0, cap=0, au=0, iu=0)
p("2309", "خوراک آماده دام و طیور", "Preparations used in animal feeding", "food", "intermediate", "tonne", 260e6,
  "dairy|livestock", "OC", d=50000, s=0.8, util=0.95, iu=3, au=120)
p("0102", "گاو زنده", "Live bovine animals", "agriculture", "raw", "head", 600e6, "dairy|livestock", "IOH",
  s=1.15, util=0.85)
p("0104", "گوسفند و بز زنده", "Live sheep and goats", "agriculture", "raw", "head", 120e6, "livestock", "IOH",
  s=1.2, util=0.85)
p("0105", "مرغ زنده (جوجه گوشتی)", "Live poultry (broilers)", "agriculture", "raw", "thousand_unit", 1.75e9,
  "livestock", "IOC", s=1.0, util=0.75)
p("0401", "شیر خام و خامه", "Milk and cream, not concentrated", "agriculture", "raw", "tonne", 200e6,
  "dairy", "IOH", d=240000, out=950000, util=0.85, x=0.02)
p("0162", "خدمات دامپزشکی و تلقیح مصنوعی", "Support activities for animal production (veterinary, insemination)",
  "services", "service", "unit", 3e6, "dairy|livestock", "IKO", s=0.9, util=0.8, x=0, nom="isic",
  agency="veterinary")
p("0402", "شیرخشک و شیر تغلیظ~شده", "Milk and cream, concentrated or sweetened (milk powder)", "food",
  "intermediate", "tonne", 2.2e9, "dairy|confectionery", "C", d=2000, s=0.15, util=0.7, au=1, iu=0)
p("0403", "ماست، دوغ و کشک", "Yogurt, buttermilk, kefir and fermented milk", "food", "final", "tonne", 350e6,
  "dairy", "IOHC", d=160000, s=0.7, util=0.75)
p("0404", "آب~پنیر", "Whey and products of natural milk constituents", "food", "intermediate", "tonne", 300e6,
  "dairy", "OC", out=8000, util=0.8)
p("0405", "کره", "Butter and other milk fats", "food", "final", "tonne", 3.8e9, "dairy|confectionery", "OC",
  d=4000, s=0.4, util=0.7)
p("0406", "پنیر", "Cheese and curd", "food", "final", "tonne", 2.5e9, "dairy", "IOHC", d=18000, s=0.35,
  util=0.8)
p("2105", "بستنی", "Ice cream and other edible ice", "food", "final", "tonne", 900e6, "dairy|confectionery",
  "IOC", d=12000, s=1.0, util=0.6)
p("3501", "کازئین و کازئینات", "Casein and caseinates", "food", "intermediate", "tonne", 9e9, "dairy", "CK",
  s=0.0, cap=500, au=0, iu=1)
p("1901", "غذای کودک و فرآورده~های غذایی بر پایه شیر", "Food preparations of flour or milk (infant food)", "food",
  "final", "tonne", 4e9, "dairy|confectionery", "CK", d=3000, s=0.1, util=0.7, au=1, iu=0)
p("0201", "گوشت گاو تازه", "Meat of bovine animals, fresh or chilled", "food", "final", "tonne", 6.5e9,
  "livestock", "OC", d=40000, s=0.9, util=0.95, au=40)
p("0204", "گوشت گوسفند و بز", "Meat of sheep or goats", "food", "final", "tonne", 8e9, "livestock", "OC",
  d=30000, s=1.1, util=0.6, au=35)
p("0206", "جگر و احشای خوراکی", "Edible offal of bovine animals, sheep and goats", "food", "intermediate",
  "tonne", 1.5e9, "livestock", "OC", d=10000, out=12000, util=0.7)
p("0207", "گوشت مرغ", "Meat and edible offal of poultry", "food", "final", "tonne", 1.3e9, "livestock", "OC",
  d=130000, s=1.1, util=0.7, au=25)
p("0407", "تخم~مرغ", "Birds' eggs in shell", "agriculture", "intermediate", "tonne", 900e6,
  "livestock|confectionery", "IOC", d=90000, s=1.3, util=0.75)
p("1601", "سوسیس و کالباس", "Sausages and similar products of meat", "food", "final", "tonne", 2.2e9,
  "livestock", "OC", d=25000, s=1.0, util=0.7)
p("1602", "کنسرو و فرآورده~های گوشتی", "Prepared or preserved meat", "food", "final", "tonne", 2.2e9,
  "livestock", "OC", d=8000, s=0.6, util=0.7)
p("0504", "روده و شکمبه", "Guts, bladders and stomachs of animals (casings)", "food", "intermediate", "tonne",
  1.2e9, "livestock", "IOC", out=3000, util=0.8)
p("4101", "پوست خام گاوی", "Raw hides and skins of bovine animals", "agriculture", "raw", "tonne", 200e6,
  "leather|livestock", "IOC", out=5200, util=0.9)
p("4102", "پوست خام گوسفندی", "Raw skins of sheep or lambs", "agriculture", "raw", "tonne", 150e6,
  "leather|livestock", "IOC", out=7400, util=0.9)
p("5101", "پشم خام", "Wool, not carded or combed", "agriculture", "raw", "tonne", 180e6, "carpet|livestock",
  "IOH", out=9000, util=0.9)
p("1502", "پیه و چربی دام", "Fats of bovine animals, sheep or goats (tallow)", "food", "intermediate", "tonne",
  400e6, "livestock|honey", "OC", out=6000, util=0.8)
p("5210", "سردخانه و انبارداری", "Warehousing and storage (cold storage)", "services", "service", "tonne",
  15e6, "dairy|dried_fruit|livestock", "IOC", s=0.6, util=0.95, x=0, nom="isic", agency="industrial_parks")
p("7120", "آزمایشگاه آزمون و تحلیل فنی", "Technical testing and analysis (testing laboratory)", "services",
  "service", "unit", 8e6, "dairy|copper|honey|dried_fruit", "K", s=0.35, util=0.85, x=0, nom="isic",
  agency="science_tech_park")
p("4923", "حمل بار جاده~ای", "Freight transport by road", "services", "service", "tonne", 4e6,
  "construction|copper", "IOC", d=2000000, s=0.9, util=0.8, x=0, nom="isic", agency="roads")
p("5229", "خدمات بازرگانی و ترخیص کالا", "Other transportation support activities (freight forwarding, customs brokerage)",
  "services", "service", "unit", 50e6, "dried_fruit|carpet", "IK", d=5000, s=0.8, util=0.8, x=0, nom="isic",
  agency="customs")

# --- leather and footwear
p("4104", "چرم نیمه~تمام گاوی (وت~بلو)", "Tanned or crust hides of bovine animals (wet blue)", "leather",
  "intermediate", "m2", 9e6, "leather", "OC", s=0.3, util=0.55)
p("4105", "چرم نیمه~تمام گوسفندی", "Tanned or crust skins of sheep or lambs", "leather", "intermediate", "m2",
  7e6, "leather", "OC", s=0.3, util=0.55)
p("4107", "چرم تمام~شده گاوی", "Finished leather of bovine animals", "leather", "intermediate", "m2", 18e6,
  "leather", "OC", s=0.7, util=0.35, au=45, iu=30)
p("4112", "چرم تمام~شده گوسفندی", "Finished leather of sheep or lambs", "leather", "intermediate", "m2", 12e6,
  "leather", "OC", s=0.6, util=0.55)
p("3202", "مواد دباغی", "Synthetic and inorganic tanning substances", "chemicals", "intermediate", "tonne", 1.2e9,
  "leather", "CK", d=100, s=0.1, util=0.7, au=1, iu=0)
p("3201", "عصاره~های دباغی گیاهی", "Tanning extracts of vegetable origin", "chemicals", "intermediate", "tonne",
  1.5e9, "leather", "OK", s=0.0, cap=0, au=0, iu=0)
p("3809", "مواد تکمیلی نساجی و چرم", "Finishing agents for the textile and leather industries", "chemicals",
  "intermediate", "tonne", 1.5e9, "leather|carpet", "CK", d=1500, s=0.3, util=0.7)
p("6403", "کفش با رویه چرمی", "Footwear with uppers of leather", "leather", "final", "pair", 22e6,
  "leather", "IOHC", d=3000000, s=2.0, util=0.45, au=1600, iu=700, jobs=42000)
p("6402", "کفش و دمپایی پلاستیکی و لاستیکی", "Footwear with soles and uppers of rubber or plastics", "leather",
  "final", "pair", 6e6, "leather|petrochemicals", "IOC", d=4000000, s=0.8, util=0.7)
p("6404", "کفش با رویه پارچه~ای (کتانی)", "Footwear with uppers of textile materials", "leather", "final", "pair",
  12e6, "leather|carpet", "IOC", d=3000000, s=0.5, util=0.7)
p("6406", "زیره و قطعات کفش", "Parts of footwear (soles, insoles)", "leather", "intermediate", "pair", 3e6,
  "leather|petrochemicals", "IOHC", s=0.8, util=0.9)
p("4202", "کیف، چمدان و جامدادی", "Trunks, suitcases, handbags and similar containers", "leather", "final", "unit",
  18e6, "leather", "IOHC", d=500000, s=1.2, util=0.6)
p("4203", "پوشاک و دستکش چرمی", "Articles of apparel and gloves of leather", "leather", "final", "unit", 25e6,
  "leather", "IOHC", d=60000, s=1.2, util=0.6)

# --- carpet and textiles
p("5002", "ابریشم خام", "Raw silk (not thrown)", "textiles", "raw", "tonne", 50e9, "carpet", "IOH", s=0.0,
  cap=0, au=0, iu=0)
p("5004", "نخ ابریشم", "Silk yarn", "textiles", "intermediate", "tonne", 70e9, "carpet", "IOH", d=10, s=0.2,
  util=0.7)
p("5105", "پشم شسته و حلاجی~شده", "Wool, carded or combed", "textiles", "intermediate", "tonne", 500e6, "carpet",
  "OC", d=500, s=0.3, util=0.6)
p("5106", "نخ پشمی فرش (کارد)", "Yarn of carded wool (carpet yarn)", "textiles", "intermediate", "tonne", 900e6,
  "carpet", "OC", d=1000, s=0.6, util=0.75)
p("5107", "نخ پشمی فاستونی", "Yarn of combed wool", "textiles", "intermediate", "tonne", 1.4e9, "carpet", "OC",
  d=500, s=0.8, util=0.35, au=9, iu=6)
p("5201", "پنبه", "Cotton, not carded or combed", "agriculture", "raw", "tonne", 1.3e9, "carpet", "IO", s=0.05,
  util=0.8)
p("5205", "نخ پنبه~ای", "Cotton yarn", "textiles", "intermediate", "tonne", 2e9, "carpet", "OC", d=2000, s=0.6,
  util=0.4, au=8, iu=7)
p("5208", "پارچه پنبه~ای", "Woven fabrics of cotton", "textiles", "intermediate", "tonne", 2.8e9, "carpet", "OC",
  d=15000, s=0.3, util=0.7)
p("5503", "الیاف مصنوعی منقطع (پلی~استر)", "Synthetic staple fibres (polyester)", "textiles", "intermediate",
  "tonne", 1.2e9, "carpet|petrochemicals", "C", s=0.0, cap=0, au=0, iu=0)
p("5509", "نخ الیاف مصنوعی", "Yarn of synthetic staple fibres", "textiles", "intermediate", "tonne", 1.6e9,
  "carpet", "OC", d=2000, s=0.4, util=0.65)
p("5402", "نخ فیلامنت مصنوعی (بی~سی~اف)", "Synthetic filament yarn (BCF)", "textiles", "intermediate", "tonne",
  1.5e9, "carpet|petrochemicals", "C", d=1000, s=0.3, util=0.7)
p("5407", "پارچه از نخ فیلامنت مصنوعی", "Woven fabrics of synthetic filament yarn", "textiles", "intermediate",
  "tonne", 2.2e9, "carpet", "OC", d=20000, s=0.2, util=0.7)
p("6006", "پارچه کشباف", "Knitted or crocheted fabrics", "textiles", "intermediate", "tonne", 2.5e9, "carpet",
  "IOC", d=10000, s=0.5, util=0.7)
p("3203", "رنگ~های گیاهی (روناس و اسپرک)", "Colouring matter of vegetable origin (madder)", "chemicals",
  "intermediate", "tonne", 1.5e9, "carpet", "IOHK", d=100, s=0.8, util=0.7)
p("5701", "فرش دستباف", "Hand-knotted carpets", "textiles", "final", "m2", 120e6, "carpet", "IOH", d=60000, s=5.0,
  util=0.75, au=36000, iu=9000, jobs=60000)
p("570210", "گلیم، جاجیم و ورنی دستباف", "Kelem, schumacks and similar hand-woven rugs", "textiles", "final", "m2",
  25e6, "carpet", "IOH", d=40000, s=1.5, util=0.7, au=4000, iu=1200, jobs=6000, agency="cultural_heritage")
p("570242", "فرش ماشینی", "Machine-woven pile carpets of man-made fibres", "textiles", "final", "m2", 4.5e6,
  "carpet", "OC", d=2500000, s=0.6, util=0.4, au=25, iu=15)
p("5703", "موکت تافتینگ", "Tufted carpets and floor coverings", "textiles", "final", "m2", 2.8e6, "carpet", "OC",
  d=1500000, s=0.3, util=0.7)
p("6109", "تی~شرت و زیرپوش کشباف", "T-shirts, singlets and vests, knitted", "textiles", "final", "unit", 2.5e6,
  "carpet", "IOHC", d=8000000, s=0.6, util=0.7)
p("6110", "پلیور و ژاکت بافتنی", "Jerseys, pullovers and cardigans, knitted", "textiles", "final", "unit", 8e6,
  "carpet", "IOHC", d=3000000, s=0.8, util=0.7)
p("6203", "کت و شلوار و پوشاک مردانه", "Men's suits, jackets and trousers", "textiles", "final", "unit", 15e6,
  "carpet", "IOHC", d=2000000, s=0.5, util=0.7)
p("6204", "مانتو و پوشاک زنانه", "Women's suits, dresses and skirts", "textiles", "final", "unit", 12e6, "carpet",
  "IOHC", d=3000000, s=0.6, util=0.7)
p("6302", "ملحفه، رومیزی و حوله", "Bed, table, toilet and kitchen linen", "textiles", "final", "tonne", 3.5e9,
  "carpet", "IOHC", d=8000, s=0.4, util=0.7)
p("6305", "کیسه و گونی بسته~بندی", "Sacks and bags for packing goods", "textiles", "intermediate", "tonne", 1.3e9,
  "carpet|petrochemicals|construction", "OC", d=5000, s=0.6, util=0.9)

# --- dried fruit and nuts
p("080810", "سیب درختی", "Apples, fresh", "agriculture", "raw", "tonne", 150e6, "dried_fruit", "IO", d=140000,
  out=620000, util=0.9)
p("080610", "انگور تازه", "Grapes, fresh", "agriculture", "raw", "tonne", 180e6, "dried_fruit", "IO", d=60000,
  out=450000, util=0.9)
p("080910", "زردآلو تازه", "Apricots, fresh", "agriculture", "raw", "tonne", 250e6, "dried_fruit", "IO", d=30000,
  out=80000, util=0.9)
p("080211", "بادام با پوست", "Almonds, in shell", "agriculture", "raw", "tonne", 1.5e9, "dried_fruit", "IO",
  d=1500, out=18000, util=0.9)
p("080231", "گردو با پوست", "Walnuts, in shell", "agriculture", "raw", "tonne", 1.5e9, "dried_fruit", "IO",
  d=4000, out=25000, util=0.9)
p("080212", "مغز بادام", "Almonds, shelled", "food", "intermediate", "tonne", 5e9, "dried_fruit|confectionery",
  "IOHC", d=2500, s=0.3, util=0.7)
p("080232", "مغز گردو", "Walnuts, shelled", "food", "intermediate", "tonne", 6.5e9, "dried_fruit|confectionery",
  "IOHC", d=3000, s=0.3, util=0.7)
p("080620", "کشمش", "Grapes, dried (raisins)", "food", "intermediate", "tonne", 1.5e9,
  "dried_fruit|confectionery", "IOHC", d=8000, s=5.0, util=0.8)
p("081310", "برگه زردآلو", "Apricots, dried", "food", "final", "tonne", 2.5e9, "dried_fruit", "IOH", d=2500,
  s=2.0, util=0.7)
p("081340", "میوه خشک و چیپس میوه", "Other dried fruit (apple chips, dried mixed fruit)", "food", "final", "tonne",
  2e9, "dried_fruit", "IOH", d=3000, s=0.3, util=0.8)
p("0811", "میوه منجمد", "Fruit and nuts, frozen", "food", "final", "tonne", 700e6, "dried_fruit", "OC", d=3000,
  s=0.5, util=0.7)
p("2008", "آجیل بوداده، لواشک و میوه فرآوری~شده", "Fruit and nuts, otherwise prepared (roasted nuts, fruit leather)",
  "food", "final", "tonne", 4e9, "dried_fruit|confectionery", "IOHC", d=15000, s=1.2, util=0.7)
p("2007", "مربا و مارمالاد", "Jams, fruit jellies and marmalades", "food", "final", "tonne", 1.2e9,
  "dried_fruit", "IOHC", d=12000, s=1.0, util=0.7)
p("2009", "آبمیوه و کنسانتره", "Fruit juices", "food", "final", "tonne", 600e6, "dried_fruit", "OC", d=60000,
  s=0.8, util=0.7)
p("7010", "بطری و شیشه بسته~بندی", "Glass bottles and jars for packing goods", "construction", "intermediate",
  "tonne", 350e6, "dried_fruit|honey", "C", d=5000, s=0.5, util=0.9, au=1, iu=0)
p("4819", "کارتن و جعبه مقوایی", "Cartons, boxes and bags of paper or paperboard", "chemicals", "intermediate",
  "tonne", 600e6, "dried_fruit|confectionery|leather", "IOC", d=30000, s=0.75, util=0.92, iu=3)
p("4804", "کاغذ کرافت", "Uncoated kraft paper and paperboard", "chemicals", "intermediate", "tonne", 450e6,
  "dried_fruit|confectionery", "C", d=2000, s=0.1, util=0.7, au=1, iu=0)
p("4707", "ضایعات کاغذ و مقوا", "Waste and scrap of paper or paperboard", "chemicals", "raw", "tonne", 70e6,
  "dried_fruit|confectionery", "IOH", out=40000, util=0.8)

# --- confectionery
p("121291", "چغندر قند", "Sugar beet", "agriculture", "raw", "tonne", 30e6, "confectionery", "IO", s=1.0,
  util=0.85, x=0)
p("1701", "شکر", "Cane or beet sugar", "food", "intermediate", "tonne", 400e6, "confectionery|honey", "C",
  d=120000, s=0.4, util=0.6, au=2, iu=1, agency="industry_mine_trade")
p("1108", "نشاسته", "Starches", "food", "intermediate", "tonne", 400e6, "confectionery", "C", d=5000, s=0.3,
  util=0.7, agency="industry_mine_trade")
p("1702", "گلوکز و سایر قندها", "Glucose, fructose and other sugars; sugar syrups", "food", "intermediate",
  "tonne", 600e6, "confectionery", "CK", s=0.3, util=0.7, au=1, iu=0, agency="industry_mine_trade")
p("3505", "دکسترین و نشاسته اصلاح~شده", "Dextrins and modified starches", "chemicals", "intermediate", "tonne",
  700e6, "confectionery", "CK", d=2000, s=0.5, util=0.7)
p("1101", "آرد گندم", "Wheat or meslin flour", "food", "intermediate", "tonne", 330e6, "confectionery", "OC",
  d=450000, s=1.0, util=0.7, x=0.02, agency="industry_mine_trade", au=45)
p("1905", "بیسکویت، کیک، نان و شیرینی", "Bread, pastry, cakes and biscuits", "food", "final", "tonne", 1.2e9,
  "confectionery", "IOHC", d=180000, s=1.5, util=0.7, agency="industry_mine_trade", au=180)
p("1517", "مارگارین و روغن قنادی", "Margarine and edible fat mixtures", "food", "intermediate", "tonne", 1.3e9,
  "confectionery", "C", d=20000, s=0.6, util=0.7, agency="industry_mine_trade", au=6)
p("1507", "روغن سویا", "Soya-bean oil", "food", "intermediate", "tonne", 900e6, "confectionery", "C", d=60000,
  s=0.3, util=0.7, agency="industry_mine_trade", au=4)
p("1512", "روغن آفتابگردان", "Sunflower-seed oil", "food", "intermediate", "tonne", 1.1e9, "confectionery", "C",
  d=20000, s=0.2, util=0.7, agency="industry_mine_trade", au=3)
p("1511", "روغن پالم", "Palm oil", "food", "intermediate", "tonne", 1e9, "confectionery", "C", s=0.0, cap=0,
  au=0, iu=0, agency="industry_mine_trade")
p("1803", "خمیر کاکائو", "Cocoa paste", "food", "intermediate", "tonne", 10e9, "confectionery", "C", s=0.5,
  util=0.7, au=2, iu=0, agency="industry_mine_trade")
p("1804", "کره کاکائو", "Cocoa butter, fat and oil", "food", "intermediate", "tonne", 15e9, "confectionery", "C",
  s=0.2, util=0.7, au=1, iu=0, agency="industry_mine_trade")
p("1805", "پودر کاکائو", "Cocoa powder, unsweetened", "food", "intermediate", "tonne", 7e9, "confectionery", "C",
  d=500, s=0.2, util=0.7, au=1, iu=0, agency="industry_mine_trade")
p("1806", "شکلات و فرآورده~های کاکائویی", "Chocolate and other food preparations containing cocoa", "food",
  "final", "tonne", 4.5e9, "confectionery", "OCK", d=15000, s=3.0, util=0.7, au=18, iu=3,
  agency="industry_mine_trade")
p("1704", "آبنبات، گز و شیرینی~های قندی", "Sugar confectionery (candies, nougat), without cocoa", "food", "final",
  "tonne", 1.6e9, "confectionery|honey", "IOHC", d=20000, s=2.5, util=0.7, agency="industry_mine_trade")
p("3503", "ژلاتین", "Gelatin and gelatin derivatives", "food", "intermediate", "tonne", 4e9,
  "confectionery|leather", "CK", d=500, s=0.15, util=0.7, au=1, iu=0, agency="industry_mine_trade")
p("1302", "پکتین و عصاره~های گیاهی", "Vegetable saps and extracts; pectin", "food", "intermediate", "tonne", 6e9,
  "confectionery|dried_fruit", "CK", d=300, s=0.2, util=0.7, au=1, iu=0)
p("2106", "مکمل~ها و فرآورده~های غذایی", "Food preparations not elsewhere specified", "food", "final", "tonne",
  2e9, "confectionery|honey", "IOHK", d=8000, s=0.7, util=0.85)

# --- honey and bee products
p("010641", "کلنی زنبور عسل", "Live bees (colonies)", "agriculture", "raw", "unit", 45e6, "honey", "IOH",
  s=1.1, util=0.85, au=9000, iu=900, jobs=18000)
p("0409", "عسل طبیعی", "Natural honey", "agriculture", "final", "tonne", 6e9, "honey", "IOH", d=7000, s=1.6,
  util=0.8, au=9000, iu=900, jobs=4000)
p("0410", "ژل رویال و بره~موم", "Royal jelly, propolis and other edible animal products", "agriculture",
  "intermediate", "tonne", 80e9, "honey", "IHK", d=2, s=1.5, util=0.6, au=40, iu=5, jobs=160)
p("1521", "موم زنبور عسل", "Beeswax and other insect waxes", "agriculture", "intermediate", "tonne", 4e9, "honey",
  "IOH", d=50, s=1.5, util=0.7, au=60, iu=5, jobs=120)
p("4407", "چوب بریده و الوار", "Wood sawn or chipped lengthwise", "agriculture", "intermediate", "m3", 250e6,
  "honey", "OC", d=80000, s=0.15, util=0.7, agency="natural_resources")
p("4421", "کندو و سایر مصنوعات چوبی", "Other articles of wood (beehives)", "agriculture", "intermediate", "unit",
  25e6, "honey", "IOH", d=20000, s=1.0, util=0.6, au=120, iu=20, jobs=500, agency="natural_resources")
p("3304", "لوازم آرایشی و بهداشتی", "Beauty, make-up and skin-care preparations", "chemicals", "final", "tonne", 5e9,
  "honey|petrochemicals", "OCK", d=6000, s=0.3, util=0.7)
p("3401", "صابون", "Soap", "chemicals", "final", "tonne", 800e6, "honey|livestock", "IOHC", d=15000, s=0.6,
  util=0.7)
p("3405", "واکس و براق~کننده", "Polishes and creams for footwear, furniture and floors", "chemicals", "final",
  "tonne", 1.5e9, "honey|leather", "IOHC", d=1500, s=0.5, util=0.7)

# --- construction materials
p("2505", "ماسه طبیعی و سیلیسی", "Natural sands", "mining", "raw", "tonne", 10e6, "construction", "IOC",
  d=3000000, s=1.0, util=0.75, x=0)
p("2517", "شن و سنگ~شکسته", "Pebbles, gravel and crushed stone", "mining", "raw", "tonne", 5e6, "construction",
  "IOC", d=6000000, s=1.0, util=0.75, x=0)
p("2515", "بلوک سنگ مرمر و تراورتن", "Marble and travertine blocks", "mining", "raw", "tonne", 35e6, "construction",
  "OC", d=20000, out=600000, util=0.85, au=60, iu=8)
p("2516", "بلوک سنگ گرانیت و بازالت", "Granite, basalt and other building stone blocks", "mining", "raw", "tonne",
  50e6, "construction", "OC", d=10000, out=150000, util=0.8)
p("6802", "سنگ ساختمانی کارشده (سنگبری)", "Worked monumental or building stone", "construction", "final", "m2", 8e6,
  "construction", "IOC", d=2500000, s=0.45, util=0.4, au=140, iu=90)
p("6806", "پشم سنگ و عایق~های معدنی", "Rock wool and other mineral insulating materials", "construction",
  "final", "tonne", 500e6, "construction", "CK", d=15000, s=0.3, util=0.7)
p("2521", "سنگ آهک", "Limestone for lime or cement manufacture", "mining", "raw", "tonne", 4e6, "construction",
  "OC", s=1.05, util=0.8, x=0)
p("2523", "سیمان", "Portland and other hydraulic cements", "construction", "intermediate", "tonne", 35e6,
  "construction", "C", d=2800000, s=1.4, util=0.75, au=4, iu=0, jobs=1800)
p("2522", "آهک", "Quicklime and slaked lime", "construction", "intermediate", "tonne", 60e6, "construction", "OC",
  d=100000, s=1.0, util=0.7)
p("2520", "گچ", "Gypsum and plasters", "mining", "intermediate", "tonne", 30e6, "construction", "OC", d=600000,
  s=1.0, util=0.7)
p("6809", "پانل گچی و قطعات گچی", "Articles of plaster (gypsum board)", "construction", "final", "m2", 2.5e6,
  "construction", "IOC", d=3000000, s=0.4, util=0.7)
p("6810", "بلوک و قطعات بتنی", "Articles of cement and concrete (blocks, pavers, precast)", "construction", "final",
  "tonne", 25e6, "construction", "IOC", d=3000000, s=1.0, util=0.7, x=0)
p("6907", "کاشی و سرامیک", "Ceramic flags, paving, hearth and wall tiles", "construction", "final", "m2", 4e6,
  "construction", "C", d=6000000, s=1.3, util=0.75)
p("6904", "آجر", "Ceramic building bricks", "construction", "final", "tonne", 11e6, "construction", "IOC",
  d=1500000, s=1.0, util=0.6, x=0)
p("6910", "چینی بهداشتی", "Ceramic sinks, wash basins, WC pans and sanitary fixtures", "construction", "final",
  "unit", 30e6, "construction", "C", d=150000, s=0.2, util=0.7)
p("2507", "کائولن", "Kaolin and kaolinic clays", "mining", "raw", "tonne", 15e6, "construction", "OC",
  out=250000, util=0.8)
p("2529", "فلدسپات", "Feldspar", "mining", "raw", "tonne", 12e6, "construction", "OC", out=150000, util=0.8)
p("2508", "خاک رس", "Clays", "mining", "raw", "tonne", 5e6, "construction", "IOC", s=1.0, util=0.8, x=0)
p("7204", "قراضه آهن و فولاد", "Ferrous waste and scrap", "metals", "raw", "tonne", 200e6,
  "construction|automotive", "IOC", s=0.9, util=0.8)
p("7207", "شمش فولاد (بیلت)", "Semi-finished products of iron or non-alloy steel (billet)", "metals",
  "intermediate", "tonne", 380e6, "construction|automotive", "C", s=0.9, util=0.7, au=3, iu=1)
p("7214", "میلگرد فولادی", "Bars and rods of iron or non-alloy steel (rebar)", "metals", "intermediate", "tonne",
  450e6, "construction|automotive", "C", d=500000, s=0.8, util=0.7, au=5, iu=1)
p("7216", "نبشی، ناودانی و تیرآهن", "Angles, shapes and sections of iron or steel", "metals", "intermediate",
  "tonne", 480e6, "construction", "C", d=200000, s=0.5, util=0.7)
p("7308", "سازه~های فلزی", "Structures of iron or steel and parts thereof", "metals", "final", "tonne", 700e6,
  "construction", "IOC", d=150000, s=1.0, util=0.7)
p("7005", "شیشه فلوت", "Float glass in sheets", "construction", "intermediate", "m2", 3.5e6,
  "construction|automotive", "C", d=3000000, s=0.0, cap=0, au=0, iu=0)
p("6807", "ایزوگام و عایق~های قیری", "Articles of asphalt (bituminous roofing membranes)", "construction", "final",
  "m2", 1.6e6, "construction|petrochemicals", "OC", d=4000000, s=2.0, util=0.7)

additions.add_products(p)


# ----------------------------------------------------------------------------- links

LINKS_TEXT = """
7402: 2603 3.6
7403: 7402 0.8, 7404 0.25, 7120 0.02
7407: 7403 1.02
7408: 7407 1.02
7409: 7403 1.03
7411: 7403 1.04
7412: 7411 0.6, 7407 0.5
7413: 7408 1.03
7418: 7409 1.1
7419: 7409 0.5, 7407 0.6
8544: 7408 0.62, 3904 0.25, 3901 0.08, 7120 0.3
8504: 7408 0.2, 7209 0.45, 2710 0.25
8501: 7408 0.008, 7209 0.02, 7325 0.015, 8482 2
8536: 7409 0.0002, 3909 0.0003
8537: 8536 40, 8544 0.03, 7209 0.12, 7407 0.02, 3208 0.002
8418: 7209 0.03, 7411 0.0015, 8414 1, 3903 0.01, 3909 0.006, 8544 0.001
8415: 7411 0.004, 7209 0.02, 8414 1, 8501 1, 3903 0.008, 7604 0.003
8481: 7403 0.5, 7325 0.4
2715: 2713 0.055, 2517 0.95
2901: 2710 1.4
2902: 2710 1.4
3901: 2901 1.02
3902: 2901 1.05
3903: 2902 1.02
3904: 2901 0.5
3907: 2902 0.35, 2901 0.3
3909: 2902 0.4, 2901 0.3
3920: 3901 0.7, 3902 0.35
3921: 3903 1.02
3923: 3901 0.6, 3902 0.3, 3907 0.15, 3915 0.15
3917: 3901 0.6, 3904 0.45, 3915 0.1
3925: 3904 0.85, 7005 30
3924: 3901 0.5, 3902 0.4, 3903 0.15
3926: 3902 0.5, 3901 0.5, 3915 0.2
4002: 2901 0.75, 2902 0.25
4011: 4002 0.45, 7214 0.15, 5402 0.08
3402: 2807 0.08, 3923 0.05, 2710 0.2
3208: 3909 0.3, 2710 0.35, 3204 0.01
3209: 3909 0.2, 3923 0.03
3214: 3909 0.1, 2520 0.3
3204: 2902 0.6
3105: 2807 0.4
3506: 3909 0.4, 3501 0.01
7209: 7208 1.05
7325: 7204 1.15
7318: 7214 1.1
7320: 7214 1.1
8409: 7325 0.6, 7214 0.5, 7601 0.2
8407: 8409 0.1, 7325 0.06, 8511 2, 8483 0.03
8408: 7325 0.25, 8409 0.2, 8483 0.05, 8511 2, 8413 1
8483: 7214 0.7, 7325 0.5, 8482 150
8708: 7209 0.45, 7325 0.2, 3926 0.05, 3902 0.03, 7318 0.03
8703: 7209 0.55, 8708 0.35, 8407 1, 8544 0.02, 4011 0.035, 7007 3.5, 9401 3, 8507 1, 8512 2, 3208 0.006, 7318 0.015, 7320 0.012, 8483 0.08
8704: 7208 2, 8708 0.6, 8408 1, 4011 0.15, 7007 4, 9401 2, 8507 2, 8512 2, 7318 0.04, 7320 0.12, 8483 0.25
8701: 7208 0.8, 7325 0.5, 8408 1, 8483 0.35, 8708 0.4, 4011 0.2, 8482 40, 8507 1, 8512 2, 7318 0.03, 7007 3, 9401 1, 3208 0.03, 8544 0.015
8432: 7208 0.4, 8483 0.05, 8482 4, 7318 0.01
8433: 8408 0.5, 8483 0.3, 7208 1.5, 8482 20, 7007 3, 4011 0.1
8429: 8408 1, 7208 3, 8483 0.6, 7318 0.08
8413: 7325 0.03, 8501 0.5, 8482 2
8414: 8501 0.3, 7325 0.004, 7408 0.001
8458: 7325 2.0, 8483 0.2, 8501 3, 8537 0.5, 8482 10
8459: 7325 1.5, 8483 0.2, 8501 3, 8537 0.5, 8482 8
8507: 2807 0.003, 3902 0.002
8511: 7408 0.001, 7325 0.002, 8482 2
8512: 3907 0.002, 8544 0.0002
7007: 7005 1.05
7005: 2505 0.008, 2529 0.0015
9401: 3909 0.004, 7209 0.008, 7320 0.003, 4107 0.3, 5407 0.0015, 4407 0.01
8716: 7208 4, 7320 0.15, 7318 0.03, 4011 0.36, 8483 0.1
7604: 7601 1.02
7606: 7601 1.03
7607: 7606 1.05
7610: 7604 1.05, 7005 60
8434: 7219 0.5, 8501 2, 8414 1
8436: 7208 0.3, 8501 1, 8482 2
8419: 7219 0.4, 8501 2, 8414 1, 7208 0.5
8438: 7219 0.6, 8501 2, 8483 0.05
0401: 1214 0.6, 2309 0.35, 0162 0.02
0102: 1214 1.5, 2309 1.0, 0162 0.5
0104: 1214 0.4, 2309 0.15, 1003 0.1
0105: 2309 4.5, 0407 0.07
0407: 2309 2.2, 4819 0.02
0201: 0102 4.0, 5210 0.2
0204: 0104 55, 5210 0.1
0207: 0105 0.55, 3920 0.01, 5210 0.2
1601: 0201 0.1, 0207 0.4, 0206 0.05, 0504 0.01, 1101 0.05, 3920 0.02
1602: 0201 0.15, 0207 0.25, 3923 0.02
2309: 1005 0.45, 1003 0.3, 2304 0.2, 0404 0.01, 6305 0.004
0402: 0401 7.5, 3923 0.01, 7120 0.5
0403: 0401 1.05, 3923 0.03, 3920 0.01, 3503 0.002
0405: 0401 12, 3920 0.01, 7607 0.005
0406: 0401 7.0, 3920 0.02, 3923 0.03, 7607 0.003, 5210 0.6, 7120 0.1
2105: 0401 0.6, 0402 0.05, 1701 0.15, 3923 0.04, 1806 0.02, 5210 0.8, 3503 0.005
3501: 0401 30
1901: 0402 0.6, 1101 0.2, 1701 0.1, 0404 0.2, 3501 0.02
4104: 4101 0.0065, 3202 0.0006, 3201 0.0001
4105: 4102 0.0055, 3202 0.0004, 3201 0.0002
4107: 4104 1.15, 3809 0.0002, 3204 0.00005
4112: 4105 1.12, 3809 0.00015, 3204 0.00004
3202: 2807 0.5
3809: 3909 0.3
6403: 4107 0.16, 4112 0.04, 6406 1, 3506 0.00004, 4819 0.0003
6402: 3904 0.00035, 4002 0.0001, 3915 0.0001
6404: 5407 0.00015, 6406 1, 3506 0.00004, 4819 0.0003
6406: 3909 0.0002, 4002 0.0001, 3904 0.0001
4202: 4107 0.3, 4112 0.1, 5407 0.0003, 3506 0.00002
4203: 4112 1.5, 5208 0.0002
3503: 4101 6.0
3405: 1521 0.1, 2710 0.4
5004: 5002 1.1
5105: 5101 1.6
5106: 5105 1.1, 3204 0.02, 3203 0.01
5107: 5105 1.15, 3204 0.02
5205: 5201 1.12
5208: 5205 1.05, 3204 0.02, 3809 0.01
5503: 3907 1.02
5509: 5503 1.05, 3204 0.015
5402: 3902 0.6, 3907 0.45
5407: 5402 1.05, 3204 0.01
6006: 5205 0.6, 5509 0.4
5701: 5106 0.0025, 5205 0.001, 5004 0.0002, 5229 0.0005
570210: 5106 0.002, 5205 0.0008
570242: 5402 0.0012, 5509 0.0006, 5205 0.0004, 3809 0.00002
5703: 5402 0.0011, 3902 0.0003
6109: 6006 0.00022
6110: 5106 0.0003, 5107 0.0002, 5509 0.0001
6203: 5208 0.0003, 5407 0.0004
6204: 5208 0.0003, 5407 0.0004
6302: 5208 1.05
6305: 3902 1.05
080212: 080211 2.8, 3920 0.01, 4819 0.03, 7120 0.3, 5210 0.2, 5229 0.05
080232: 080231 2.2, 4819 0.03, 7120 0.3, 5210 0.2
080620: 080610 4.0, 3920 0.01, 4819 0.04, 5229 0.05
081310: 080910 5.5, 3920 0.01, 4819 0.04
081340: 080810 7, 3920 0.02, 4819 0.04
0811: 080910 0.6, 080810 0.2, 5210 1.0, 3920 0.02
2008: 080212 0.25, 080232 0.2, 080620 0.2, 081310 0.1, 3920 0.02, 4819 0.05, 1701 0.05
2007: 080910 0.6, 080810 0.4, 1701 0.5, 7010 0.6, 1302 0.005
2009: 080810 0.9, 080610 0.3, 080910 0.2, 3923 0.04, 4819 0.05, 1701 0.05
080810: 3105 0.01, 5210 0.3, 4923 0.3
080610: 3105 0.01
080910: 3105 0.01
1001: 3105 0.08
1214: 3105 0.01
121291: 3105 0.03
7010: 2505 0.8, 2529 0.1
4819: 4804 1.08, 3505 0.02
4804: 4707 1.15
1701: 121291 7.0, 6305 0.004
1108: 1005 1.5
1702: 1108 1.05
3505: 1108 1.05
1101: 1001 1.3, 6305 0.005
1905: 1101 0.6, 1701 0.25, 1517 0.12, 0407 0.05, 0402 0.02, 0405 0.02, 3920 0.025, 4819 0.05, 080620 0.02, 080212 0.005, 080232 0.005, 1805 0.01, 0404 0.005, 1702 0.03
1517: 1511 0.5, 1507 0.3, 1512 0.2
1804: 1803 1.0
1805: 1803 0.5
1806: 1701 0.45, 1803 0.06, 1804 0.05, 1805 0.05, 0402 0.15, 1517 0.05, 080212 0.03, 7607 0.01, 3920 0.02, 4819 0.06, 7120 0.05
1704: 1701 0.6, 1702 0.35, 3503 0.02, 1302 0.005, 3920 0.03, 4819 0.04, 080212 0.02, 080232 0.01, 0409 0.01, 1511 0.02, 7607 0.004
1302: 080810 10
2106: 1701 0.2, 0402 0.1, 0409 0.05, 1302 0.01, 3923 0.05, 0410 0.002
010641: 1701 0.01, 4421 0.15
0409: 010641 80, 7010 0.25, 3923 0.02, 7120 1.0
0410: 010641 800
1521: 010641 40
4421: 4407 0.04
3304: 1521 0.05, 0409 0.02, 0410 0.001, 3923 0.1
3401: 1502 0.6, 1521 0.005, 4819 0.03
6802: 2515 0.06, 2516 0.02
6806: 2516 1.2
2523: 2521 1.3, 2508 0.2, 2520 0.04, 6305 0.003, 4923 0.6, 7120 0.001
2522: 2521 1.8
6809: 2520 0.008, 4804 0.0004
6810: 2523 0.15, 2505 0.45, 2517 0.35, 7214 0.01
6907: 2508 0.014, 2507 0.003, 2529 0.004, 2505 0.002, 4923 0.015
6904: 2508 1.1
6910: 2507 0.008, 2529 0.005, 2508 0.01
7207: 7204 1.12, 2522 0.05
7214: 7207 1.04
7216: 7207 1.05
7308: 7216 0.65, 7208 0.35, 7318 0.015, 3208 0.02
6807: 2713 0.0032, 5407 0.0002
2515: 4923 1.0
"""


def parse_links(text: str) -> list[tuple[str, str, float]]:
    links = []
    for line in text.strip().splitlines():
        user, _, rest = line.partition(":")
        for part in rest.split(","):
            supplier, coefficient = part.split()
            links.append((supplier.strip(), user.strip(), float(coefficient)))
    return links


LINKS = parse_links(LINKS_TEXT + additions.LINKS_TEXT.lstrip())


# ----------------------------------------------------------------------------- computation

def q(x: float) -> float:
    """Round a quantity: whole numbers above 1000, three decimals below."""
    return float(round(x)) if abs(x) >= 1000 else round(x, 3)


def num(x: float) -> str:
    x = q(x)
    if x == int(x):
        return str(int(x))
    return f"{x:.3f}".rstrip("0").rstrip(".")


def unit_value_added(products: list[dict], links: list[tuple[str, str, float]]) -> dict[str, float]:
    """Each product's own value added per unit (rials), bounded as :data:`LABOUR` says."""
    price = {row["code"]: row["price"] for row in products}
    cost = dict.fromkeys(price, 0.0)
    for supplier, user, coefficient in links:
        cost[user] += coefficient * price[supplier]
    out = {}
    for row in products:
        top = LABOUR[row["sector"]][0] * row["price"]
        out[row["code"]] = min(top, max(VA_FLOOR * row["price"], row["price"] - cost[row["code"]]))
    return out


def compute(products: list[dict], links: list[tuple[str, str, float]]) -> dict[str, dict]:
    by_code = {row["code"]: row for row in products}
    assert len(by_code) == len(products), "duplicate product code"
    graph = nx.DiGraph()
    graph.add_nodes_from(by_code)
    for supplier, user, coefficient in links:
        assert supplier in by_code and user in by_code, (supplier, user)
        assert not graph.has_edge(supplier, user), (supplier, user)
        graph.add_edge(supplier, user, coefficient=coefficient)
    assert nx.is_directed_acyclic_graph(graph), nx.find_cycle(graph)
    rng = random.Random(1404)
    va_unit = unit_value_added(products, links)
    result: dict[str, dict] = {}
    for code in reversed(list(nx.lexicographical_topological_sort(graph))):
        row = by_code[code]
        used = sum(data["coefficient"] * result[user]["output"] for _, user, data in graph.out_edges(code, data=True))
        demand = q(row["d"])
        use = demand + used
        output = q(row["out"] if row["out"] is not None else row["s"] * use)
        if output > 0 and output >= use - 1.0:
            # Cross-hauling (the same goods both entering and leaving) only for net exporters;
            # a product balanced to within rounding counts as one.
            cross = row["x"] * use
            inflow, outflow = q(cross), q(max(0.0, output - use + cross))
        else:
            inflow, outflow = q(use - output), 0.0
        util = row["util"] if row["util"] is not None else rng.uniform(0.62, 0.82)
        if row["cap"] is not None and output == 0:
            capacity = float(row["cap"])
        else:
            capacity = q(output / util) if output else 0.0
            if capacity < output:
                capacity = output
        value = output * row["price"]
        au = row["au"] if row["au"] is not None else max(1, round(value / VALUE_PER_UNIT[row["sector"]])) if output else 0
        iu = row["iu"] if row["iu"] is not None else round(au * 0.12)
        jobs = row["jobs"] if row["jobs"] is not None else max(au, round(output * va_unit[code]
                                                                          / LABOUR[row["sector"]][1]))
        result[code] = dict(output=output, capacity=capacity, demand=demand, inflow=inflow, outflow=outflow,
                            used=used, active_units=int(au), idle_units=int(iu), jobs=int(jobs))
    return result


def as_of_dates(codes: list[str]) -> dict[str, date]:
    """About one product in ten carries a date older than 18 months (stale)."""
    rng = random.Random(1403)
    out = {}
    for i, code in enumerate(codes):
        if i % 10 == 7:
            start, end = date(2023, 6, 1), date(2025, 4, 30)
        else:
            start, end = date(2025, 7, 1), date(2026, 9, 30)
        out[code] = start + timedelta(days=rng.randrange((end - start).days + 1))
    return out


def write(out_dir: Path, name: str, header: list[str], rows: list[list]) -> None:
    with open(out_dir / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(out_dir: Path = HERE) -> None:
    figures = compute(PRODUCTS, LINKS)
    dates = as_of_dates([row["code"] for row in PRODUCTS])
    agency_of = {row["code"]: row["agency"] for row in PRODUCTS}
    write(out_dir, "counties.csv", ["slug", "name_fa", "name_en"], [[s, fa(n), e] for s, n, e in COUNTIES])
    write(out_dir, "measures.csv", ["slug", "position", "name_fa", "name_en"],
          [[s, i, fa(n), e] for i, (s, n, e) in enumerate(MEASURES, 1)])
    write(out_dir, "sectors.csv", ["slug", "name_fa", "name_en"], [[s, fa(n), e] for s, n, e in SECTORS])
    write(out_dir, "chains.csv", ["slug", "name_fa", "name_en", "priority", "description_fa", "description_en"],
          [[s, fa(n), e, pr, fa(dfa), den] for s, n, e, pr, dfa, den in CHAINS])
    write(out_dir, "agencies.csv", ["slug", "name_fa", "name_en", "category", "sectors"],
          [[s, fa(n), e, c, sec] for s, n, e, c, sec in AGENCIES])
    rows = []
    for row in PRODUCTS:
        f = figures[row["code"]]
        rows.append([
            row["code"], row["nom"], row["name_fa"], row["name_en"], row["sector"], row["stage"], row["unit"],
            row["price"], num(f["capacity"]), num(f["output"]), num(f["demand"]), num(f["inflow"]),
            num(f["outflow"]), f["active_units"], f["idle_units"], f["jobs"], row["suited"], row["chains"],
            SOURCE, row["agency"], dates[row["code"]].isoformat(), additions.aliases(row, SHORT, fa),
        ])
    write(out_dir, "products.csv", ["code", "nomenclature", "name_fa", "name_en", "sector", "stage", "unit",
                           "unit_price_rials", "capacity", "output", "demand", "inflow", "outflow",
                           "active_units", "idle_units", "jobs", "suited_for", "chains", "source", "agency",
                           "as_of", "aliases"], rows)
    write(out_dir, "links.csv", ["supplier", "user", "coefficient", "source", "agency", "as_of"],
          [[s, u, f"{c:g}", SOURCE, agency_of[u], dates[u].isoformat()] for s, u, c in LINKS])
    write_opportunities(figures, out_dir)
    write(out_dir, "applicants.csv", ["ref", "applicant_type", "name", "capital_rials", "sectors", "skills", "products",
                             "counties", "lang"],
          [[ref, kind, fa(name), int(capital), sectors, fa(skills), made, counties, lang]
           for ref, kind, name, capital, sectors, skills, made, counties, lang in APPLICANTS])
    write_hq(out_dir)


def write_hq(out_dir: Path) -> None:
    """hq.json: the HQ's illustrative obstacle reports, meeting, plans and realisation records (``flask seed``)."""
    data = {
        "obstacles": [dict(zip(("category", "product", "county", "lost_quantity", "lost_period", "since",
                                "description", "status", "agency", "resolution", "reported_on", "closed_on"),
                               (*row[:6], fa(row[6]), row[7], row[8], fa(row[9]), *row[10:]), strict=True)) for row in hq_data.OBSTACLES],
        "meetings": [{"held_on": held, "attendees": fa(who), "notes": fa(notes),
                      "decisions": [{"product": c, "owner": o, "decision": fa(d), "due_on": due} for c, o, d, due in ds]}
                     for held, who, notes, ds in hq_data.MEETINGS],
        "plans": [{"agency": agency, "year": 1405, "filed_on": filed,
                   "actions": [{"measure": m, "title": fa(t), "target_value": v, "target_unit": fa(u), "due_on": due,
                                "updates": [{"reported_on": d, "achieved": a, "evidence": fa(e)} for d, a, e in ups]}
                               for m, t, v, u, due, ups in actions]} for agency, filed, actions in hq_data.PLANS],
        "realisation": [dict(zip(("opportunity", "stage", "capital_invested_rials", "jobs_created", "financed_bank_rials",
                                  "financed_capital_market_rials", "financed_fund_rials", "financed_leasing_rials",
                                  "confirmed"), row, strict=True)) for row in hq_data.REALISATION],
        "demands": [{"title": fa(t), "description": fa(d), "product": p, "county": c, "status": s, "outcome": fa(o)}
                    for t, d, p, c, s, o in hq_data.DEMANDS],
    }
    (out_dir / "hq.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")


# ----------------------------------------------------------------------------- opportunities

FA_DIGITS = str.maketrans("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬")
UNIT_FA = {"tonne": "تن", "unit": "عدد", "m2": "مترمربع", "m3": "مترمکعب", "pair": "جفت", "head": "رأس",
           "thousand_unit": "هزار عدد"}
UNIT_EN = {"tonne": "tonnes", "unit": "units", "m2": "square metres", "m3": "cubic metres", "pair": "pairs",
           "head": "head", "thousand_unit": "thousand units"}
B = 1_000_000_000  # one billion rials

LESS_DEVELOPED = {"kaleybar", "khoda_afarin", "hurand", "charuymaq", "hashtrud", "varzaqan", "ahar", "heris",
                  "sarab", "mianeh", "bostanabad", "ajabshir", "malekan", "jolfa"}
COUNTY_NAME = {slug: (fa(name_fa), name_en) for slug, name_fa, name_en in COUNTIES}

#: Where a downstream product's raw material comes from (for unprocessed-outflow texts).
RAW_SOURCE = {"7407": "7403", "7402": "2603", "0402": "0401", "4104": "4101", "4105": "4102", "5105": "5101",
              "080212": "080211", "080232": "080231", "4804": "4707", "6802": "2515"}

#: Short everyday names used in opportunity texts (the product names are close to the HS wording).
SHORT = {
    "2603": ("کنسانتره مس", "copper concentrate"), "7402": ("آند مس", "copper anodes"),
    "7403": ("مس کاتد", "copper cathode"), "7407": ("میلگرد و مفتول مسی", "copper rod"),
    "7408": ("سیم مسی", "copper wire"), "8544": ("کابل", "cable"), "8501": ("الکتروموتور", "electric motors"),
    "0401": ("شیر خام", "raw milk"), "0402": ("شیرخشک", "milk powder"), "0406": ("پنیر", "cheese"),
    "4101": ("پوست خام گاوی", "raw cattle hides"), "4102": ("پوست خام گوسفندی", "raw sheepskins"),
    "4104": ("چرم وت~بلو", "wet-blue leather"), "4105": ("چرم کراست گوسفندی", "crust sheep leather"),
    "5101": ("پشم خام", "raw wool"), "5105": ("پشم شسته و حلاجی~شده", "scoured and carded wool"),
    "080211": ("بادام با پوست", "almonds in shell"), "080212": ("مغز بادام", "almond kernels"),
    "080231": ("گردو با پوست", "walnuts in shell"), "080232": ("مغز گردو", "walnut kernels"),
    "4707": ("ضایعات کاغذ و مقوا", "waste paper"), "4804": ("کاغذ کرافت", "kraft paper"),
    "2515": ("بلوک سنگ مرمر و تراورتن", "marble and travertine blocks"),
    "6802": ("سنگ ساختمانی کارشده", "worked building stone"), "8703": ("خودروی سواری", "cars"),
    "8701": ("تراکتور", "tractors"), "1905": ("بیسکویت و کیک", "biscuits and cakes"),
    "1806": ("شکلات", "chocolate"), "1704": ("آبنبات و گز", "sugar confectionery"), "0207": ("گوشت مرغ", "poultry meat"),
    "8418": ("یخچال", "refrigerators"), "8415": ("کولر گازی", "air conditioners"), "8537": ("تابلو برق", "electric panels"),
    "4107": ("چرم تمام~شده گاوی", "finished cattle leather"), "6403": ("کفش چرمی", "leather shoes"),
    "8708": ("قطعات خودرو", "vehicle parts"), "7308": ("سازه~های فلزی", "steel structures"),
    "3503": ("ژلاتین", "gelatin"), "0409": ("عسل", "honey"), "2007": ("مربا", "jam"),
    "7418": ("ظروف مسی", "copperware"), "7419": ("مصنوعات مسی", "copper articles"), "8408": ("موتور دیزل", "diesel engines"),
    "8407": ("موتور بنزینی", "petrol engines"), "8483": ("گیربکس و دنده", "gears and gearboxes"),
    "2309": ("خوراک دام", "animal feed"), "1101": ("آرد", "flour"), "3923": ("بسته~بندی پلاستیکی", "plastic packaging"),
    "3208": ("رنگ صنعتی", "industrial paint"), "5208": ("پارچه پنبه~ای", "cotton fabric"),
    "9401": ("صندلی", "seats"), "3917": ("لوله پلاستیکی", "plastic pipes"), "3925": ("در و پنجره یو~پی~وی~سی", "UPVC windows"),
    "8413": ("پمپ", "pumps"), "8414": ("کمپرسور", "compressors"), "7411": ("لوله مسی", "copper tubes"),
    "3401": ("صابون", "soap"), "3304": ("لوازم آرایشی", "cosmetics"), "3405": ("واکس", "polishes"),
    "4202": ("کیف", "bags"), "6402": ("کفش پلاستیکی", "plastic footwear"), "6404": ("کفش پارچه~ای", "textile footwear"),
    "6302": ("ملحفه و رومیزی", "household linen"), "6203": ("پوشاک مردانه", "men's clothing"),
    "6204": ("پوشاک زنانه", "women's clothing"), "2008": ("آجیل و لواشک", "roasted nuts and fruit leather"),
    "0403": ("ماست و دوغ", "yogurt and doogh"), "0405": ("کره", "butter"), "2105": ("بستنی", "ice cream"),
    "1901": ("غذای کودک", "infant food"), "0104": ("گوسفند", "sheep"), "0102": ("گاو", "cattle"),
}


def short(code: str, by_code: dict[str, dict]) -> tuple[str, str]:
    if code in SHORT:
        name_fa, name_en = SHORT[code]
        return fa(name_fa), name_en
    row = by_code[code]
    return row["name_fa"], row["name_en"][0].lower() + row["name_en"][1:]


# ref number, product, county, gap kind, agency, min and max investment (billion rials), jobs,
# suited-for letters, financing, status, title fa, title en, optional extra sentence (fa, en)
OPPORTUNITIES = [
    ("7408", "tabriz", "missing_supplier", "industry_mine_trade", 800, 1500, 60, "CK", "bank:0.6|leasing:0.2",
     "published", "راه~اندازی واحد تولید سیم مسی در شهرک صنعتی شهید سلیمی تبریز",
     "Copper wire drawing plant in the Shahid Salimi industrial park, Tabriz", None),
    ("7407", "varzaqan", "unprocessed_outflow", "industry_mine_trade", 1500, 3000, 90, "C",
     "bank:0.5|capital_market:0.3", "published",
     "احداث واحد ریخته~گری پیوسته میلگرد مسی در مجاورت مجتمع مس سونگون ورزقان",
     "Continuous-cast copper rod plant next to the Sungun copper complex, Varzaqan", None),
    ("7402", "varzaqan", "unprocessed_outflow", "industry_mine_trade", 4000, 5000, 350, "C",
     "capital_market:0.4|bank:0.4", "published", "مشارکت در تکمیل کارخانه ذوب مس سونگون در ورزقان",
     "Equity participation in completing the Sungun copper smelter, Varzaqan", None),
    ("7409", "ahar", "missing_supplier", "industry_mine_trade", 300, 600, 35, "CO", "bank:0.6|provincial_fund:0.2",
     "published", "تولید ورق و تسمه مسی برای مسگران و صنایع برق در اهر",
     "Copper sheet and strip for coppersmiths and electrical makers, Ahar", None),
    ("8536", "shabestar", "missing_supplier", "industry_mine_trade", 200, 400, 45, "CKO",
     "bank:0.5|provincial_fund:0.2", "published", "تولید کلید و فیوز مینیاتوری برای تابلوسازان استان در شبستر",
     "Miniature circuit breakers and switches for the province's panel builders, Shabestar", None),
    ("8414", "tabriz", "missing_supplier", "industry_mine_trade", 600, 1200, 80, "CK", "bank:0.5|leasing:0.3",
     "published", "تولید کمپرسور یخچال و کولر گازی در تبریز",
     "Refrigerator and air-conditioner compressor plant, Tabriz", None),
    ("7120", "tabriz", "missing_supplier", "science_tech_park", 30, 80, 12, "K",
     "bank:0.4|provincial_fund:0.3|crowdfunding:0.1", "published",
     "راه~اندازی آزمایشگاه همکار آزمون کابل، فلزات و مواد غذایی در پارک علم و فناوری تبریز",
     "Accredited testing laboratory for cable, metals and food in the Tabriz science and technology park", None),
    ("3920", "tabriz", "missing_supplier", "industry_mine_trade", 400, 900, 55, "CK", "bank:0.6|leasing:0.2",
     "published", "تولید فیلم بسته~بندی چندلایه برای صنایع لبنی و شیرینی در تبریز",
     "Multilayer packaging film for dairy and confectionery makers, Tabriz", None),
    ("3923", "marand", "shortfall", "industry_mine_trade", 150, 350, 40, "IOC", "bank:0.6|leasing:0.2",
     "published", "تولید ظروف بسته~بندی پلاستیکی لبنیات و عسل در مرند",
     "Plastic containers for dairy products and honey, Marand", None),
    ("3926", "osku", "missing_supplier", "industry_mine_trade", 100, 250, 30, "OC", "bank:0.5|leasing:0.3",
     "published", "تولید قطعات فنی پلاستیکی خودرو و لوازم خانگی در اسکو",
     "Technical plastic parts for cars and household appliances, Osku", None),
    ("4011", "mianeh", "missing_supplier", "industry_mine_trade", 3000, 5000, 400, "C",
     "capital_market:0.3|bank:0.5", "published", "احداث کارخانه تولید تایر سواری و کشاورزی در میانه",
     "Passenger-car and farm tyre plant, Mianeh", None),
    ("3204", "shabestar", "missing_supplier", "industry_mine_trade", 80, 200, 20, "KC",
     "bank:0.5|provincial_fund:0.2", "draft", "تولید رنگینه~های نساجی و چرم برای ریسندگی~ها و دباغی~های استان در شبستر",
     "Textile and leather dyes for the province's spinners and tanneries, Shabestar", None),
    ("3105", "maragheh", "missing_supplier", "agriculture_jihad", 150, 300, 30, "CO", "bank:0.6|leasing:0.2",
     "published", "تولید کود مرکب گرانوله برای باغ~های سیب و انگور در مراغه",
     "Granulated compound fertiliser for apple orchards and vineyards, Maragheh", None),
    ("8708", "tabriz", "idle_capacity", "industry_mine_trade", 50, 300, 60, "OCK", "leasing:0.3|bank:0.4",
     "published", "احیا و مشارکت در واحدهای راکد قطعه~سازی خودرو در تبریز",
     "Revival of and partnership in idle automotive parts makers, Tabriz", None),
    ("7325", "tabriz", "idle_capacity", "industry_mine_trade", 40, 200, 45, "OC", "leasing:0.4|bank:0.3",
     "published", "احیای واحدهای راکد ریخته~گری چدن و فولاد در تبریز",
     "Revival of idle iron and steel foundries, Tabriz", None),
    ("8482", "tabriz", "missing_supplier", "industry_mine_trade", 1200, 2500, 150, "CK",
     "bank:0.5|capital_market:0.3", "published", "تولید بلبرینگ صنعتی و خودرویی در تبریز",
     "Industrial and automotive bearing plant, Tabriz", None),
    ("8458", "tabriz", "idle_capacity", "industry_mine_trade", 500, 1500, 120, "CK", "capital_market:0.4|bank:0.4",
     "published", "مشارکت در احیای ظرفیت خالی تولید ماشین~ابزار در تبریز",
     "Partnership to revive idle machine-tool capacity, Tabriz", None),
    ("8507", "marand", "missing_supplier", "industry_mine_trade", 500, 1000, 90, "C", "bank:0.6|leasing:0.2",
     "published", "تولید باتری خودرو در شهرک صنعتی مرند", "Vehicle battery plant in the Marand industrial park",
     None),
    ("7007", "bostanabad", "missing_supplier", "industry_mine_trade", 400, 900, 70, "C", "bank:0.6|leasing:0.2",
     "published", "تولید شیشه ایمنی خودرو و ماشین~آلات کشاورزی در بستان~آباد",
     "Safety glass for cars and farm machinery, Bostanabad", None),
    ("8511", "azarshahr", "missing_supplier", "industry_mine_trade", 150, 400, 50, "CK",
     "bank:0.5|provincial_fund:0.2", "published", "تولید استارت و دینام موتورهای دیزل و بنزینی در آذرشهر",
     "Starters and alternators for diesel and petrol engines, Azarshahr", None),
    ("7318", "hashtrud", "shortfall", "industry_mine_trade", 60, 150, 30, "OC", "bank:0.6|provincial_fund:0.2",
     "published", "تولید پیچ و مهره صنعتی در هشترود", "Industrial bolts and nuts, Hashtrud", None),
    ("8434", "sarab", "shortfall", "agriculture_jihad", 40, 120, 25, "CKO", "bank:0.5|leasing:0.3",
     "published", "ساخت دستگاه شیردوشی و مخزن خنک~کننده شیر در سراب",
     "Milking machines and milk cooling tanks, Sarab", None),
    ("0402", "bostanabad", "unprocessed_outflow", "agriculture_jihad", 1500, 3000, 110, "C",
     "bank:0.5|capital_market:0.3", "published", "احداث کارخانه شیرخشک در بستان~آباد برای فرآوری شیر خام مازاد استان",
     "Milk powder plant in Bostanabad to process the province's surplus raw milk", None),
    ("0406", "sarab", "shortfall", "agriculture_jihad", 200, 600, 45, "OC", "bank:0.6|provincial_fund:0.2",
     "published", "احداث واحد تولید پنیر صنعتی در سراب", "Industrial cheese plant, Sarab", None),
    ("0406", "tabriz", "shortfall", "cooperatives", 15, 40, 20, "OH", "bank:0.5|crowdfunding:0.2", "published",
     "تعاونی تولید و بسته~بندی پنیر سنتی لیقوان در روستاهای دامنه سهند",
     "Cooperative making and packing traditional Lighvan cheese in the Sahand foothill villages",
     ("پنیر لیقوان نشان جغرافیایی دارد و بسته~بندی بهداشتی، بازار آن را گسترش می~دهد.",
      "Lighvan cheese has a geographical indication; hygienic packing widens its market.")),
    ("0405", "heris", "missing_supplier", "agriculture_jihad", 150, 400, 30, "OC", "bank:0.6|provincial_fund:0.2",
     "published", "تولید کره و خامه پاستوریزه در هریس", "Butter and pasteurised cream plant, Heris", None),
    ("5210", "maragheh", "shortfall", "agriculture_jihad", 200, 500, 25, "IOC", "bank:0.6|leasing:0.2",
     "published", "احداث سردخانه ده~هزارتنی سیب و میوه در مراغه", "10,000-tonne cold store for apples and fruit, Maragheh",
     None),
    ("1901", "tabriz", "shortfall", "industry_mine_trade", 800, 1500, 60, "CK", "bank:0.5|capital_market:0.3",
     "published", "تولید غذای کودک و فرآورده~های غذایی بر پایه شیر در تبریز",
     "Infant food and milk-based food preparations, Tabriz", None),
    ("3501", "mianeh", "idle_capacity", "agriculture_jihad", 30, 80, 15, "CK", "bank:0.5|leasing:0.2", "draft",
     "احیای واحد راکد تولید کازئین در میانه", "Revival of the idle casein plant, Mianeh", None),
    ("2309", "hashtrud", "shortfall", "agriculture_jihad", 150, 400, 35, "OC", "bank:0.6|provincial_fund:0.2",
     "published", "تولید خوراک آماده دام و طیور در هشترود", "Compound feed mill for livestock and poultry, Hashtrud",
     None),
    ("1602", "ahar", "shortfall", "agriculture_jihad", 100, 300, 40, "CO", "bank:0.6|leasing:0.2", "published",
     "تولید کنسرو و فرآورده~های گوشتی در اهر", "Canned and prepared meat products, Ahar", None),
    ("0201", "kaleybar", "shortfall", "agriculture_jihad", 300, 700, 50, "OC", "bank:0.5|provincial_fund:0.3",
     "closed", "احداث کشتارگاه صنعتی دام سبک و سنگین در کلیبر",
     "Industrial slaughterhouse for cattle and sheep, Kaleybar", None),
    ("4104", "tabriz", "unprocessed_outflow", "industry_mine_trade", 200, 500, 60, "OC",
     "bank:0.5|leasing:0.3", "published", "دباغی و تولید چرم وت~بلو از پوست خام دام استان در تبریز",
     "Tanning the province's raw hides into wet-blue leather, Tabriz", None),
    ("4105", "hashtrud", "unprocessed_outflow", "industry_mine_trade", 80, 200, 40, "OC",
     "bank:0.6|provincial_fund:0.2", "published", "دباغی پوست گوسفند و تولید چرم کراست در هشترود",
     "Tanning sheepskins into crust leather, Hashtrud", None),
    ("5105", "charuymaq", "unprocessed_outflow", "cooperatives", 40, 120, 30, "OC", "bank:0.5|provincial_fund:0.3",
     "published", "شستشو و حلاجی پشم دامداران در چاراویماق", "Scouring and carding the herders' wool, Charuymaq",
     None),
    ("3503", "bonab", "missing_supplier", "industry_mine_trade", 500, 1000, 45, "CK", "bank:0.5|capital_market:0.3",
     "published", "تولید ژلاتین خوراکی از پوست و استخوان دام در بناب",
     "Edible gelatin from hides and bones, Bonab", None),
    ("4107", "tabriz", "idle_capacity", "industry_mine_trade", 50, 200, 40, "OC", "leasing:0.4|bank:0.3",
     "published", "احیای واحدهای راکد تولید چرم تمام~شده در تبریز",
     "Revival of idle finished-leather tanneries, Tabriz", None),
    ("6403", "tabriz", "idle_capacity", "cooperatives", 5, 30, 15, "IHO", "bank:0.5|crowdfunding:0.2", "published",
     "راه~اندازی دوباره کارگاه~های کفش دستدوز چرمی تبریز با بازار صادراتی",
     "Restarting Tabriz hand-made leather shoe workshops for export markets", None),
    ("3202", "shabestar", "missing_supplier", "industry_mine_trade", 150, 350, 25, "CK",
     "bank:0.5|provincial_fund:0.2", "published", "تولید مواد دباغی و نمک کروم برای دباغی~های استان در شبستر",
     "Tanning agents and chrome salts for the province's tanneries, Shabestar", None),
    ("6406", "azarshahr", "shortfall", "industry_mine_trade", 30, 80, 25, "IOC", "bank:0.6|leasing:0.2",
     "published", "تولید زیره پلی~یورتان کفش در آذرشهر", "Polyurethane shoe soles, Azarshahr", None),
    ("5106", "heris", "shortfall", "industry_mine_trade", 30, 100, 30, "OC", "bank:0.5|provincial_fund:0.3",
     "published", "ریسندگی نخ پشمی فرش با رنگرزی گیاهی در هریس",
     "Carpet wool spinning with natural dyeing, Heris", None),
    ("570242", "shabestar", "idle_capacity", "industry_mine_trade", 100, 400, 60, "C", "leasing:0.4|bank:0.3",
     "published", "احیای واحدهای راکد فرش ماشینی در شبستر", "Revival of idle machine-carpet weaving mills, Shabestar",
     None),
    ("5205", "tabriz", "idle_capacity", "industry_mine_trade", 150, 500, 70, "CO", "leasing:0.4|bank:0.3",
     "published", "احیای کارخانه~های راکد ریسندگی نخ پنبه در تبریز",
     "Revival of idle cotton-yarn spinning mills, Tabriz", None),
    ("5701", "sarab", "", "cultural_heritage", 5, 15, 12, "HIO", "bank:0.6|crowdfunding:0.2", "published",
     "ایجاد کارگاه~های خانگی بافت فرش دستباف با تأمین مواد اولیه در سراب",
     "Home workshops weaving hand-knotted carpets, with yarn supplied, Sarab",
     ("نخ، نقشه و دار به صورت امانی تأمین و فرش بافته~شده از طریق تعاونی فروخته می~شود.",
      "Yarn, design and loom are lent and the finished carpet is sold through a cooperative.")),
    ("570210", "kaleybar", "", "cultural_heritage", 5, 12, 10, "HOI", "bank:0.5|crowdfunding:0.3", "published",
     "تعاونی بافت گلیم و ورنی ارسباران در کلیبر", "Cooperative weaving Arasbaran kilims and verneh rugs, Kaleybar",
     ("ورنی ارسباران از صنایع دستی ثبت~شده است و بازار گردشگری و صادراتی دارد.",
      "Arasbaran verneh is a registered handicraft with tourist and export markets.")),
    ("5208", "mianeh", "missing_supplier", "industry_mine_trade", 300, 800, 60, "C", "bank:0.6|leasing:0.2",
     "closed", "تولید پارچه پنبه~ای برای پوشاک و ملحفه در میانه",
     "Cotton fabric weaving for clothing and bed linen, Mianeh", None),
    ("6204", "osku", "shortfall", "cooperatives", 5, 20, 15, "HIO", "bank:0.6|crowdfunding:0.2", "published",
     "کارگاه خانگی دوخت مانتو و پوشاک زنانه در اسکو", "Home workshop sewing women's clothing, Osku", None),
    ("080212", "ajabshir", "unprocessed_outflow", "agriculture_jihad", 20, 60, 25, "OHI", "bank:0.6|crowdfunding:0.2",
     "published", "فرآوری، پوست~گیری و بسته~بندی مغز بادام در عجب~شیر",
     "Shelling, processing and packing almond kernels, Ajabshir", None),
    ("080232", "khoda_afarin", "unprocessed_outflow", "agriculture_jihad", 15, 50, 20, "OH",
     "bank:0.6|crowdfunding:0.2", "published", "شکستن، درجه~بندی و بسته~بندی مغز گردو در خداآفرین",
     "Cracking, grading and packing walnut kernels, Khoda Afarin", None),
    ("081340", "maragheh", "shortfall", "agriculture_jihad", 10, 40, 15, "HOI", "bank:0.6|crowdfunding:0.2",
     "published", "تولید چیپس سیب و میوه خشک در مراغه", "Apple chips and dried fruit, Maragheh", None),
    ("4819", "malekan", "shortfall", "industry_mine_trade", 150, 400, 40, "CO", "bank:0.6|leasing:0.2",
     "published", "تولید کارتن و جعبه بسته~بندی کشمش و خشکبار در ملکان",
     "Cartons and boxes for raisins and dried fruit, Malekan", None),
    ("7010", "bonab", "missing_supplier", "industry_mine_trade", 600, 1200, 70, "C", "bank:0.5|capital_market:0.3",
     "published", "تولید ظروف شیشه~ای بسته~بندی مربا و عسل در بناب", "Glass jars for jam and honey, Bonab", None),
    ("4804", "mianeh", "unprocessed_outflow", "industry_mine_trade", 1000, 2500, 110, "C",
     "bank:0.5|capital_market:0.3", "published", "تولید کاغذ کرافت از ضایعات کاغذ و مقوا در میانه",
     "Kraft paper from recovered waste paper, Mianeh", None),
    ("0811", "azarshahr", "shortfall", "agriculture_jihad", 50, 150, 20, "OC", "bank:0.6|leasing:0.2",
     "published", "انجماد سریع زردآلو و گیلاس در آذرشهر", "Quick-freezing apricots and cherries, Azarshahr", None),
    ("8419", "tabriz", "shortfall", "industry_mine_trade", 20, 60, 15, "KC", "bank:0.5|provincial_fund:0.3",
     "published", "ساخت خشک~کن صنعتی میوه و خشکبار در تبریز", "Industrial fruit and nut dryers, Tabriz", None),
    ("1702", "marand", "missing_supplier", "industry_mine_trade", 800, 1600, 60, "C", "bank:0.5|capital_market:0.3",
     "published", "تولید گلوکز مایع از ذرت برای صنایع شیرینی در مرند",
     "Glucose syrup from maize for confectionery makers, Marand", None),
    ("7607", "shabestar", "missing_supplier", "industry_mine_trade", 600, 1200, 50, "C", "bank:0.6|leasing:0.2",
     "published", "تولید فویل آلومینیوم بسته~بندی شکلات و لبنیات در شبستر",
     "Aluminium packaging foil for chocolate and dairy, Shabestar", None),
    ("1805", "tabriz", "missing_supplier", "industry_mine_trade", 400, 900, 35, "C", "bank:0.5|capital_market:0.3",
     "published", "فرآوری دانه کاکائو و تولید پودر و کره کاکائو در تبریز",
     "Cocoa bean processing into cocoa powder and butter, Tabriz", None),
    ("1302", "maragheh", "missing_supplier", "industry_mine_trade", 200, 400, 25, "KC",
     "bank:0.5|provincial_fund:0.3", "published", "تولید پکتین از تفاله سیب در مراغه",
     "Pectin from apple pomace, Maragheh", None),
    ("3304", "ahar", "shortfall", "industry_mine_trade", 30, 100, 20, "KOC", "bank:0.5|crowdfunding:0.2",
     "published", "تولید محصولات آرایشی و بهداشتی بر پایه عسل و موم در اهر",
     "Honey- and beeswax-based cosmetics, Ahar", None),
    ("2106", "kaleybar", "shortfall", "agriculture_jihad", 20, 60, 15, "KHO", "bank:0.5|crowdfunding:0.2",
     "published", "تولید مکمل~های غذایی بر پایه عسل و ژل رویال ارسباران در کلیبر",
     "Food supplements from Arasbaran honey and royal jelly, Kaleybar", None),
    ("3405", "tabriz", "shortfall", "cooperatives", 5, 15, 8, "HI", "crowdfunding:0.3|bank:0.5", "draft",
     "تولید خانگی واکس کفش و براق~کننده با موم زنبور عسل در تبریز",
     "Home production of shoe polish and wax polishes with beeswax, Tabriz", None),
    ("3401", "hurand", "shortfall", "cooperatives", 10, 40, 12, "HOI", "bank:0.5|crowdfunding:0.3", "published",
     "تولید صابون طبیعی با پیه و موم زنبور عسل در هوراند",
     "Natural soap from tallow and beeswax, Hurand", None),
    ("6802", "azarshahr", "idle_capacity", "industry_mine_trade", 50, 250, 40, "OC", "leasing:0.4|bank:0.3",
     "published", "احیای سنگبری~های راکد تراورتن در آذرشهر", "Revival of idle travertine cutting plants, Azarshahr",
     None),
    ("6802", "marand", "unprocessed_outflow", "industry_mine_trade", 150, 400, 50, "C", "bank:0.5|leasing:0.3",
     "published", "احداث کارخانه سنگبری و ساب تراورتن و مرمر در مرند",
     "Travertine and marble cutting and polishing plant, Marand", None),
    ("6910", "jolfa", "shortfall", "aras_free_zone", 1500, 3000, 200, "C", "capital_market:0.3|bank:0.5",
     "published", "احداث کارخانه چینی بهداشتی در منطقه آزاد ارس (جلفا)",
     "Sanitary ceramics plant in the Aras Free Zone (Jolfa)", None),
    ("6809", "mianeh", "shortfall", "industry_mine_trade", 400, 800, 45, "C", "bank:0.6|leasing:0.2", "closed",
     "تولید پانل گچی (دیوار خشک) در میانه", "Gypsum board (drywall) plant, Mianeh", None),
    ("6806", "osku", "shortfall", "industry_mine_trade", 300, 700, 40, "CK", "bank:0.5|leasing:0.3", "published",
     "تولید پشم سنگ و عایق حرارتی ساختمان در اسکو", "Rock wool and building insulation, Osku", None),
    ("4923", "jolfa", "infrastructure", "aras_free_zone", 300, 800, 60, "CO", "bank:0.5|capital_market:0.2",
     "published", "احداث پایانه بار و مرکز لجستیک مرزی در جلفا", "Border freight terminal and logistics centre, Jolfa",
     ("پایانه، صادرات خشکبار، فرش و مصالح ساختمانی به ارمنستان، نخجوان و اوراسیا را کوتاه~تر و ارزان~تر می~کند.",
      "The terminal shortens and cheapens exports of dried fruit, carpets and building materials to Armenia, "
      "Nakhchivan and Eurasia.")),
    ("0401", "charuymaq", "infrastructure", "agriculture_jihad", 20, 60, 10, "OI", "bank:0.5|provincial_fund:0.3",
     "published", "ایجاد مراکز جمع~آوری و خنک~سازی شیر روستایی در چاراویماق",
     "Village milk collection and cooling centres, Charuymaq",
     ("نبود مخزن خنک~کننده و برق پایدار، بخشی از شیر روستاها را پیش از رسیدن به کارخانه فاسد می~کند.",
      "Without cooling tanks and reliable power, part of the villages' milk spoils before it reaches a dairy.")),
]

OPPORTUNITIES += additions.OPPORTUNITIES


def fa_number(x: float) -> str:
    if x >= 1e6:
        text = f"{x / 1e6:.1f}".removesuffix(".0") + " میلیون"
    elif x >= 1e4:
        text = f"{round(x / 1e3):,}" + " هزار"
    elif x >= 100:
        text = f"{round(x, -1):,.0f}"
    else:
        text = f"{x:,.0f}" if x >= 10 else f"{x:.1f}".removesuffix(".0")
    return text.translate(FA_DIGITS)


def en_number(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.1f}".removesuffix(".0") + " million"
    if x >= 1e4:
        return f"{round(x, -3):,.0f}"
    if x >= 100:
        return f"{round(x, -1):,.0f}"
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}".removesuffix(".0")


def customers(code: str, figures: dict[str, dict], by_code: dict[str, dict], n: int = 2) -> tuple[str, str]:
    uses = sorted(((coef * figures[user]["output"] * by_code[code]["price"], user)
                   for supplier, user, coef in LINKS if supplier == code), reverse=True)[:n]
    names = [short(user, by_code) for _, user in uses]
    return " و ".join(name for name, _ in names), " and ".join(name for _, name in names)


def describe(code: str, county: str, gap: str, figures: dict[str, dict], by_code: dict[str, dict]) -> tuple[str, str]:
    row, f = by_code[code], figures[code]
    name_fa, name_en = short(code, by_code)
    county_fa, county_en = COUNTY_NAME[county]
    ufa, uen = UNIT_FA[row["unit"]], UNIT_EN[row["unit"]]
    use = f["demand"] + f["used"]
    if gap == "missing_supplier":
        share = round(100 * f["inflow"] / use)
        cfa, cen = customers(code, figures, by_code)
        return (f"سالانه حدود {fa_number(f['inflow'])} {ufa} {name_fa} از خارج استان تأمین می~شود؛ یعنی "
                f"{fa_number(share)}٪ نیاز استان. مصرف~کنندگان اصلی آن در استان تولیدکنندگان {cfa} هستند و تولید "
                f"محلی در {county_fa} هزینه حمل و وابستگی آنها را کم می~کند.",
                f"About {en_number(f['inflow'])} {uen} of {name_en} a year are brought in from outside the province, "
                f"{share}% of local use. Its main local users are the makers of {cen}; production in {county_en} "
                f"would cut their transport costs and dependence.")
    if gap == "shortfall":
        return (f"نیاز سالانه استان به {name_fa} حدود {fa_number(use)} {ufa} است، در حالی که ظرفیت تولید موجود "
                f"حدود {fa_number(f['capacity'])} {ufa} است. این طرح بخشی از این کمبود را در {county_fa} پوشش می~دهد.",
                f"The province uses about {en_number(use)} {uen} of {name_en} a year, but existing capacity is about "
                f"{en_number(f['capacity'])} {uen}. This project covers part of the shortfall in {county_en}.")
    if gap == "unprocessed_outflow" and code not in RAW_SOURCE:  # the raw material itself leaves
        return (f"سالانه حدود {fa_number(f['outflow'])} {ufa} {name_fa} بدون فرآوری از استان خارج می~شود. "
                f"فرآوری آن در {county_fa} ارزش افزوده و اشتغال را در استان نگه می~دارد.",
                f"About {en_number(f['outflow'])} {uen} of {name_en} leave the province unprocessed every year. "
                f"Processing it in {county_en} keeps the value added and the jobs in the province.")
    if gap == "unprocessed_outflow":
        raw = by_code[RAW_SOURCE[code]]
        fr = figures[RAW_SOURCE[code]]
        raw_fa, raw_en = short(RAW_SOURCE[code], by_code)
        local = round(100 * f["output"] / (f["output"] + f["inflow"]))
        return (f"سالانه حدود {fa_number(fr['outflow'])} {UNIT_FA[raw['unit']]} {raw_fa} بدون فرآوری از "
                f"استان خارج می~شود و تنها {fa_number(local)}٪ {name_fa} مورد نیاز استان در خود استان تولید می~شود. "
                f"فرآوری در {county_fa} ارزش افزوده و اشتغال را در استان نگه می~دارد.",
                f"About {en_number(fr['outflow'])} {UNIT_EN[raw['unit']]} of {raw_en} leave the province "
                f"unprocessed every year, and only {local}% of the {name_en} the province needs is made locally. "
                f"Processing in {county_en} keeps the value added and the jobs in the province.")
    if gap == "idle_capacity":
        util = round(100 * f["output"] / f["capacity"])
        return (f"تنها {fa_number(util)}٪ ظرفیت تولید {name_fa} در استان به کار گرفته می~شود و "
                f"{fa_number(f['idle_units'])} واحد راکد مانده است. این فرصت برای احیا، اجاره یا مشارکت در "
                f"واحدهای موجود {county_fa} است و سرمایه کمتری از احداث واحد تازه می~خواهد.",
                f"Only {util}% of the province's capacity to make {name_en} is in use and {f['idle_units']} units "
                f"stand idle. This opportunity is to revive, lease or join existing units in {county_en}, for less "
                f"capital than a new plant.")
    if gap == "infrastructure":
        return (f"این طرح زیرساختی یک گلوگاه تولید و صادرات را در {county_fa} برطرف می~کند.",
                f"This infrastructure project removes a production and export bottleneck in {county_en}.")
    return (f"فرصت معرفی~شده از سوی دستگاه مسئول برای توسعه تولید {name_fa} در {county_fa}.",
            f"An opportunity put forward by the responsible agency to grow {name_en} production in {county_en}.")


def incentives(county: str, suited: str) -> tuple[str, str]:
    parts_fa, parts_en = [], []
    if county == "jolfa":
        parts_fa.append("معافیت مالیاتی بیست~ساله، ورود ماشین~آلات بدون حقوق گمرکی و دسترسی به بازار ارمنستان، "
                        "نخجوان و اوراسیا در منطقه آزاد ارس")
        parts_en.append("20-year tax exemption, duty-free machinery imports and access to Armenian, Nakhchivan and "
                        "Eurasian markets in the Aras Free Zone")
    elif county in LESS_DEVELOPED:
        parts_fa.append("معافیت مالیاتی ده~ساله در مناطق کمتر توسعه~یافته (ماده ۱۳۲ قانون مالیات~های مستقیم)")
        parts_en.append("Ten-year income tax exemption in less-developed areas (Direct Taxation Act, art. 132)")
    else:
        parts_fa.append("معافیت مالیاتی پنج~ساله (ماده ۱۳۲ قانون مالیات~های مستقیم)")
        parts_en.append("Five-year income tax exemption (Direct Taxation Act, art. 132)")
    if "C" in suited and county != "jolfa":
        parts_fa.append("واگذاری زمین در شهرک صنعتی با اقساط بلندمدت و اولویت در انشعاب آب، برق و گاز")
        parts_en.append("Industrial park land on long-term instalments with priority water, power and gas connections")
    if "K" in suited:
        parts_fa.append("استقرار در پارک علم و فناوری و تسهیلات صندوق نوآوری و شکوفایی")
        parts_en.append("Space in the science and technology park and Innovation and Prosperity Fund loans")
    if "H" in suited:
        parts_fa.append("مجوز مشاغل خانگی بدون نیاز به کارگاه جداگانه و وام قرض~الحسنه اشتغال خانگی")
        parts_en.append("Home-business licence without separate premises and interest-free home-employment loans")
    if "O" in suited and "H" not in suited:
        parts_fa.append("تسهیلات صندوق توسعه تعاون و آموزش رایگان فنی و حرفه~ای")
        parts_en.append("Cooperative Development Fund loans and free technical and vocational training")
    return "؛ ".join(parts_fa), "; ".join(parts_en)


#: The app's shortfall threshold (app/config.py, PANJEREH_GAP_SHORTFALL_MIN_SHARE); facets do not depend on
#: the scores, so the product space, plants and chain priorities are not needed here.
GAP_SETTINGS = GapSettings(shortfall_min_share=0.2)


def engine_facets(out_dir: Path) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """The gap engine on the written products and links: each product's facet kinds, largest first, and the
    products that answer some raw material's ``unprocessed_outflow`` (its customers, as the app links them)."""
    products = read_products(read_csv(out_dir / "products.csv"))
    links = read_links(read_csv(out_dir / "links.csv"), {x.code for x in products})
    gaps = find_gaps(build_graph(products, links), settings=GAP_SETTINGS)
    processing = {c for g in gaps if "unprocessed_outflow" in g.kinds for c in g.details.get("customers", [])}
    return {g.product: g.kinds for g in gaps}, processing


def agreed_gap_kind(code: str, stated: str, facets: dict[str, tuple[str, ...]], processing: set[str]) -> str:
    """The stated gap kind when the engine finds it; otherwise the product's largest facet, or "" (entered
    by the agency) when the product has no gap or the agency states an infrastructure bottleneck the seed
    has no obstacle reports for. A processing opportunity on a customer of a raw material that leaves
    unprocessed keeps ``unprocessed_outflow``: the app links it to that raw material's gap."""
    kinds = facets.get(code, ())
    if stated in kinds or stated == "unprocessed_outflow" and code in processing:
        return stated
    return kinds[0] if kinds and stated != "infrastructure" else ""


def write_opportunities(figures: dict[str, dict], out_dir: Path = HERE) -> None:
    by_code = {row["code"]: row for row in PRODUCTS}
    facets, processing = engine_facets(out_dir)
    out = []
    for number, (code, county, stated, agency, low, high, jobs, suited, financing, status, title_fa, title_en,
                 extra) in enumerate(OPPORTUNITIES, 1):
        assert code in by_code and county in COUNTY_NAME, (code, county)
        gap = agreed_gap_kind(code, stated, facets, processing)
        desc_fa, desc_en = describe(code, county, gap, figures, by_code)
        if extra:
            desc_fa, desc_en = f"{desc_fa} {fa(extra[0])}", f"{desc_en} {extra[1]}"
        inc_fa, inc_en = incentives(county, suited)
        year = 1403 if number <= 20 else 1404
        out.append([f"OPP-{year}-{number:03d}", fa(title_fa), title_en, code, county, agency, low * B, high * B, jobs,
                    fa(desc_fa), desc_en, fa(inc_fa), inc_en, "|".join(SUITED[c] for c in suited), financing,
                    status, gap])
    write(out_dir, "opportunities.csv", ["ref", "title_fa", "title_en", "product", "county", "agency",
                                "investment_min_rials", "investment_max_rials", "jobs", "description_fa",
                                "description_en", "incentives_fa", "incentives_en", "suited_for", "financing",
                                "status", "gap_kind"], out)
    permits.write_permits(write, out_dir, [(row[0], row[5]) for row in out])


# ----------------------------------------------------------------------------- applicants

# Fictional, clearly illustrative investor profiles.
APPLICANTS = [
    ("APP-0001", "individual", "مریم حسینی (نمونه)", 20 * B, "food", "بسته~بندی خشکبار و فروش اینترنتی",
     "080212", "maragheh|ajabshir", "fa"),
    ("APP-0002", "cooperative", "تعاونی زنان روستایی سهند (نمونه)", 15 * B, "food|agriculture",
     "تولید پنیر سنتی و لبنیات محلی، دامداری", "0406|0403", "tabriz|osku", "fa"),
    ("APP-0003", "home_business", "زهرا محمدی (نمونه)", 5 * B, "textiles", "قالی~بافی و رنگرزی گیاهی نخ", "5701",
     "heris|sarab", "fa"),
    ("APP-0004", "knowledge_based", "شرکت دانش~بنیان آزمون~گستر آذر (نمونه)", 150 * B, "services|food",
     "آزمایشگاه کنترل کیفیت، تحلیل دستگاهی، استانداردسازی", "", "tabriz", "fa"),
    ("APP-0005", "company", "Aras Wire Industries (illustrative)", 2000 * B, "metals|electrical",
     "Copper rod and wire drawing, cable compounding and extrusion", "7407|8544", "tabriz|jolfa", "en"),
    ("APP-0006", "company", "Sahand Packaging Co. (illustrative)", 900 * B, "chemicals",
     "Blown-film extrusion, flexographic printing and lamination", "3923|3920", "tabriz|marand", "en"),
    ("APP-0007", "cooperative", "تعاونی دامداران هشترود (نمونه)", 60 * B, "agriculture|food",
     "پرورش گوسفند و تولید علوفه و خوراک دام", "0104|5101|1214", "hashtrud|charuymaq", "fa"),
    ("APP-0008", "individual", "حسن کریمی (نمونه)", 80 * B, "leather", "تولید کفش چرمی مردانه و طراحی مدل", "6403",
     "tabriz", "fa"),
    ("APP-0009", "knowledge_based", "Tabriz Machine Intelligence Ltd. (illustrative)", 300 * B,
     "machinery|automotive", "CNC retrofits, industrial automation and PLC programming", "8537", "tabriz|osku",
     "en"),
    ("APP-0010", "home_business", "فاطمه نوری (نمونه)", 8 * B, "agriculture|food",
     "زنبورداری، فرآوری عسل و ساخت شمع از موم", "0409|1521", "kaleybar|ahar", "fa"),
    ("APP-0011", "company", "شرکت سنگ تراورتن آذر (نمونه)", 500 * B, "construction|mining",
     "استخراج و برش سنگ تراورتن، صادرات اسلب", "2515|6802", "azarshahr|ajabshir", "fa"),
]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
