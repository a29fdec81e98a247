"""gunicorn settings for Panjereh: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Threaded workers (``gthread``): ``PANJEREH_WORKERS`` processes (default one per CPU core) of
``PANJEREH_THREADS`` threads each (default 4). Rendering is CPU-bound Python, so more processes than cores only
adds memory (each holds its own graph, gaps and match index, about 1 GB at national scale); the threads overlap
the waits on PostgreSQL. Each process's connection pool (``PANJEREH_DB_POOL_SIZE``, app/config.py) should be at
least its thread count. Every worker warms its caches (the value-chain graph, the gaps, the match index) before it
takes its first request, so a worker that is restarted — by ``max_requests``, a crash or a kill — never makes a
visitor wait for them; the others serve meanwhile.

Set ``OPENBLAS_NUM_THREADS=1`` for the workers (README, Benchmarks): BLAS threads fight the request threads.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("PANJEREH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PANJEREH_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("PANJEREH_THREADS", "4"))
# A request that takes longer than this is a bug; the worker is replaced rather than left hanging.
timeout = int(os.environ.get("PANJEREH_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Warming a worker takes seconds at national scale: the master must not count it as hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("PANJEREH_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("PANJEREH_LOG_LEVEL", "info")
# Forwarded headers are trusted only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("PANJEREH_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Build this worker's caches before it accepts a request (``PANJEREH_WARM=0`` skips it)."""
    if os.environ.get("PANJEREH_WARM", "1") != "1":
        return
    from app.services.warm import warm_caches  # local import: gunicorn reads this file before the app exists

    app = worker.wsgi
    try:
        with app.app_context():
            seconds = warm_caches()
    except Exception as exc:  # noqa: BLE001 - any failure: serve cold rather than fail the boot
        # A worker that raises here "failed to boot", and gunicorn then stops the whole server: a worker replaced
        # while PostgreSQL restarts would take the site down with it. Its first requests build the caches instead.
        worker.log.warning("worker %s serves without warm caches: %s", worker.pid, str(exc).splitlines()[0])
        return
    from app.services.warm import freeze_survivors  # local import, as above

    frozen = freeze_survivors()
    worker.log.info("worker %s warmed its caches in %.1f s (%s objects frozen out of the garbage collector)",
                    worker.pid, seconds, f"{frozen:,}")
