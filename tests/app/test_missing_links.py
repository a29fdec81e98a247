"""Missing links (gaps) on the site, in the API and from the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest

KINDS = ("missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "infrastructure")


def api_gaps(client, query=""):
    resp = client.get(f"/api/v1/gaps?per_page=500&{query}")
    assert resp.status_code == 200
    return resp.get_json()["data"]


def test_the_province_has_missing_links_of_several_kinds(client):
    kinds = {f["kind"] for g in api_gaps(client) for f in g["facets"]}
    assert {"missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity"} <= kinds


def test_one_gap_per_product_whose_size_counts_no_rial_twice(client):
    gaps = api_gaps(client)
    assert len({g["product"] for g in gaps}) == len(gaps)
    for g in gaps:
        assert g["facets"] and g["kind"] == g["facets"][0]["kind"]
        assert g["size_rials"] == sum(f["counted_rials"] for f in g["facets"])
        assert all(0 <= f["counted_rials"] <= f["size_rials"] for f in g["facets"])
        assert isinstance(g["national_scale"], bool)
        assert set(g["parts"]) == {"viability", "attractiveness", "priority"}
    wire = next(g for g in gaps if g["product"] == "7408")
    assert set(wire["kinds"]) >= {"missing_supplier", "shortfall"}


def test_a_gap_in_json_has_the_documented_fields_and_ranges(client):
    for g in api_gaps(client):
        assert g["kind"] in KINDS and set(g["kinds"]) <= set(KINDS)
        assert isinstance(g["product"], str) and g["chains"]
        assert isinstance(g["size_rials"], int) and g["size_rials"] >= 0
        for score in ("viability", "attractiveness", "strategic", "priority"):
            assert 0.0 <= g[score] <= 1.0
        assert g["reason"]["fa"] and g["reason"]["en"]
        assert "ي" not in g["reason"]["fa"] and "ك" not in g["reason"]["fa"]


def test_gaps_are_ordered_provincial_first_then_by_priority(client):
    keys = [(g["national_scale"], -g["priority"]) for g in api_gaps(client)]
    assert keys == sorted(keys)
    assert any(k[0] for k in keys) and not keys[0][0]


def test_the_scale_filter_separates_national_from_provincial_gaps(client):
    every = api_gaps(client)
    national = api_gaps(client, "scale=national")
    provincial = api_gaps(client, "scale=provincial")
    assert national and provincial and len(national) + len(provincial) == len(every)
    assert all(g["national_scale"] for g in national) and not any(g["national_scale"] for g in provincial)
    assert all("National-scale" in g["reason"]["en"] and "مقیاس ملی" in g["reason"]["fa"] for g in national)


def test_filtering_gaps_by_kind_and_chain(client):
    all_gaps = api_gaps(client)
    copper_idle = api_gaps(client, "chain=copper&kind=missing_supplier")
    expected = [g for g in all_gaps if "copper" in g["chains"] and "missing_supplier" in g["kinds"]]
    assert copper_idle == expected and expected


def test_the_copper_wire_example_reads_as_the_governor_would_say_it(client):
    wire = [g for g in api_gaps(client, "kind=missing_supplier") if g["product"] == "7408"]
    assert wire, "copper wire should be a missing local supplier in the illustrative data"
    assert "از خارج استان تأمین می‌شود" in wire[0]["reason"]["fa"]
    assert "comes from outside the province" in wire[0]["reason"]["en"]


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_missing_links_page_shows_the_chart_and_reasons(client, lang):
    resp = client.get(f"/{lang}/gaps")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert '<svg class="gap-chart"' in body
    first = api_gaps(client)[0]
    for facet in first["facets"]:
        assert facet["reason"][lang].replace("'", "&#39;") in body
    assert f'id="gap-{first["product"]}"' in body and "<details>" in body


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_point_of_the_chart_links_to_its_row_in_the_table(client, lang):
    import re

    body = client.get(f"/{lang}/gaps").get_data(as_text=True)
    start = body.index('<svg class="gap-chart"')
    chart = body[start:body.index("</svg>", start)]
    links = re.findall(r'<a href="([^"#]*)#gap-(\w+)" class="chart-point"', chart)
    gaps = api_gaps(client)
    assert len(links) == len(gaps)
    pages = {}
    for href, code in links:
        page = pages.setdefault(href, client.get(href.replace("&amp;", "&")).get_data(as_text=True))
        assert f'<tr id="gap-{code}">' in page, (href, code)
    shapes = {"circle": "missing_supplier", "rect": "shortfall", "polygon": "", "path": "infrastructure"}
    drawn = set(re.findall(r"<(circle|rect|polygon|path) class=\"mk ", chart))
    assert len(drawn) >= 2 and "rect" in drawn  # one shape per largest facet kind; shortfalls are squares
    assert set(shapes) >= drawn


def test_the_page_total_counts_each_rial_once_and_divides_it_by_kind(client, app):
    from flask_babel import force_locale

    from app.i18n import money

    gaps = api_gaps(client)
    body = client.get("/en/gaps").get_data(as_text=True)
    with app.test_request_context("/en/gaps"), force_locale("en"):
        total = money(sum(g["size_rials"] for g in gaps), "en")
        by_kind = {}
        for g in gaps:
            for f in g["facets"]:
                by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + f["counted_rials"]
        parts = [money(v, "en") for v in by_kind.values()]
    assert f"Together: {total} a year, no rial counted twice" in body
    assert all(part in body for part in parts)


@pytest.mark.parametrize("sort", ["priority", "size", "viability", "attractiveness", "strategic"])
def test_the_table_sorts_by_each_score_with_national_scale_gaps_apart(client, sort):
    import re

    body = client.get(f"/en/gaps?sort={sort}").get_data(as_text=True)
    shown = re.findall(r'<tr id="gap-(\w+)">', body)
    by_code = {g["product"]: g for g in api_gaps(client)}
    assert len(shown) == 25
    key = "size_rials" if sort == "size" else sort
    rows = [by_code[c] for c in shown]
    expected = sorted(rows, key=lambda g: (g["national_scale"], -g[key]))
    assert [(g["national_scale"], g[key]) for g in rows] == [(g["national_scale"], g[key]) for g in expected]
    assert f'aria-sort="descending"><a class="sort-link" href="/en/gaps?sort={sort}"' in body or sort == "priority"


def test_national_scale_gaps_are_listed_apart_with_their_reason(client):
    national = api_gaps(client, "scale=national")
    body = client.get("/en/gaps?scale=national").get_data(as_text=True)
    assert "National-scale projects" in body and "Provincial opportunities" not in body
    for g in national[:5]:
        assert g["details"]["national_reason"]["en"].replace("'", "&#39;") in body


def test_the_csv_export_opens_in_a_spreadsheet_with_persian_intact(client):
    resp = client.get("/fa/gaps?format=csv&kind=missing_supplier")
    assert resp.mimetype == "text/csv"
    raw = resp.data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "نوع"
    gaps = api_gaps(client, "kind=missing_supplier")
    assert [int(r[5]) for r in rows[1:]] == [g["size_rials"] for g in gaps]
    assert all(r[10].count("—") == len(g["facets"]) for r, g in zip(rows[1:], gaps, strict=True))
    assert len(rows) - 1 == len(api_gaps(client, "kind=missing_supplier"))
    assert all(not r[-1].startswith(("=", "+", "-", "@")) for r in rows[1:])


def test_exported_cells_cannot_run_as_formulas():
    from app.services.cells import safe_cell

    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell(-5) == "-5"
    assert safe_cell("سیم مسی") == "سیم مسی"


@pytest.mark.parametrize("query", ["kind=everything", "sort=colour", "chain=unknown", "format=pdf"])
def test_bad_gap_filters_get_a_400_in_persian(client, query):
    resp = client.get(f"/fa/gaps?{query}")
    assert resp.status_code == 400
    assert '<html lang="fa" dir="rtl">' in resp.get_data(as_text=True)


def test_simulating_a_gap_substitutes_no_more_than_the_inflow(client):
    gap = api_gaps(client, "kind=missing_supplier")[0]
    inflow = next(f for f in gap["facets"] if f["kind"] == "missing_supplier")["details"]["inflow"]
    resp = client.post("/api/v1/simulate", json={"product": gap["product"], "added_capacity": inflow * 3})
    assert resp.status_code == 200
    sim = resp.get_json()["data"]
    assert 0 < sim["inflow_substituted"]["quantity"] <= inflow + 1e-6
    assert sim["value_added_kept_rials"] >= 0


@pytest.mark.parametrize("body,code", [
    (None, "invalid_json"),
    ({"product": "0000", "added_capacity": 5}, ("product", "unknown_product")),
    ({"product": "7408", "added_capacity": -5}, ("added_capacity", "invalid_added_capacity")),
    ({"product": "7408", "added_capacity": "lots"}, ("added_capacity", "invalid_added_capacity")),
    ({"product": "7408"}, ("added_capacity", "invalid_added_capacity")),
])
def test_a_bad_simulation_request_gets_a_json_400_in_the_asked_language(client, body, code):
    kwargs = {"json": body} if body is not None else {"data": "not json", "content_type": "application/json"}
    resp = client.post("/api/v1/simulate?lang=fa", **kwargs)
    assert resp.status_code == 400
    err = resp.get_json()["error"]
    if isinstance(code, tuple):  # a field problem: the write endpoints' "invalid" with its fields
        assert err["code"] == "invalid"
        assert [(f["field"], f["code"]) for f in err["fields"]] == [code]
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in f["message"]) for f in err["fields"])
    else:
        assert err["code"] == code
    assert any("\u0600" <= ch <= "\u06ff" for ch in err["message"])


def test_the_gaps_command_prints_json_like_the_api(app):
    result = app.test_cli_runner().invoke(args=["chains", "gaps", "--chain", "dairy", "--format", "json"])
    assert result.exit_code == 0, result.output
    gaps = json.loads(result.output)
    assert gaps and all("dairy" in g["chains"] for g in gaps)
    assert set(gaps[0]) >= {"kind", "product", "chains", "size_rials", "viability", "attractiveness",
                            "priority", "reason", "facets", "national_scale", "parts"}
    assert len({g["product"] for g in gaps}) == len(gaps)
    assert all({"kind", "size_rials", "reason"} <= set(f) for g in gaps for f in g["facets"])


def test_the_check_command_passes_on_the_seed_and_fails_on_bad_files(app, tmp_path, repo_root):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["chains", "check"])
    assert ok.exit_code == 0, ok.output
    import shutil

    for f in (repo_root / "data" / "seed").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "links.csv").open("a", encoding="utf-8") as fh:
        fh.write("7408,7408,1.0,x,,2025-01-01\n0406,0406,-1,x,,2025-01-01\n")
    bad = runner.invoke(args=["chains", "check", "--dir", str(tmp_path)])
    assert bad.exit_code == 1
    lines = [line for line in bad.output.splitlines() if line.strip()]
    assert len(lines) >= 2 and all("links.csv" in line for line in lines)


def test_the_openapi_description_lists_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi":
            path = rule.rule.replace("<int:opp_id>", "{id}").replace("<", "{").replace(">", "}")
            assert path in spec["paths"], path


def test_an_imported_relatedness_table_joins_viability(fresh_app, tmp_path):
    """Density for the province changes viability; a table too small to trust changes nothing."""
    import random

    rng = random.Random(7)
    with fresh_app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.models import Product

        codes = sorted({c[:4] for c in db.session.scalars(select(Product.code)) if len(c) >= 4})[:60]
    client = fresh_app.test_client()
    before = {(g["kind"], g["product"]): g["viability"] for g in api_gaps(client)}

    small = tmp_path / "small.csv"
    small.write_text("region,product,value\n" + "".join(
        f"{r},{p},{rng.randint(1, 100)}\n" for r in ("east_azerbaijan", "tehran") for p in codes[:5]))
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["chains", "relatedness", str(small), "--region", "east_azerbaijan"])
    assert result.exit_code == 0 and "too small" in result.output
    assert {(g["kind"], g["product"]): g["viability"] for g in api_gaps(client)} == before
    assert "too small to trust" in client.get("/en/gaps").get_data(as_text=True)

    table = tmp_path / "provinces.csv"
    regions = ["east_azerbaijan"] + [f"province_{i}" for i in range(12)]
    table.write_text("region,product,value\n" + "".join(
        f"{r},{p},{rng.choice([0, rng.randint(1, 10_000)])}\n" for r in regions for p in codes))
    result = runner.invoke(args=["chains", "relatedness", str(table), "--region", "east_azerbaijan"])
    assert result.exit_code == 0, result.output
    after = {(g["kind"], g["product"]): g["viability"] for g in api_gaps(client)}
    assert after != before
    assert all(0.0 <= v <= 1.0 for v in after.values())


def test_a_relatedness_table_without_the_province_is_refused_and_nothing_stored(fresh_app, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("region,product,value\na,0401,5\nb,0401,3\nc,0402,-1\n")
    result = fresh_app.test_cli_runner().invoke(args=["chains", "relatedness", str(table), "--region", "a"])
    assert result.exit_code == 1 and "row 4" in result.output
    table.write_text("region,product,value\na,0401,5\nb,0401,3\n")
    result = fresh_app.test_cli_runner().invoke(args=["chains", "relatedness", str(table), "--region", "zz"])
    assert result.exit_code == 1
    with fresh_app.app_context():
        from app.extensions import db
        from app.models import RelatednessTable

        assert db.session.query(RelatednessTable).count() == 0


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_chain_page_draws_the_chain_with_its_gaps_and_a_table_fallback(client, lang):
    body = client.get(f"/{lang}/chains/dairy").get_data(as_text=True)
    start = body.index('<svg xmlns="http://www.w3.org/2000/svg" class="chain-svg"')
    drawing = body[start:body.index("</svg>", start)]
    assert 'role="img"' in drawing
    # The drawing itself runs no script (the page's one script, stacked table rows, is the site's own file).
    assert "<script" not in drawing and body.count("<script") == 1 and 'src="/static/js/tables.js"' in body
    chain_gaps = [g for g in api_gaps(client, "chain=dairy")]
    assert chain_gaps
    for g in chain_gaps[:5]:
        for facet in g["facets"]:  # each finding with its own reason
            assert facet["reason"][lang].replace("'", "&#39;") in body
    # the same products are in the table a screen reader reads
    assert body.count('<th scope="row">') >= 10


def test_figures_older_than_the_setting_are_flagged_out_of_date(client, app):
    from datetime import date, timedelta

    from sqlalchemy import select

    from app.extensions import db
    from app.models import Product

    with app.app_context():
        stale_before = date.today() - timedelta(days=18 * 31)
        stale = db.session.scalar(select(Product).where(Product.as_of < stale_before))
        chain = stale.chains[0].slug
    body = client.get(f"/en/chains/{chain}").get_data(as_text=True)
    assert "Out of date" in body


def test_the_chain_api_gives_paths_and_where_local_supply_ends(client):
    data = client.get("/api/v1/chains/copper").get_json()["data"]
    codes = {n["code"] for n in data["nodes"]}
    assert data["paths"]
    for path in data["paths"]:
        assert len(path["products"]) >= 2 and set(path["products"]) <= codes
        assert path["local_supply_ends_at"] is None or path["local_supply_ends_at"] in path["products"]
    assert any(p["local_supply_ends_at"] for p in data["paths"])
    assert all(link["provenance"]["as_of"] for link in data["links"])
    assert all("copper" in g["chains"] for g in data["gaps"])


def test_an_editor_is_offered_to_create_an_opportunity_only_for_their_own_gaps(fresh_app, make_user):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Product, User
    from app.security.authz import scope_products
    from tests.app.conftest import sign_in

    _, email, password = make_user(role="agency_editor", agency="industry_mine_trade")
    client = fresh_app.test_client()
    sign_in(client, email, password)
    with fresh_app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        own = set(db.session.scalars(scope_products(select(Product.code), user)))
    body = client.get("/en/gaps?per_page=25").get_data(as_text=True)
    offered = set(__import__("re").findall(r"/en/portal/opportunities/new\?gap_kind=\w+&amp;product=(\w+)", body))
    assert offered and offered <= own
    anonymous = fresh_app.test_client().get("/en/gaps").get_data(as_text=True)
    assert "/portal/opportunities/new" not in anonymous


def test_raw_milk_leaving_unprocessed_links_to_the_processing_opportunities(client, app):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Opportunity

    with app.app_context():
        processing = {o.id for o in db.session.scalars(select(Opportunity).where(
            Opportunity.status == "published", Opportunity.gap_kind == "unprocessed_outflow"))}
    body = client.get("/en/gaps?kind=unprocessed_outflow").get_data(as_text=True)
    linked = {int(x) for x in __import__("re").findall(r'href="/en/opportunities/(\d+)"', body)}
    assert processing and linked & processing


def test_every_seeded_opportunity_names_a_gap_the_engine_finds_or_none(app):
    """A seeded opportunity's gap_kind is "" (entered by the agency), a facet of its product's gap as the app
    computes it, or — for processing — ``unprocessed_outflow`` on a customer the raw material's gap links to."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Opportunity, Product
    from app.services.gaps import gap_opportunities, province_gaps
    from app.services.queries import opportunities_by_product

    with app.app_context():
        gaps = province_gaps()
        facets = {g.product: set(g.kinds) for g in gaps}
        linked = {opp_id for g in gaps for opp_id, _ in gap_opportunities(g, opportunities_by_product())}
        rows = db.session.execute(select(Opportunity.id, Product.code, Opportunity.gap_kind).join(
            Product, Opportunity.product_id == Product.id)).all()
    assert len(rows) >= 60
    for opp_id, code, kind in rows:
        if kind == "unprocessed_outflow" and kind not in facets.get(code, ()):
            assert opp_id in linked, (opp_id, code, kind)
        else:
            assert kind == "" or kind in facets.get(code, ()), (opp_id, code, kind)
    assert sum(1 for _, _, kind in rows if kind) >= 50


def test_a_chain_longer_than_the_page_is_drawn_as_the_listed_part(client, monkeypatch):
    """At national scale a chain has thousands of products: the drawing shows the products the page lists."""
    import app.public.chains as chain_views

    whole = client.get("/en/chains/copper").get_data(as_text=True)
    assert whole.count('class="node"') > 5 and "the drawing shows the" not in whole
    monkeypatch.setitem(chain_views.SHOWN, "products", 5)
    part = client.get("/en/chains/copper").get_data(as_text=True)
    start = part.index('<div class="chain-graph-wrap"')
    drawing = part[start:part.index("</svg>", start)]
    assert drawing.count('class="node"') == 5
    assert "the drawing shows the 5 listed below" in part
    fa = client.get("/fa/chains/copper").get_data(as_text=True)
    assert "۵" in fa[fa.index("<h2 id=\"graph-h\""):fa.index('<div class="chain-graph-wrap"')]
