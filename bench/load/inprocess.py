"""What one request costs, in-process: the app's test client (one thread, no gunicorn, no locust) against the
load harness's kept cluster and match index, with the requests drawn as the locust users draw them.

The load harness measures the whole under load; this says how much of a latency is the request's own work.
It needs a ``--data-dir`` that ``run.py --prepare-only`` (or any kept run) filled::

    .venv/bin/python bench/load/inprocess.py --data-dir /tmp/panjereh-load-data [--requests 300] [--profile]

It starts the kept cluster (port 55432, never the shared one), warms the caches as a gunicorn worker does,
sends ``--requests`` of each kind after 30 unmeasured ones, prints mean/p50/p95/p99 per kind and stops the
cluster. ``--profile`` adds a cProfile of the match requests (the 40 costliest functions by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from cluster import Cluster  # noqa: E402
from draws import list_search_params, match_body  # noqa: E402


def _summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    n = len(ms)
    return (f"{name:8} n={n}  mean {sum(ms) / n:6.1f}  p50 {ms[n // 2]:6.1f}  p95 {ms[int(n * 0.95)]:6.1f}  "
            f"p99 {ms[int(n * 0.99)]:6.1f}  max {ms[-1]:6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = args.data_dir.resolve()
    if not (work / "prepared.json").exists():
        raise SystemExit(f"{work} holds no prepared data: run bench/load/run.py --data-dir {work} --prepare-only")
    cluster = Cluster(port=args.pg_port, root=work / "pg")
    os.environ.update({"DATABASE_URL": cluster.url, "PANJEREH_INDEX_DIR": str(work / "index"),
                       "PANJEREH_HUEY_FILE": str(work / "huey.db"), "SECRET_KEY": "in-process-" + os.urandom(8).hex(),
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    fixture = json.loads((work / "fixture.json").read_text())
    random.seed(args.seed)
    cluster.start()
    try:
        from app import create_app
        from app.services.warm import freeze_survivors, warm_caches

        app = create_app()
        with app.app_context():
            print(f"warmed in {warm_caches():.1f} s; {freeze_survivors():,} objects frozen (as a gunicorn worker)")
        client = app.test_client()
        bodies = [match_body(fixture) for _ in range(args.requests + 30)]
        urls = [f"/{random.choice(('fa', 'en'))}/opportunities?{urlencode(list_search_params(fixture))}"
                for _ in range(args.requests + 30)]
        timed: dict[str, list[float]] = {"match": [], "list": [], "trivial": []}
        for i in range(args.requests + 30):
            for name, method, url, body in (("match", "POST", "/api/v1/match", bodies[i]),
                                            ("list", "GET", urls[i], None), ("trivial", "GET", "/healthz", None)):
                t0 = time.perf_counter()
                resp = client.open(url, method=method, json=body)
                if i >= 30:
                    timed[name].append((time.perf_counter() - t0) * 1000)
                if resp.status_code != 200:
                    raise SystemExit(f"{name}: {resp.status_code} {resp.get_data(as_text=True)[:300]}")
        for name, ms in timed.items():
            print(_summary(name, ms))
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for body in bodies[30:]:
                client.post("/api/v1/match", json=body)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
