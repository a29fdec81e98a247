"""Persian first: direction, digits, Jalali dates, the language switch, and a complete catalogue."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.web.filters import mark_codes

ROOT = Path(__file__).resolve().parents[2]
LATIN_DIGIT = re.compile(r"[0-9]")
PERSIAN_DIGIT = re.compile(r"[۰-۹]")


def html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


@pytest.mark.parametrize("lang,direction", [("fa", "rtl"), ("en", "ltr")])
def test_every_page_declares_its_language_and_direction(client, lang, direction):
    for path in ("/", "/opportunities", "/chains", "/login"):
        body = client.get(f"/{lang}{path}").get_data(as_text=True)
        assert html_tag(body) == f'<html lang="{lang}" dir="{direction}">'


def test_the_bare_address_redirects_to_persian(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/fa/")


def test_the_bare_address_remembers_the_visitors_language(app):
    client = app.test_client()
    client.get("/en/")
    resp = client.get("/")
    assert resp.headers["Location"].endswith("/en/")


def live_counts(body: str) -> list[str]:
    return re.findall(r"<dd>([^<]*)</dd>", body.split('id="counts-h"')[1].split("</dl>")[0])


def test_persian_home_shows_counts_in_persian_digits(client):
    counts = live_counts(client.get("/fa/").get_data(as_text=True))
    assert len(counts) == 6
    for value in counts:
        assert PERSIAN_DIGIT.search(value) and not LATIN_DIGIT.search(value), value


def test_english_home_shows_counts_in_latin_digits(client):
    counts = live_counts(client.get("/en/").get_data(as_text=True))
    assert all(LATIN_DIGIT.search(v) and not PERSIAN_DIGIT.search(v) for v in counts)


def test_the_language_switch_keeps_the_current_page_and_filters(client):
    body = client.get("/fa/opportunities?county=tabriz").get_data(as_text=True)
    link = re.search(r'<a class="header-link lang-switch" href="([^"]+)"', body).group(1)
    assert link.replace("&amp;", "&") == "/en/opportunities?county=tabriz"


def test_the_language_switch_on_a_detail_page_points_to_the_same_record(client, app):
    from app.extensions import db
    from app.models import Opportunity

    with app.app_context():
        opp_id = db.session.query(Opportunity.id).filter_by(status="published").first()[0]
    body = client.get(f"/en/opportunities/{opp_id}").get_data(as_text=True)
    assert f'href="/fa/opportunities/{opp_id}"' in body


def test_persian_pages_show_jalali_dates_and_english_pages_gregorian(app):
    from app.i18n import calendar_date

    with app.test_request_context("/fa/"):
        assert calendar_date(date(2025, 3, 21), "fa") == "۱ فروردین ۱۴۰۴"
        assert calendar_date(date(2025, 3, 21), "en") == "21 March 2025"


def test_money_reads_naturally_in_both_languages(app):
    from flask_babel import force_locale

    from app.i18n import money

    with app.test_request_context("/fa/"):
        with force_locale("fa"):
            assert money(12_500_000_000, "fa") == "۱۲٫۵ میلیارد ریال"
        with force_locale("en"):
            assert money(12_500_000_000, "en") == "12.5 billion rials"


def test_english_strings_do_not_leak_onto_persian_pages(client, app):
    from app.extensions import db
    from app.models import Opportunity

    with app.app_context():
        opp_id = db.session.query(Opportunity.id).filter_by(status="published").first()[0]
    for path in ("/fa/", "/fa/opportunities", "/fa/chains", "/fa/login", "/fa/gaps", "/fa/chains/dairy",
                 "/fa/chains/copper", f"/fa/opportunities/{opp_id}", "/fa/match", "/fa/track", "/fa/register",
                 "/fa/opportunities?min=abc", "/fa/nowhere"):
        body = client.get(path).get_data(as_text=True)
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", body, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        # Latin words allowed on fa pages: the switch to English, HS/ISIC/ref codes, e-mail, product codes.
        words = set(re.findall(r"\b[A-Za-z]{4,}\b", text)) - {"English", "Vazirmatn", "Bootstrap", "OpenStreetMap"}
        assert not words, (path, sorted(words)[:20])


def test_every_message_has_a_persian_translation():
    po = ROOT / "app" / "translations" / "fa" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy
                                                 or (isinstance(m.string, tuple) and not all(m.string)))]
    assert not missing, f"{len(missing)} messages lack a Persian translation: {missing[:10]}"


def test_the_committed_catalogue_is_not_stale(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-o", str(pot), "--no-location", "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    with (ROOT / "app" / "translations" / "fa" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        translated = {m.id for m in read_po(fh) if m.id}
    assert extracted - translated == set(), "run `make extract` and translate the new strings"


# The English msgids of the five financing-share labels (app/portal_forms.py) contain "(% of", which
# Babel reads as a python-format placeholder ("% o", octal). They are never %-formatted, so no Persian
# text can honestly match them; the fix belongs in the msgids (e.g. "Bank facility, share of the
# investment (%)"), in a file that is being moved now. Until then these five, and only these, are allowed.
FALSE_PLACEHOLDER_MSGIDS: set[str] = set()


def catalogue_problems(lang: str) -> list[tuple[str, str]]:
    """What `pybabel compile` reports as errors: Babel's checkers (placeholders, plural forms)."""
    po = ROOT / "app" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, abort_invalid=True)
    return [(message.id, str(error)) for message, errors in catalog.check() for error in errors]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_catalogue_compiles_without_errors(lang):
    problems = catalogue_problems(lang)
    unexpected = [p for p in problems if p[0] not in FALSE_PLACEHOLDER_MSGIDS]
    assert not unexpected, unexpected
    # The allowance shrinks with the msgids: once they are fixed, empty FALSE_PLACEHOLDER_MSGIDS.
    assert {p[0] for p in problems} <= FALSE_PLACEHOLDER_MSGIDS


