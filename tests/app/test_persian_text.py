"""docs/persian-style.md, enforced on every page of the site for anonymous visitors and every role, in fa and en.

The pages come from the role × route matrix (tests/app/test_route_matrix.py): a route another engineer
adds there is checked here too. Each failure names the page, the role, the element and the offending text.
"""

from __future__ import annotations

import re

import pytest

from tests.app.test_route_matrix import MATRIX, ROLES, world  # noqa: F401  (world is a fixture)
from tests.app.visible_text import pieces

LATIN = re.compile(r"[A-Za-z]")
ASCII_DIGIT = re.compile(r"[0-9]")
PERSIAN_DIGIT = re.compile(r"[۰-۹٠-٩]")
# Digits joined by a date or code separator, or four-digit groups (tracking codes): order matters.
ORDERED = re.compile(r"[0-9۰-۹]+[-/:][0-9۰-۹]+|[0-9۰-۹]{4} [0-9۰-۹]{4}")
RAW_JSON = re.compile(r'[{\[]\s*"|"\s*:\s*["{\[0-9]')
# Text between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE is isolated in plain-text messages.
ISOLATED_RUN = re.compile("\u2066[^\u2069]*\u2069")


def page_urls(values):
    for endpoint, (method, template, allowed) in sorted(MATRIX.items()):
        if method != "GET" or not template.startswith("/fa/") or endpoint == "auth.logout":
            continue
        yield endpoint, template.format(**values), allowed


def problems_on(html: str, lang: str) -> list[str]:
    found = []
    for piece in pieces(html, lang):
        text, where = piece.text, piece.where
        if piece.lang.startswith("fa"):
            if LATIN.search(ISOLATED_RUN.sub("", text)) and not piece.code:
                found.append(f"Latin letters in {where}: {text!r}")
            if ASCII_DIGIT.search(text):
                found.append(f"ASCII digits in {where}: {text!r}")
            if not piece.isolated and ORDERED.search(ISOLATED_RUN.sub("", text)):
                found.append(f"ordered value not isolated (dir=ltr or bdi) in {where}: {text!r}")
        elif piece.lang.startswith("en") and PERSIAN_DIGIT.search(text):
            found.append(f"Persian digits in {where}: {text!r}")
        if RAW_JSON.search(text):
            found.append(f"raw JSON in {where}: {text!r}")
    return found


def fetch(client, url):
    resp = client.get(url, follow_redirects=True)
    resp.close()
    if resp.status_code >= 500 or resp.mimetype != "text/html":
        return None
    return resp.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_follows_the_persian_style_guide(world, role, lang):  # noqa: F811
    _, clients, values = world
    report = []
    for _endpoint, url, allowed in page_urls(values):
        if role not in allowed:
            continue
        url = f"/{lang}/" + url[len("/fa/"):]
        html = fetch(clients[role], url)
        if html is None:
            continue
        report += [f"{url} ({role}): {p}" for p in problems_on(html, lang)]
    assert report == [], "\n" + "\n".join(sorted(set(report)))
