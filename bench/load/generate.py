"""National-scale synthetic data, written straight into PostgreSQL with COPY.

Tops a database that already holds the migrated schema and the seed (counties, sectors, agencies, value
chains, measures) up to the design scale: 40,000 products, 500,000 links, 100,000 opportunities (most
published, with financing routes) and 200,000 applicants, plus ``--investors`` investor accounts with
saved profiles (the load's writers sign in as them). ``--scale 0.1`` gives a tenth of everything.

The figures are drawn like ``bench/bench_chains.py`` (quantities, prices, a mostly acyclic supplier →
user graph) and ``matching/synthetic.py`` (names and skills from each chain's vocabulary, so text search
and matching find something); the same ``--seed`` always gives the same rows. Every generated row is
marked ``illustrative``; product codes are 8-digit tariff lines starting at 10000000, refs start with
``LOAD-``. The search text of each opportunity is the app's own (``services.records``).

Run::

    .venv/bin/python bench/load/generate.py postgresql://postgres@127.0.0.1:55432/load [--scale 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.security.passwords import hash_password  # noqa: E402
from app.services.records import opportunity_search_text  # noqa: E402
from chains.records import APPLICANT_TYPES, FINANCING_KINDS, STAGES  # noqa: E402
from matching.synthetic import CHAIN_VOCABULARY  # noqa: E402

FULL = {"products": 40_000, "links": 500_000, "opportunities": 100_000, "applicants": 200_000}
#: The synthetic vocabulary's chains → the seed's sector (and chain, where the seed has one).
SECTOR_OF = {"dairy": "food", "copper": "metals", "automotive": "automotive", "petrochemicals": "chemicals",
             "carpet": "textiles", "dried_fruit": "food", "leather": "leather", "confectionery": "food",
             "construction": "construction", "agriculture": "agriculture"}
STAGE_NAMES = {"raw": ("{}", "{}"), "intermediate": ("{} فرآوری‌شده", "processed {}"),
               "final": ("محصولات {}", "{} products"), "service": ("خدمات {}", "{} services")}
ACTIVITY = [("خط بسته‌بندی", "packaging line"), ("کارگاه", "workshop"), ("واحد", "plant"), ("مرکز", "centre")]
GAP_KINDS = ("missing_supplier", "shortfall", "unprocessed_outflow", "idle_capacity", "")
INVESTOR_PASSWORD = "load-test-password-1"
CODE_BASE = 10_000_000


def investor_email(i: int) -> str:
    return f"load-investor-{i}@panjereh-load.ir"


def _ids(cur, table: str, key: str = "slug") -> dict:
    return {k: i for i, k in cur.execute(f"SELECT id, {key} FROM {table}")}  # noqa: S608 - fixed names


def _count(cur, table: str) -> int:
    return cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names


def _next_id(cur, table: str) -> int:
    return (cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]) + 1  # noqa: S608


def _copy(cur, table: str, columns: list[str], rows) -> int:
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
    if "id" in columns:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return n


def generate(url: str, scale: float = 1.0, seed: int = 14, investors: int = 64, echo=print,
             sizes: dict | None = None) -> dict:
    """Top the database at ``url`` up to ``scale`` × the design sizes (or the row counts in ``sizes``);
    returns the rows written per table."""
    want = {k: max(1, int(round(v * scale))) for k, v in FULL.items()}
    want.update(sizes or {})
    rng = np.random.default_rng(seed)
    now = datetime.now(timezone.utc)
    written: dict[str, int] = {}
    url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        sectors, counties = _ids(cur, "sectors"), _ids(cur, "counties")
        chains, agencies = _ids(cur, "value_chains"), _ids(cur, "agencies")
        county_names = {slug: (fa, en) for slug, fa, en in cur.execute("SELECT slug, name_fa, name_en FROM counties")}
        agency_of_sector = dict(cur.execute(
            "SELECT s.slug, min(a.agency_id) FROM agency_sectors a JOIN sectors s ON s.id = a.sector_id "
            "GROUP BY s.slug").fetchall())
        fallback_agency = min(agencies.values())

        # ------------------------------------------------------------ products
        t0 = time.perf_counter()
        n = max(0, want["products"] - _count(cur, "products"))
        vocab_keys = list(CHAIN_VOCABULARY)
        p_chain = rng.integers(0, len(vocab_keys), n)
        n_raw, n_mid = n // 5, n // 2
        p_stage = np.array([0] * n_raw + [1] * n_mid + [2] * (n - n_raw - n_mid))
        p_stage[rng.random(n) < 0.05] = 3
        capacity = np.round(rng.lognormal(6, 1.5, n), 1) * (rng.random(n) < 0.8)
        output = np.round(capacity * rng.beta(4, 2, n), 1)
        demand = np.round(rng.lognormal(5, 1.5, n) * (rng.random(n) < 0.5), 1)
        inflow = np.round(rng.lognormal(5, 1.5, n) * (rng.random(n) < 0.6), 1)
        outflow = np.round(output * rng.random(n) * (rng.random(n) < 0.5), 1)
        price = rng.lognormal(16, 2, n).astype(np.int64) + 1
        jobs = rng.integers(0, 500, n)
        idle = rng.integers(0, 4, n) * (rng.random(n) < 0.3)
        suited = rng.integers(0, 1 << len(APPLICANT_TYPES), n)
        first_pid = _next_id(cur, "products")
        products = []  # (id, code, name_fa, name_en, vocab key)
        rows = []
        for i in range(n):
            key = vocab_keys[p_chain[i]]
            words = CHAIN_VOCABULARY[key][2]
            w1, w2 = words[rng.integers(len(words))], words[rng.integers(len(words))]
            stage = STAGES[p_stage[i]]
            fa_pat, en_pat = STAGE_NAMES[stage]
            name_fa = fa_pat.format(f"{w1[0]} {w2[0]}" if w1 != w2 else w1[0])
            name_en = en_pat.format(f"{w1[1]} {w2[1]}" if w1 != w2 else w1[1])
            pid, code = first_pid + i, str(CODE_BASE + i)
            sector = SECTOR_OF[key]
            products.append((pid, code, name_fa, name_en, key))
            rows.append((pid, code, "hs", name_fa, name_en, sectors[sector], stage, "tonne", int(price[i]),
                         float(capacity[i]), float(output[i]), float(demand[i]), float(inflow[i]),
                         float(outflow[i]), 1, int(idle[i]), int(jobs[i]), int(suited[i]), "", "load generator",
                         agency_of_sector.get(sector, fallback_agency), date(2026, 1, 1), True, False, 1, now))
        written["products"] = _copy(cur, "products", [
            "id", "code", "nomenclature", "name_fa", "name_en", "sector_id", "stage", "unit", "unit_price_rials",
            "capacity", "output", "demand", "inflow", "outflow", "active_units", "idle_units", "jobs",
            "suited_mask", "aliases", "source", "agency_id", "as_of", "illustrative", "retired", "version",
            "updated_at"], rows)
        written["chain_products"] = _copy(cur, "chain_products", ["chain_id", "product_id"], (
            (chains[key], pid) for pid, _code, _fa, _en, key in products if key in chains))
        echo(f"products: {written['products']:,} in {time.perf_counter() - t0:.1f} s")

        # ------------------------------------------------------------ links (supplier earlier in the order)
        t0 = time.perf_counter()
        all_pids = np.array([r[0] for r in cur.execute("SELECT id FROM products ORDER BY id")], dtype=np.int64)
        m = len(all_pids)
        n_links = max(0, want["links"] - _count(cur, "links"))
        existing = {(s, u) for s, u in cur.execute("SELECT supplier_id, user_id FROM links")}
        draw = int(n_links * 1.3) + 10
        users = rng.integers(max(1, m // 5), m, draw)
        gap = np.minimum(users, np.ceil(rng.exponential(max(1, m / 20), draw)).astype(np.int64) + 1)
        sups = users - gap
        _, first = np.unique(sups * m + users, return_index=True)
        first = np.sort(first)
        pairs = [(int(all_pids[s]), int(all_pids[u])) for s, u in zip(sups[first], users[first], strict=True)]
        pairs = [p for p in pairs if p not in existing][:n_links]
        coefs = np.round(rng.lognormal(-4, 1, len(pairs)), 5) + 0.00001
        first_lid = _next_id(cur, "links")
        written["links"] = _copy(cur, "links", [
            "id", "supplier_id", "user_id", "coefficient", "source", "agency_id", "as_of", "illustrative",
            "retired", "version"], (
            (first_lid + i, s, u, float(c), "load generator", None, date(2026, 1, 1), True, False, 1)
            for i, ((s, u), c) in enumerate(zip(pairs, coefs.tolist(), strict=True))))
        echo(f"links: {written['links']:,} in {time.perf_counter() - t0:.1f} s")

        # ------------------------------------------------------------ opportunities and financing routes
        t0 = time.perf_counter()
        n = max(0, want["opportunities"] - _count(cur, "opportunities"))
        county_slugs = sorted(counties)
        o_prod = rng.integers(0, len(products), n) if products else np.zeros(n, dtype=np.int64)
        o_county = rng.integers(0, len(county_slugs), n)
        o_min = np.round(np.exp(rng.uniform(np.log(2e9), np.log(5e11), n)), -6).astype(np.int64)
        o_max = (o_min * rng.uniform(1.5, 4.0, n)).astype(np.int64)
        o_status = rng.choice(["published", "draft", "closed"], n, p=[0.9, 0.05, 0.05])
        o_days = rng.integers(0, 730, n)
        first_oid = _next_id(cur, "opportunities")
        opp_rows, fin_rows = [], []
        for i in range(n):
            pid, code, p_fa, p_en, key = products[o_prod[i]]
            c_fa, c_en = county_names[county_slugs[o_county[i]]]
            act = ACTIVITY[rng.integers(len(ACTIVITY))]
            words = CHAIN_VOCABULARY[key][2]
            desc = [words[k] for k in rng.choice(len(words), 3, replace=False)]
            title_fa, title_en = f"{act[0]} {p_fa} در {c_fa}", f"{p_en.capitalize()} {act[1]} in {c_en}"
            d_fa, d_en = "، ".join(d[0] for d in desc), ", ".join(d[1] for d in desc)
            oid = first_oid + i
            status = str(o_status[i])
            published = now - timedelta(days=int(o_days[i])) if status != "draft" else None
            opp_rows.append((
                oid, f"LOAD-{oid:07d}", title_fa, title_en, d_fa, d_en, "", "", pid,
                counties[county_slugs[o_county[i]]],
                agency_of_sector.get(SECTOR_OF[key], fallback_agency), int(o_min[i]), int(o_max[i]),
                int(rng.integers(3, 120)), int(rng.integers(0, 1 << len(APPLICANT_TYPES))), status,
                GAP_KINDS[rng.integers(len(GAP_KINDS))],
                opportunity_search_text(title_fa, title_en, d_fa, d_en, p_fa, p_en, code, ""),
                True, published, now, 1, None))
            for k in rng.choice(len(FINANCING_KINDS), int(rng.integers(0, 3)), replace=False):
                fin_rows.append((oid, FINANCING_KINDS[k], int(rng.integers(1000, 4000))))
        written["opportunities"] = _copy(cur, "opportunities", [
            "id", "ref", "title_fa", "title_en", "description_fa", "description_en", "incentives_fa",
            "incentives_en", "product_id", "county_id", "agency_id", "investment_min_rials",
            "investment_max_rials", "jobs", "suited_mask", "status", "gap_kind", "search_text", "illustrative",
            "published_at", "updated_at", "version", "created_by_id"], opp_rows)
        written["financing_routes"] = _copy(cur, "financing_routes", ["opportunity_id", "kind", "share_bp"],
                                            fin_rows)
        echo(f"opportunities: {written['opportunities']:,} (+{written['financing_routes']:,} financing routes) "
             f"in {time.perf_counter() - t0:.1f} s")

        # ------------------------------------------------------------ investors (the load's writers)
        password = hash_password(INVESTOR_PASSWORD)
        first_uid = _next_id(cur, "users")
        taken = {e for (e,) in cur.execute("SELECT email FROM users")}
        new_users = [(first_uid + i, investor_email(i), f"Load investor {i}", password, "investor", None, True, 1,
                      now, False, True) for i in range(investors) if investor_email(i) not in taken]
        new_users = [(first_uid + j, *u[1:]) for j, u in enumerate(new_users)]
        written["users"] = _copy(cur, "users", [
            "id", "email", "name", "password_hash", "role", "agency_id", "active", "session_version",
            "created_at", "totp_confirmed", "email_confirmed"], new_users)

        # ------------------------------------------------------------ applicants
        t0 = time.perf_counter()
        n = max(0, want["applicants"] - _count(cur, "applicants"))
        a_key = rng.integers(0, len(vocab_keys), n)
        a_type = rng.integers(0, len(APPLICANT_TYPES), n)
        a_cap = np.round(np.exp(rng.uniform(np.log(1e9), np.log(1e12), n)), -6).astype(np.int64)
        first_aid = _next_id(cur, "applicants")
        by_key: dict[str, list[str]] = {}
        for _pid, code, _fa, _en, key in products:
            by_key.setdefault(key, []).append(code)
        owners = [u[0] for u in new_users]
        rows = []
        for i in range(n):
            key = vocab_keys[a_key[i]]
            words = CHAIN_VOCABULARY[key][2]
            picks = rng.choice(len(words), int(rng.integers(2, 6)), replace=False)
            skills = " ".join(words[p][0] if rng.random() < 0.5 else words[p][1] for p in picks)
            codes = by_key.get(key, [])
            makes = [codes[j] for j in rng.choice(len(codes), min(int(rng.integers(0, 3)), len(codes)),
                                                    replace=False)] if codes else []
            home = [county_slugs[k] for k in rng.choice(len(county_slugs), int(rng.integers(0, 3)), replace=False)]
            aid = first_aid + i
            user_id = owners[i] if i < len(owners) else None
            rows.append((aid, f"LOAD-A-{aid:07d}", APPLICANT_TYPES[a_type[i]], "", int(a_cap[i]),
                         SECTOR_OF[key] if rng.random() < 0.5 else "", skills, "|".join(makes), "|".join(home),
                         "fa" if rng.random() < 0.8 else "en", "", user_id, user_id is not None, None, True, now))
        written["applicants"] = _copy(cur, "applicants", [
            "id", "ref", "applicant_type", "name", "capital_rials", "sectors", "skills", "products", "counties",
            "lang", "phone", "user_id", "alerts", "created_by_id", "illustrative", "created_at"], rows)
        echo(f"applicants: {written['applicants']:,} (investor accounts: {written['users']}) "
             f"in {time.perf_counter() - t0:.1f} s")

        # Every cache keyed on the data version (graph, gaps, match index) sees the new rows.
        cur.execute("UPDATE data_versions SET value = value + 1")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        t0 = time.perf_counter()
        # Only the tables written (their names resolve through the connection's search_path).
        conn.execute("VACUUM ANALYZE products, chain_products, links, opportunities, financing_routes, users, "
                     "applicants")
        echo(f"vacuum analyze in {time.perf_counter() - t0:.1f} s")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="PostgreSQL URL of a migrated, seeded database (never the shared one)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the design sizes (default 1)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--investors", type=int, default=64, help="investor accounts for the writers")
    args = parser.parse_args(argv)
    generate(args.url, scale=args.scale, seed=args.seed, investors=args.investors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
