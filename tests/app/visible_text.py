"""What a person reads on a page, piece by piece, with the language and direction each piece is marked with.

Used by tests/app/test_persian_text.py to enforce docs/persian-style.md on every route. Pure standard
library (html.parser): each ``Piece`` is a run of text or a visible attribute (placeholder, value,
title, aria-label, alt) with the nearest ``lang`` and whether it sits inside a ``dir="ltr"`` element or
a ``<bdi>`` (bidirectional isolation).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"script", "style", "template", "head"}
ATTRS = ("placeholder", "title", "aria-label", "alt")
HIDDEN_INPUTS = {"hidden", "password", "checkbox", "radio", "file"}


@dataclass(frozen=True)
class Piece:
    text: str
    lang: str
    isolated: bool  # inside dir="ltr" or <bdi>
    code: bool  # inside an element of class "code" (an identifier: HS code, ref, slug)
    where: str  # the innermost element, e.g. "td.code" or "input[placeholder]"


class _Reader(HTMLParser):
    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple] = [("html", page_lang, False, False, "html", False)]
        self.pieces: list[Piece] = []

    def _where(self, tag, attrs):
        cls = (attrs.get("class") or "").split()
        return tag + ("." + ".".join(cls[:2]) if cls else "")

    def handle_starttag(self, tag, attr_list):
        attrs = {k: (v or "") for k, v in attr_list}
        parent, lang, isolated, skipped, _where, is_code = self.stack[-1]
        lang = attrs["lang"] if "lang" in attrs else lang  # lang="" marks text of no known language
        isolated = isolated or tag == "bdi" or attrs.get("dir") == "ltr"
        is_code = is_code or "code" in (attrs.get("class") or "").split()
        # The document's <title> is read in the tab and by screen readers: checked; the rest of <head> is not.
        skipped = (skipped or tag in SKIP) and not (tag == "title" and parent == "head")
        if tag == "html":
            self.stack[0] = ("html", lang, isolated, skipped, "html", is_code)
            return
        where = self._where(tag, attrs)
        if not skipped:
            for name in ATTRS:
                if attrs.get(name):
                    self.pieces.append(Piece(attrs[name], lang, isolated, is_code, f"{where}[{name}]"))
            if tag == "input" and attrs.get("type", "text") not in HIDDEN_INPUTS and attrs.get("value"):
                self.pieces.append(Piece(attrs["value"], lang, isolated, is_code, f"{where}[value]"))
        if tag not in VOID:
            self.stack.append((tag, lang, isolated, skipped, where, is_code))

    def handle_startendtag(self, tag, attr_list):
        self.handle_starttag(tag, attr_list)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        _, lang, isolated, skipped, where, is_code = self.stack[-1]
        if skipped or not data.strip():
            return
        self.pieces.append(Piece(" ".join(data.split()), lang, isolated, is_code, where))


def pieces(html: str, page_lang: str) -> list[Piece]:
    reader = _Reader(page_lang)
    reader.feed(html)
    reader.close()
    return reader.pieces