def test_pybabel_compile_reports_no_other_error(tmp_path):
    import shutil

    shutil.copytree(ROOT / "app" / "translations", tmp_path / "translations")
    run = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d",
                          str(tmp_path / "translations"), "--statistics"], capture_output=True, text=True)
    output = run.stdout + run.stderr
    allowed_lines = {n for n, line in enumerate(
        (tmp_path / "translations" / "fa" / "LC_MESSAGES" / "messages.po").read_text("utf-8").splitlines(), 1)
        if line.startswith("msgid ") and line[7:-1] in FALSE_PLACEHOLDER_MSGIDS}
    errors = [line for line in output.splitlines() if line.startswith(("error", "warning"))
              and not re.search(r"messages\.po:(\d+): placeholders are incompatible$", line)]
    flagged = {int(m.group(1)) for m in re.finditer(r"messages\.po:(\d+): placeholders are incompatible", output)}
    assert not errors, output
    assert flagged <= allowed_lines, output


def test_the_translate_commands_run_from_the_repository():
    """`flask translate extract` runs pybabel where babel.cfg and app/translations are (the repository)."""
    from app.cli import translate

    assert (translate.ROOT / "babel.cfg").is_file() and (translate.ROOT / "app" / "translations").is_dir()



def test_codes_in_a_flashed_sentence_are_marked_left_to_right_on_persian_pages(app):
    with app.test_request_context("/fa/"):
        marked = str(mark_codes("فرصت OPP-1403-002 ذخیره شد؛ کد ۱۲ و 0406 و a.b@example.org <b>"))
    assert marked == ('فرصت <bdi dir="ltr" class="code">OPP-۱۴۰۳-۰۰۲</bdi> ذخیره شد؛ کد ۱۲ و '
                      '<bdi dir="ltr" class="code">۰۴۰۶</bdi> و <bdi dir="ltr" class="code">a.b@example.org</bdi>'
                      ' &lt;b&gt;')


def test_no_template_formats_a_literal_in_the_language_of_whichever_page_came_first(app):
    """Jinja folds a filter over a constant when it compiles a template (``10|number`` would become «۱۰» for
    good if a Persian page compiled it first); the page-language filters are context filters
    (app/web/filters.py), which Jinja never folds, so the same template answers each page in its language."""
    client = app.test_client()
    for lang, hint in (("fa", "۱۰ حرف"), ("en", "At least 10 characters"), ("fa", "۱۰ حرف")):
        body = client.get(f"/{lang}/register").get_data(as_text=True)
        assert hint in body, lang
