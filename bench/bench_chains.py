"""Benchmark the value-chain domain at national scale.

Generates a deterministic synthetic graph (31 provinces × ~1,200 HS lines ≈
40,000 products, 500,000 supplier → user links, mostly acyclic) and times,
in one run:

* the floor: networkx alone building a DiGraph from the bare edge list
  (``nx.DiGraph(); add_nodes_from; add_edges_from``);
* :func:`chains.graph.build_graph` (validation, attributes, array view);
* a full :func:`chains.gaps.find_gaps`;
* one :func:`chains.simulate.simulate` (median of several products);
* peak memory (``ru_maxrss`` of the whole process, input records included;
  tracemalloc is not used because tracing every allocation slows the timed
  steps several-fold).

Targets: gap analysis ≤ 3 s and ≤ 2 × the floor, one simulation ≤ 200 ms,
peak memory ≤ 1.5 GB.

Run::

    .venv/bin/python bench/bench_chains.py [--products 40000 --links 500000 --seed 7]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chains.gaps import find_gaps  # noqa: E402
from chains.graph import build_graph  # noqa: E402
from chains.productspace import ProductSpace  # noqa: E402
from chains.records import Link, Product  # noqa: E402
from chains.simulate import simulate  # noqa: E402

CHAINS = ("copper", "dairy", "automotive_parts", "petrochemicals", "carpet_textiles",
          "dried_fruit_nuts", "leather_footwear", "confectionery", "construction_materials")


def synthetic(n_products: int, n_links: int, seed: int) -> tuple[list[Product], list[Link]]:
    """A deterministic, mostly acyclic national-scale chain graph."""
    rng = np.random.default_rng(seed)
    n = n_products
    n_raw, n_mid = n // 5, n // 2
    stages = np.array(["raw"] * n_raw + ["intermediate"] * n_mid + ["final"] * (n - n_raw - n_mid))
    capacity = np.round(rng.lognormal(6, 1.5, n), 1) * (rng.random(n) < 0.8)
    output = np.round(capacity * rng.beta(4, 2, n), 1)
    demand = np.round(rng.lognormal(5, 1.5, n) * (rng.random(n) < 0.5), 1)
    inflow = np.round(rng.lognormal(5, 1.5, n) * (rng.random(n) < 0.6), 1)
    outflow = np.round(output * rng.random(n) * (rng.random(n) < 0.5), 1)
    price = rng.lognormal(16, 2, n).astype(np.int64)
    jobs = rng.integers(0, 500, n)
    idle = rng.integers(0, 4, n) * (rng.random(n) < 0.3)
    chain_of = rng.integers(0, len(CHAINS), n)
    products = [
        Product(
            code=f"{i:06d}", name_fa=f"محصول {i}", name_en=f"Product {i}", sector="s",
            stage=str(stages[i]), unit_price_rials=int(price[i]), capacity=float(capacity[i]),
            output=float(output[i]), demand=float(demand[i]), inflow=float(inflow[i]),
            outflow=float(outflow[i]), idle_units=int(idle[i]), active_units=1, jobs=int(jobs[i]),
            chains=(CHAINS[chain_of[i]],),
        )
        for i in range(n)
    ]
    # Users are non-raw; suppliers come earlier in the order (acyclic), mostly nearby.
    draw = int(n_links * 1.3) + 10
    users = rng.integers(n_raw, n, draw)
    gap = np.minimum(users, np.ceil(rng.exponential(n / 20, draw)).astype(np.int64) + 1)
    sups = users - gap
    key = sups * n + users
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)[:n_links]
    coefs = np.round(rng.lognormal(-4, 1, first.size), 5) + 0.00001
    links = [Link(f"{s:06d}", f"{u:06d}", float(c))
             for s, u, c in zip(sups[first].tolist(), users[first].tolist(), coefs.tolist(), strict=True)]
    return products, links


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=40_000)
    parser.add_argument("--links", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--simulations", type=int, default=9)
    args = parser.parse_args(argv)

    products, links = synthetic(args.products, args.links, args.seed)
    codes = [p.code for p in products]
    edges = [(link.supplier, link.user) for link in links]
    gc.collect()

    def floor():
        H = nx.DiGraph()
        H.add_nodes_from(codes)
        H.add_edges_from(edges)
        return H

    H, t_floor = timed(floor)
    del H
    gc.collect()
    G, t_build = timed(build_graph, products, links)
    # A world product space like data/productspace: every product mapped to one of 785 SITC products,
    # proximity between all SITC pairs (dense), Iran's RCA, world proximity sums.
    n_sitc = 785
    sitc = [f"{k:04d}" for k in range(n_sitc)]
    rng_space = np.random.default_rng(args.seed + 2)
    phi = np.round(rng_space.beta(1.2, 4, (n_sitc, n_sitc)), 4)
    iu, ju = np.triu_indices(n_sitc, 1)
    space = ProductSpace({c: sitc[k] for c, k in zip(codes, rng_space.integers(0, n_sitc, len(codes)).tolist(),
                                                      strict=True)},
                         dict(zip(zip([sitc[i] for i in iu.tolist()], [sitc[j] for j in ju.tolist()], strict=True),
                                  phi[iu, ju].tolist(), strict=True)),
                         {s_: float(r) for s_, r in zip(sitc, rng_space.lognormal(0, 1, n_sitc).tolist(), strict=True)})
    made = np.array([G.nodes[c]["output"] > 0 for c in codes])
    _, t_density = timed(space.density_score, codes, made)
    gaps, t_gaps = timed(find_gaps, G, product_space=space)

    rng = np.random.default_rng(args.seed + 1)
    candidates = [g.product for g in gaps if g.kind in ("missing_supplier", "shortfall")] or codes
    picks = rng.choice(len(candidates), size=min(args.simulations, len(candidates)), replace=False)
    sim_times = []
    for k in sorted(picks.tolist()):
        code = candidates[k]
        _, t = timed(simulate, G, code, max(1.0, G.nodes[code]["inflow"]))
        sim_times.append(t)
    # The first run also builds the cached transpose and supply order of the graph.
    t_first, sim_times = sim_times[0], sim_times[1:] or sim_times
    t_sim = statistics.median(sim_times)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("products / links", f"{G.number_of_nodes():,} / {G.number_of_edges():,}", ""),
        ("networkx floor (bare edge list)", f"{t_floor:.2f} s", ""),
        ("build_graph", f"{t_build:.2f} s", f"{t_build / t_floor:.2f}× floor"),
        ("product-space density (alone)", f"{t_density * 1000:.0f} ms", "inside find_gaps below"),
        ("find_gaps (all kinds, with density)", f"{t_gaps:.2f} s",
         f"{t_gaps / t_floor:.2f}× floor; ≤ 3 s and ≤ 2× floor: "
         f"{'met' if t_gaps <= 3 and t_gaps <= 2 * t_floor else 'NOT met'}"),
        ("gaps found", f"{len(gaps):,}", ""),
        ("simulate, first run (fills caches)", f"{t_first * 1000:.0f} ms", ""),
        ("simulate (median of next %d)" % len(sim_times), f"{t_sim * 1000:.0f} ms",
         f"max {max(sim_times) * 1000:.0f} ms; ≤ 200 ms: {'met' if t_sim <= 0.2 else 'NOT met'}"),
        ("peak RSS (ru_maxrss)", f"{rss_mb:.0f} MB", f"≤ 1536 MB: {'met' if rss_mb <= 1536 else 'NOT met'}"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>16}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
