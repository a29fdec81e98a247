"""Tracking codes a person can read over the phone: the one scheme for cases and obstacle reports.

Format: 16 digits shown in four groups of four (``1234 5678 9012 3456``), like the bank card
numbers every Iranian already reads aloud and types on a phone keypad. Fifteen digits are random
(``secrets``, about 49.8 bits: bulk guessing is hopeless behind the rate limit on /track); the
sixteenth is a Damm check digit. Damm's quasigroup catches every single-digit error and every
transposition of two adjacent digits, which Luhn (bank cards) does not (09 ↔ 90).

People type codes with Persian (۰-۹) or Arabic-Indic (٠-٩) digits, with spaces, dashes or no
separators: ``parse`` accepts all of them and tells a typo (wrong check digit) apart from text that
is not a code at all. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

import secrets

from chains.nomenclature import normalize_digits

LENGTH = 16
GROUP = 4

# Damm's table: a totally anti-symmetric quasigroup of order 10 (Damm 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Separators people put between groups.
_SEPARATORS = " \t-_.,\u200c\u200f\u200e\u066c\u2009\u00a0/"


class CodeError(ValueError):
    """The text is not a usable tracking code; ``reason`` says why ('format' or 'typo')."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def is_valid(digits: str) -> bool:
    """True when ``digits`` (ASCII, no separators) ends in its Damm check digit."""
    return digits.isascii() and digits.isdigit() and check_digit(digits) == "0"


def new_code() -> str:
    """A fresh code as stored: 16 ASCII digits, the last one the check digit. The first is never 0."""
    body = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(LENGTH - 2))
    return body + check_digit(body)


def parse(text: str | None) -> str:
    """The stored form of a code a person typed, or CodeError('format' | 'typo')."""
    if text is None:
        raise CodeError("format")
    cleaned = normalize_digits(str(text)[:64])
    for sep in _SEPARATORS:
        cleaned = cleaned.replace(sep, "")
    if len(cleaned) != LENGTH or not cleaned.isascii() or not cleaned.isdigit():
        raise CodeError("format")
    if not is_valid(cleaned):
        raise CodeError("typo")
    return cleaned


def grouped(code: str) -> str:
    """``1234 5678 9012 3456`` (ASCII digits; the page's digit filter localises them)."""
    return " ".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))
