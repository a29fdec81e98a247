"""The ranking before issue 9 on today's seed and walk-in set, scored with matching.evaluate's nDCG.

Run from the repository root, with a worktree of the commit before the issue's work (0101f68)::

    git worktree add /tmp/before 0101f68
    .venv/bin/python bench/matching_before.py /tmp/before    # then: git worktree remove /tmp/before

It imports that worktree's ``chains`` and ``matching`` (the old index and ranking), fits them on this checkout's
``data/seed`` and ranks this checkout's ``tests/matching/eval/walkins_40.json``; the figures after are
``.venv/bin/python -m matching.evaluate tests/matching/eval/walkins_40.json``. The top five per profile are
written to ``before_tops.json`` in the current folder.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path.cwd()


def dcg(gains: np.ndarray) -> float:
    """As ``matching.evaluate._dcg``: linear gains, log2 discount."""
    return float(np.sum(gains / np.log2(np.arange(2, len(gains) + 2))))


def main(old: str) -> int:
    sys.path.insert(0, old)  # the old packages shadow this checkout's
    load_dir = importlib.import_module("chains.io").load_dir
    build_graph = importlib.import_module("chains.graph").build_graph
    find_gaps = importlib.import_module("chains.gaps").find_gaps
    Applicant = importlib.import_module("chains.records").Applicant
    MatchIndex = importlib.import_module("matching.features").MatchIndex
    model = importlib.import_module("matching.model")

    bundle = load_dir(HERE / "data" / "seed")
    graph = build_graph(bundle.products, bundle.links)
    priority: dict[str, float] = {}
    for g in find_gaps(graph, chain_priority={c.slug: c.priority for c in bundle.chains}):
        priority[g.product] = max(priority.get(g.product, 0.0), g.priority)
    index = MatchIndex().fit([o for o in bundle.opportunities if o.status == "published"], graph=graph,
                             gap_priority=priority)
    payload = json.loads((HERE / "tests" / "matching" / "eval" / "walkins_40.json").read_text(encoding="utf-8"))
    ref_row = {r: i for i, r in enumerate(index.refs_.tolist())}
    titles = {o.ref: o.title_en for o in bundle.opportunities}
    ndcg, first, covered, tops = [], [], [], {}
    for p in payload["profiles"]:
        a = Applicant(ref=p["ref"], applicant_type=p["applicant_type"], capital_rials=int(p["capital_rials"]),
                      sectors=tuple(p.get("sectors", ())), skills=p.get("skills", ""),
                      products=tuple(p.get("products", ())), counties=tuple(p.get("counties", ())),
                      lang=p.get("lang", "fa"))
        rel = np.zeros(len(ref_row))
        for ref, grade in p["judgements"].items():
            if ref in ref_row:
                rel[ref_row[ref]] = int(grade)
        if not np.any(rel > 0):
            continue
        rows = np.asarray(model.top_k(index, model.MatchScorer.default(), a, 5)[0], dtype=np.int64)[:5]
        ideal = dcg(np.sort(rel)[::-1][:5])
        ndcg.append(dcg(rel[rows]) / ideal)
        first.append(bool(len(rows)) and rel[rows[0]] > 0)
        covered.append(bool(np.any(rel[rows] > 0)))
        tops[p["ref"]] = [(index.refs_[i], int(rel[i]), titles.get(index.refs_[i], "")) for i in rows.tolist()]
    print(f"{len(ndcg)} profiles: nDCG@5 {np.mean(ndcg):.3f}, first match relevant {np.mean(first):.3f}, "
          f"coverage {np.mean(covered):.3f}")
    Path("before_tops.json").write_text(json.dumps(tops, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
