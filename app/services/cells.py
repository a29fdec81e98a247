"""Spreadsheet cells that a spreadsheet program will not execute (CSV injection), for every export."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not execute: text starting with = + - @ gets a leading apostrophe.

    Numbers stay numbers (a negative number is data, not a formula).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
