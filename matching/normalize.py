"""Text folding for Persian and English: one spelling per word for matching and search.

Persian text arrives in several spellings of the same word: Arabic ``ي``/``ك``
from Arabic keyboards, optional diacritics (harakat), a zero-width non-joiner
(ZWNJ, U+200C) inside compounds such as «می‌شود», and three families of digits.
:func:`normalize_text` maps every such variant onto one form so that a search,
a TF-IDF vector and a recommendation score are the same whichever spelling the
user typed.

The folding is lossy by design and its output is a *key*, never shown to users:

* Unicode NFKC first, so Arabic presentation forms (``ﻙ``, ``ﻻ``) and full-width
  Latin become their base letters.
* ``ي`` (U+064A), ``ى`` (U+0649) and ``ئ`` (U+0626) → ``ی`` (U+06CC);
  ``ك`` (U+0643) → ``ک`` (U+06A9); ``ة`` (U+0629) and ``ۀ`` (U+06C0) → ``ه``;
  ``ؤ`` → ``و``.
* ``أ``, ``إ``, ``ٱ`` **and** ``آ`` → ``ا``. We fold ``آ`` too: users often type
  «اذربایجان» for «آذربایجان», and recall matters more than the distinction in a
  matching key.
* Diacritics U+064B–U+0655 (harakat, shadda, sukun, combining maddah and hamza),
  superscript alef U+0670 and tatweel U+0640 are removed.
* ZWNJ is removed (not turned into a space), so «می‌شود» == «میشود»; the other
  zero-width and bidi-control characters (ZWSP, ZWJ, word joiner, BOM, soft
  hyphen, LRM/RLM and the embedding/isolate controls) are removed as well.
* Persian ``۰-۹`` and Arabic-Indic ``٠-٩`` digits → ASCII ``0-9``; the Arabic
  decimal separator ``٫`` → ``.``, thousands separator ``٬`` → ``,`` and Arabic
  comma ``،`` → ``,``.
* ``str.casefold`` for Latin, then runs of whitespace collapse to one space and
  the ends are stripped.

Terms: stop words and light stemming
------------------------------------
:func:`terms` turns text into the *content terms* matching counts: folded words
(letters only), minus :data:`STOP_WORDS` (function words and the generic words of
the trade — «تولید», «توسعه», «واحد», «کارگاه», «صنایع», «محصولات», «خدمات»,
«شرکت», «تعاونی», production, development, unit, workshop, products, services,
company … — which name no product and so never count as a match; and the qualifiers of the
nomenclature that describe a state, not a product — «خام», «نیمه‌خام», «فرآوری‌شده», «تازه»,
«طبیعی», «مصنوعات», raw, crude, semi, processed, prepared, articles, primary, fresh, natural …:
«شیر خام» must link milk, not «پوست خام» (raw hides); the product word beside the qualifier
(«شیر», «پوست», milk, hides) always stays), each reduced
by :func:`stem`: Persian plural and common suffixes (ها، های، هایی، ان، ات،
ترین، ی، ای after a removed ZWNJ, گی → ه) and English plurals, -ing and a final
-e. Stemming is *light*: a suffix is removed only when at least three letters
remain, and both sides of every comparison are stemmed the same way, so an
over-stemmed key («زعفر» for «زعفران») still matches itself. Reasons always show
the applicant's own words, never a stem.

``hazm`` (the maintained Persian NLP toolkit) was considered: its releases pull in
nltk, gensim, fasttext and python-crfsuite, far more than a suffix list needs,
so this small module is used instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize_text", "fold", "persian_digits", "latin_digits",
    "STOP_WORDS_FA", "STOP_WORDS_EN", "STOP_WORDS", "stem", "terms", "term_key", "is_stop_word", "content_text",
]

_YEH = "\u06cc"
_KEHEH = "\u06a9"
_HEH = "\u0647"
_ALEF = "\u0627"

_MAP: dict[int, str | None] = {
    0x064A: _YEH,  # ARABIC LETTER YEH
    0x0649: _YEH,  # ARABIC LETTER ALEF MAKSURA
    0x0626: _YEH,  # ARABIC LETTER YEH WITH HAMZA ABOVE
    0x0643: _KEHEH,  # ARABIC LETTER KAF
    0x0629: _HEH,  # ARABIC LETTER TEH MARBUTA
    0x06C0: _HEH,  # ARABIC LETTER HEH WITH YEH ABOVE
    0x0624: "\u0648",  # ARABIC LETTER WAW WITH HAMZA ABOVE
    0x0623: _ALEF,  # ALEF WITH HAMZA ABOVE
    0x0625: _ALEF,  # ALEF WITH HAMZA BELOW
    0x0622: _ALEF,  # ALEF WITH MADDA ABOVE (folded on purpose, see module docstring)
    0x0671: _ALEF,  # ALEF WASLA
    0x066B: ".",  # ARABIC DECIMAL SEPARATOR
    0x066C: ",",  # ARABIC THOUSANDS SEPARATOR
    0x060C: ",",  # ARABIC COMMA
    0x0640: None,  # TATWEEL
    0x0670: None,  # SUPERSCRIPT ALEF
}
_MAP.update({cp: None for cp in range(0x064B, 0x0656)})  # harakat, shadda, sukun, maddah, hamza marks
_MAP.update(
    {
        cp: None
        for cp in (
            0x200B,  # ZERO WIDTH SPACE
            0x200C,  # ZERO WIDTH NON-JOINER
            0x200D,  # ZERO WIDTH JOINER
            0x200E,  # LEFT-TO-RIGHT MARK
            0x200F,  # RIGHT-TO-LEFT MARK
            0x2060,  # WORD JOINER
            0xFEFF,  # ZERO WIDTH NO-BREAK SPACE / BOM
            0x00AD,  # SOFT HYPHEN
            *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
            *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
        )
    }
)
_MAP.update({0x06F0 + d: str(d) for d in range(10)})  # Persian digits
_MAP.update({0x0660 + d: str(d) for d in range(10)})  # Arabic-Indic digits
_TABLE = str.maketrans(_MAP)

_TO_PERSIAN = str.maketrans({str(d): chr(0x06F0 + d) for d in range(10)} | {",": "\u066c", ".": "\u066b"})
_TO_LATIN = str.maketrans(
    {0x06F0 + d: str(d) for d in range(10)} | {0x0660 + d: str(d) for d in range(10)} | {0x066C: ",", 0x066B: "."}
)


def normalize_text(s: str | None) -> str:
    """Fold Persian/Arabic/English text to one matching key.

    Parameters
    ----------
    s : str or None
        Any text; ``None`` is treated as the empty string.

    Returns
    -------
    str
        The folded text (see the module docstring for every rule).

    Examples
    --------
    >>> normalize_text("كيك  ي") == normalize_text("کیک ی")
    True
    >>> normalize_text("می\\u200cشود") == normalize_text("میشود")
    True
    >>> normalize_text("Tabriz ۱۴۰۳ ٢٠")
    'tabriz 1403 20'
    >>> normalize_text("آذربایجان") == normalize_text("اذربايجان")
    True
    """
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).translate(_TABLE).casefold()
    return " ".join(s.split())


def fold(s: str | None) -> str:
    """Fold a search query or a searchable field; the same as :func:`normalize_text`.

    Kept as its own name so that call sites read as "fold for search".

    Examples
    --------
    >>> fold("پنير") == fold("پنیر")
    True
    """
    return normalize_text(s)


def persian_digits(s: object) -> str:
    """Write the ASCII digits (and ``,``/``.`` separators) of ``s`` in Persian.

    Examples
    --------
    >>> persian_digits("80% of 1,250.5")
    '۸۰% of ۱٬۲۵۰٫۵'
    """
    return str(s).translate(_TO_PERSIAN)


def latin_digits(s: object) -> str:
    """Write Persian and Arabic-Indic digits of ``s`` in ASCII.

    Examples
    --------
    >>> latin_digits("۸۰٪ و ٣")
    '80٪ و 3'
    """
    return str(s).translate(_TO_LATIN)


# ------------------------------------------------------------------ stop words and stemming
#: Persian words that never count as a match: function words, and the generic words of
#: business and industry that appear in almost every opportunity (in folded form:
#: no ZWNJ, «آ» as «ا»; compare with :func:`is_stop_word`).
STOP_WORDS_FA = frozenset(normalize_text(w) for w in """
و در با از به را که برای یا این آن تا هم بر می ها های ای است هست بود شود شد کند کنم کنیم
خود من ما شما او ایشان هر همه یک دو سه چند نیز اما ولی اگر پس بین روی زیر پیش بعد قبل درباره
مانند مثل حدود سال سالانه هزار میلیون میلیارد ریال تن درصد
می‌خواهم میخواهم میخواهیم خواهم دارم داریم دارد کار کارها فعالیت فعالیت‌ها علاقه علاقه‌مند
تولید تولیدی تولیدکننده تولیدکنندگان توسعه توسعه‌یافته واحد واحدها کارگاه کارگاه‌ها کارگاهی
کارخانه صنعت صنایع صنعتی محصول محصولات فرآورده فرآورده‌ها خدمات خدماتی شرکت شرکت‌ها تعاونی
تعاونی‌ها مرکز راه‌اندازی راه اندازی احداث ایجاد تکمیل طرح پروژه سرمایه سرمایه‌گذاری فرصت
استان شهرستان شهرک منطقه مناطق کمتر بیشتر جدید سایر انواع نوع لوازم تجهیزات ساخت مشارکت
مهارت مهارت‌ها تجربه سابقه بخش زمینه حوزه خط نیاز مورد مواد اولیه کردن کرد کنند کنیم
خام نیمه‌خام نیمه فرآوری فرآوری‌شده فرآوری‌نشده شده نشده تازه طبیعی غیر مصنوعات اقلام کالا کالاها
""".split())
#: English counterparts (compare after :func:`stem`-free folding, see :func:`is_stop_word`).
STOP_WORDS_EN = frozenset("""
a an the and or of in on at by for from to with without as is are be been was were it its this that
these those my our your we i you he she they them their me us not no into out up about per via
want wants wanted would like make makes making made do does doing work works working job jobs
production produce producing producer producers development develop developing developed unit units
workshop workshops plant plants factory factories industry industries industrial product products
service services company companies cooperative cooperatives firm firms centre center business
businesses new other others various set setting start starting establish establishing partnership
project projects investment investor opportunity opportunities province provincial county park
area areas less more skill skills experience year years tonne tonnes billion million rials line
raw crude semi processed processing unprocessed prepared preparation preparations article articles
primary form forms fresh chilled natural similar kind kinds thereof whether nes
""".split())
STOP_WORDS = STOP_WORDS_FA | STOP_WORDS_EN

_WORD = re.compile(r"[^\W\d_]+")
#: Persian suffixes, longest first; removed only when three letters remain.
_FA_SUFFIXES = ("هایی", "های", "ترین", "ها", "ات", "ان", "ای", "ی")
_STEMMED_STOPS: frozenset[str] = frozenset()
# A suffix written after a ZWNJ is unambiguous («پارچه‌ای», «پارچه‌های»): removed before folding.
_ZWNJ_SUFFIX = re.compile("\u200c(?:هایی|های|ها|ترین|تر|ای|ی)(?![^\\W\\d_])")


def _stem_en(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ses", "xes", "ches", "shes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
            w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _stem_fa(w: str) -> str:
    for _ in range(2):
        if len(w) > 4 and w.endswith("گی"):
            return w[:-2] + "ه"
        for suf in _FA_SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[: -len(suf)]
                break
        else:
            break
    return w


def stem(word: str) -> str:
    """The light stem of one *folded* word (see the module docstring).

    Examples
    --------
    >>> stem(normalize_text("فرش‌ها")) == stem("فرش"), stem(normalize_text("محصولات")) == stem("محصول")
    (True, True)
    >>> stem("carpets"), stem("weaving"), stem("cheese") == stem("cheeses")
    ('carpet', 'weav', True)
    """
    if not word:
        return word
    return _stem_en(word) if word.isascii() else _stem_fa(word)


def is_stop_word(word: str) -> bool:
    """Whether ``word`` (any spelling) is on the stop list, as a word or as a stem.

    Examples
    --------
    >>> is_stop_word("توليد"), is_stop_word("Workshops"), is_stop_word("فرش")
    (True, True, False)
    """
    w = normalize_text(word)
    return w in STOP_WORDS or stem(w) in _STEMMED_STOPS


@lru_cache(maxsize=65536)  # an applicant's words are keyed again for every match explained
def term_key(word: str) -> str:
    """The matching key of one word: folded and stemmed, or ``""`` for a stop word or a non-word."""
    w = normalize_text(_ZWNJ_SUFFIX.sub("", word or ""))
    if len(w) < 2 or w in STOP_WORDS or not _WORD.fullmatch(w):
        return ""
    k = stem(w)
    return "" if k in _STEMMED_STOPS else k


def terms(text: str | None) -> list[str]:
    """The content terms of ``text``: folded, split on non-letters, stop words dropped, stemmed.

    Order is kept and repeats are kept (callers count or de-duplicate as they need).

    Examples
    --------
    >>> terms("تولید فرش‌های دستباف در تبریز") == [stem("فرش"), "دستباف", "تبریز"]
    True
    >>> terms("Carpet weaving workshops, 2 units")
    ['carpet', 'weav']
    """
    return list(_terms(text or ""))


def term_set(text: str | None) -> frozenset[str]:
    """The distinct :func:`terms` of ``text`` (from the cached term tuple, without a list in between)."""
    return frozenset(_terms(text or ""))


@lru_cache(maxsize=65536)  # opportunity documents and names are re-read for every explained match
def _terms(text: str) -> tuple[str, ...]:
    out = []
    for w in _WORD.findall(normalize_text(_ZWNJ_SUFFIX.sub("", text))):
        if len(w) < 2 or w in STOP_WORDS:
            continue
        k = stem(w)
        if k not in _STEMMED_STOPS:
            out.append(k)
    return tuple(out)


_STEMMED_STOPS = frozenset(stem(w) for w in STOP_WORDS if _WORD.fullmatch(w))


def content_text(text: str | None) -> str:
    """:func:`terms` joined by spaces: the text the recommender's character n-grams are taken from."""
    return " ".join(terms(text))
