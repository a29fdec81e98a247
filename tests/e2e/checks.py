"""What every page a journey reaches must get right, in one place, axe-core included.

``watch(context)`` starts recording a browser context's requests and console errors; ``check_page``
then checks the page as a person would see it:

* ``<html lang dir>`` and the computed direction are the page language's (``rtl`` for fa);
* on fa pages no ASCII digit and no untranslated English word in the visible text, the
  ``<title>`` (less the codes in it) or the texts a screen reader reads (``aria-label``, ``title``,
  ``placeholder``, ``alt``), outside what the page marks as not Persian: an element with another
  ``lang``, a ``dir="ltr"`` island (codes, e-mail addresses, Latin input) or a ``.code``;
* on en pages no Persian digit and no Persian letter outside elements marked ``lang="fa"``;
* no console error or uncaught exception (a Content-Security-Policy violation is one) since the
  last check, and no request, ever, to a host other than the live server.

Each check drains what it read, so an error is reported against the page where it appeared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Names that stay in Latin letters in Persian text, as Persian writers use them: the product
# classifications («کد HS»، «ISIC») and the licences of the font and the layout library in the
# footer («پروانه SIL OFL»، «پروانه MIT»).
LATIN_NAMES = frozenset({"HS", "ISIC", "SIL", "OFL", "MIT"})

# A title cannot mark a code: there a reference or a tracking code counts as marked by its shape.
# A title cannot hold markup: codes in it (refs like APP-K3Q9, tracking codes) are isolated text, in the
# page's digits (app/i18n.py isolate), so they are taken out before the Latin-word check.
_CODE_IN_TITLE = re.compile(r"\u2066?(?:\b[A-Z]{2,}-[A-Z0-9۰-۹]{2,}(?:-[A-Z0-9۰-۹]+)*"
                            r"|[0-9۰-۹]{4}(?:[ -]?[0-9۰-۹]{4}){3})\u2069?")

# Text the page shows or reads out, minus what it marks as being in another language or script.
_TEXT_JS = """(lang) => {
  const foreign = (el) => {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (e.classList.contains('code') || e.getAttribute('dir') === 'ltr') return true;
      const l = e.getAttribute('lang');
      if (l !== null) return !l.toLowerCase().startsWith(lang);
    }
    return false;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    if (n.textContent.trim() && !foreign(parent)) out.push(n.textContent.trim());
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (foreign(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  return out;
}"""


@dataclass
class Seen:
    """What a browser context did: every request's URL, and console errors not yet checked."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def watch(context) -> Seen:
    """Record the requests and console errors of every page of ``context`` (call before opening pages)."""
    seen = Seen()
    context.on("request", lambda r: seen.requests.append(r.url))
    context.on("console", lambda m: seen.errors.append(f"{m.location.get('url') or '?'}: {m.text}")
               if m.type == "error" else None)
    context.on("weberror", lambda e: seen.errors.append(f"{e.page.url if e.page else '?'}: {e.error}"))
    return seen


def _words(texts: list[str], pattern: str) -> list[str]:
    return [m for t in texts for m in re.findall(pattern, t)]


def check_page(page, lang: str, seen: Seen, screenshot: Path | None = None, status: int = 200) -> None:
    """Assert what a person sees on ``page`` is right for ``lang``; save a screenshot first when asked.

    ``status``: the page's own HTTP status when the journey expects a refusal (a 409 conflict page);
    Chromium logs every page answered with 400 or more as a console error, which is then expected once."""
    page.wait_for_load_state("networkidle")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=True)
    where = page.url
    expected_dir = "rtl" if lang == "fa" else "ltr"
    html_lang, html_dir, direction = page.evaluate(
        "[document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]")
    assert (html_lang, html_dir) == (lang, expected_dir), f"<html lang dir> of {where}: {html_lang} {html_dir}"
    assert direction == expected_dir, f"direction of {where}: {direction}"

    texts = page.evaluate(_TEXT_JS, lang) + [_CODE_IN_TITLE.sub("", page.title())]
    if lang == "fa":
        latin_digits = [t for t in texts if re.search(r"[0-9]", t)]
        assert latin_digits == [], f"ASCII digits on {where}: {latin_digits[:5]}"
        english = sorted({w for w in _words(texts, r"[A-Za-z][A-Za-z'’-]*") if w not in LATIN_NAMES})
        assert english == [], f"untranslated English on {where}: {english[:20]}"
    else:
        persian = [t for t in texts if re.search(r"[\u0600-\u06FF]", t)]
        assert persian == [], f"Persian letters or digits on {where}: {persian[:5]}"

    own = urlsplit(where).netloc
    outside = sorted({u for u in seen.requests if not u.startswith(("data:", "blob:", "about:"))
                      and urlsplit(u).netloc != own})
    assert outside == [], f"requests to other hosts: {outside}"
    errors, seen.errors[:] = list(seen.errors), []
    if status >= 400:
        refusal = f"{where}: Failed to load resource: the server responded with a status of {status} "
        assert [e for e in errors if e.startswith(refusal)], f"no {status} for {where}: {errors}"
        errors = [e for e in errors if not e.startswith(refusal)]
    assert errors == [], f"console errors: {errors}"
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{where}: axe found {json.dumps(serious, ensure_ascii=False)}"


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands. The script goes in through the DevTools protocol
    (``page.evaluate``), so the page's own Content-Security-Policy stays in force."""
    page.evaluate(AXE)
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
