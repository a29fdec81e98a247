"""Follow every link a person can click, anonymous and as an administrator: no page answers with a 500."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.app.conftest import sign_in

HREF = re.compile(r'href="([^"]+)"')
SKIP = re.compile(r"/logout|/static/|format=csv|/export/|\.xlsx|\.csv")


def crawl(client, starts, limit):
    seen, queue, problems = set(), deque(starts), []
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        if resp.status_code >= 500:
            problems.append((url, resp.status_code))
        if resp.mimetype != "text/html":
            continue
        for href in HREF.findall(resp.get_data(as_text=True)):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.search(href):
                continue
            if href not in seen:
                queue.append(href)
    return seen, problems


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_no_link_on_the_site_leads_to_a_server_error(fresh_app, make_user, who):
    client = fresh_app.test_client()
    if who == "admin":
        _, email, password = make_user(role="admin")
        sign_in(client, email, password)
    seen, problems = crawl(client, ["/fa/", "/en/"], limit=350)
    assert len(seen) > 100
    assert problems == []
