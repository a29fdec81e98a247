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
"""

from __future__ import annotations

import unicodedata

__all__ = ["normalize_text", "fold", "persian_digits", "latin_digits"]

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
