"""The fault phase of the load harness (called by run.py, on the harness's own cluster and gunicorn).

1. **Worker killed, database restarted, under load.** Readers (every endpoint) and writers (investors expressing
   interest, each acknowledged by a 302) run together for ``--fault-duration`` seconds. A third of the way in
   one gunicorn worker gets SIGKILL; two thirds in PostgreSQL is stopped in ``immediate`` mode (no checkpoint:
   recovery replays the WAL, as after a crash) and started again. Neither gunicorn nor the app is restarted by
   the harness. Reported: the errors around each fault and how many seconds after it the last one came, and
   every acknowledged write looked up in ``interests`` (a lost write is one acknowledged but not there).
2. **Task consumer killed mid-import.** A links file that changes the coefficient of existing links is imported
   by the task consumer; while the job is writing, the consumer gets SIGKILL. Checked: nothing of the file is in
   the database; when a consumer starts again the job is failed with a reason (``recover_jobs``), still with
   nothing written.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import time
from pathlib import Path

#: Errors must stop within this many seconds of a fault (of the database coming back, for the restart).
RECOVERY_S = 10.0
#: At most this long for the writers to sign in before the faults are scheduled.
WRITER_GRACE_S = 60


def _timeline(path: Path) -> tuple[dict[int, list[int]], list]:
    data = json.loads(path.read_text())
    return {int(k): v for k, v in data["seconds"].items()}, data["acked"]


def _errors_after(seconds: dict[int, list[int]], start: float, end: float | None = None) -> tuple[int, float | None]:
    """Errors in the whole seconds [start, end) and the second of the last one, relative to ``start``.

    The timeline counts per whole second, so an event's own second belongs to the event's window (not to the
    one before it: an error in the second of a kill is the kill's)."""
    hits = [(s, v[1]) for s, v in seconds.items() if s >= int(start) and (end is None or s < int(end)) and v[1]]
    return sum(n for _, n in hits), (max(s for s, _ in hits) + 1 - start) if hits else None


def worker_and_database(h, log) -> list[str]:
    args = h.args
    d = args.fault_duration
    readers = max(1, args.users - args.writers)
    started = time.time()
    log(f"faults: {readers} readers + {args.writers} writers for {d} s; kill a worker at {d // 3} s, "
        f"restart PostgreSQL at {2 * d // 3} s")
    # The writers sign in first (argon2 on a busy machine takes seconds): the faults are timed from the first
    # write that reached the database, or from WRITER_GRACE_S at the latest.
    # Only this run's writes count (a kept --data-dir holds the interests of the runs before).
    first_id = int(h.cluster.psql("SELECT coalesce(max(id), 0) FROM interests") or 0)
    # Each writer skips the opportunities its investor already asked about in an earlier run, so that its
    # writes are new rows.
    skip = int(h.cluster.psql(
        "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM interests i JOIN applicants a "
        "ON a.id = i.applicant_id JOIN users u ON u.id = a.user_id "
        "WHERE u.email LIKE '%@panjereh-load.ir' GROUP BY u.id) per_investor") or 0)
    proc = h.locust("faults", d + WRITER_GRACE_S, readers + args.writers, classes=("Reader", "Writer"),
                    extra_env={"LOAD_WRITERS": str(args.writers), "LOAD_SKIP": str(skip)}, background=True)
    t0 = time.time()
    while time.time() - t0 < WRITER_GRACE_S and int(h.cluster.psql(
            f"SELECT count(*) FROM interests WHERE id > {first_id}") or 0) == 0:  # noqa: S608 - an integer
        time.sleep(1)
    t0 = time.time()
    log(f"  writers writing after {t0 - started:.0f} s")
    events = {}
    time.sleep(d / 3)
    before = h.worker_pids()
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    events["kill"] = time.time()
    log(f"  SIGKILL gunicorn worker {victim} (workers were {before})")
    time.sleep(max(0.0, t0 + 2 * d / 3 - time.time()))
    events["pg_down"] = time.time()
    took = h.cluster.restart("immediate")
    events["pg_up"] = time.time()
    log(f"  PostgreSQL stopped (immediate) and started again: down {took:.1f} s")
    proc.wait()
    after = h.worker_pids()
    log(f"  workers now {after}; gunicorn master {h.gunicorn.pid} {'running' if h.gunicorn.poll() is None else 'gone'}")

    seconds, acked = _timeline(Path(str(h.work / "faults") + "_timeline.json"))
    stats = h.stats("faults")
    failed = []
    base_errors, _ = _errors_after(seconds, t0, events["kill"])
    kill_errors, kill_last = _errors_after(seconds, events["kill"], events["pg_down"])
    pg_errors, pg_last = _errors_after(seconds, events["pg_down"])
    after_up = _errors_after(seconds, events["pg_up"])
    pg_last_after_up = after_up[1]
    log(f"  errors before the faults: {base_errors}")
    log(f"  worker kill: {kill_errors} errors, the last {kill_last or 0:.0f} s after the kill")
    log(f"  database restart: {pg_errors} errors, the last {pg_last_after_up or 0:.0f} s after it was back "
        f"({pg_last or 0:.0f} s after it went down)")
    if base_errors:
        failed.append(f"{base_errors} errors before any fault")
    if kill_last is not None and kill_last > RECOVERY_S:
        failed.append(f"errors went on {kill_last:.0f} s after the worker kill")
    if pg_last_after_up is not None and pg_last_after_up > RECOVERY_S:
        failed.append(f"errors went on {pg_last_after_up:.0f} s after PostgreSQL was back")
    if h.gunicorn.poll() is not None or len(after) < args.workers:
        failed.append("gunicorn did not keep its workers")

    # Every acknowledged write is a row (an interest is kept once: a kept --data-dir may hold it from a run
    # before); rows this run wrote without an acknowledgement are writes whose reply was lost.
    emails = sorted({a[0] for a in acked})
    stored, rows = set(), set()
    if emails:
        quoted = ", ".join("'" + e.replace("'", "''") + "'" for e in emails)
        out = h.cluster.psql("SELECT u.email || ' ' || i.opportunity_id || ' ' || i.id FROM interests i "
                             "JOIN applicants a ON a.id = i.applicant_id JOIN users u ON u.id = a.user_id "
                             f"WHERE u.email IN ({quoted})")  # noqa: S608 - the harness's own addresses
        for line in out.splitlines():
            if line.strip():
                email, opp, row_id = line.split()
                stored.add((email, int(opp)))
                if int(row_id) > first_id:
                    rows.add((email, int(opp)))
    acked_pairs = {(a[0], int(a[1])) for a in acked}
    lost = acked_pairs - stored
    unacked = rows - acked_pairs
    log(f"  writes acknowledged: {len(acked_pairs):,}; rows: {len(rows):,}; lost: {len(lost)}; "
        f"rows whose reply was an error (written, not acknowledged): {len(unacked)}")
    write = stats.get("interest", {})
    log(f"  interest POSTs: {write.get('requests', 0):,}, failed {write.get('failures', 0):,}")
    if lost:
        failed.append(f"{len(lost)} acknowledged writes lost")
    if not acked_pairs:
        failed.append("no write was acknowledged")
    return failed


# ---------------------------------------------------------------- the task consumer killed mid-import
def _consumer(h) -> subprocess.Popen:
    return subprocess.Popen([str(h.env_path("huey_consumer")), "app.tasks.huey", "--workers", "1",
                             "--worker-type", "thread"], cwd=h.root, env=h.env, start_new_session=True,
                            stdout=open(h.work / "consumer.log", "ab"), stderr=subprocess.STDOUT)


def _job(h, job_id: int) -> dict:
    out = h.cluster.psql(f"SELECT row_to_json(j) FROM (SELECT status, processed_rows, total_rows, problems, "
                         f"summary FROM import_jobs WHERE id = {int(job_id)}) j")
    return json.loads(out) if out.strip() else {}


def _checksum(h, ids_sql: str) -> str:
    return h.cluster.psql(f"SELECT count(*) || ' ' || round(sum(coefficient)::numeric, 6) || ' ' || sum(version) "
                          f"FROM links WHERE id IN ({ids_sql})").strip()


def consumer_killed_mid_import(h, log) -> list[str]:
    n = max(1000, int(100_000 * h.args.scale))
    rows = h.cluster.psql(f"SELECT l.id, s.code, u.code, l.coefficient FROM links l JOIN products s ON "
                          f"s.id = l.supplier_id JOIN products u ON u.id = l.user_id WHERE l.source = "
                          f"'load generator' ORDER BY l.id LIMIT {n}").splitlines()
    rows = [r.split("|") for r in rows if r]
    ids_sql = f"SELECT id FROM links WHERE id BETWEEN {int(rows[0][0])} AND {int(rows[-1][0])}"
    path = h.work / "links_update.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["supplier", "user", "coefficient", "source"])
        for _id, sup, user, coef in rows:
            w.writerow([sup, user, f"{float(coef) * 2 + 0.001:.5f}", "load harness re-import"])
    before = _checksum(h, ids_sql)
    # The job is queued as the portal queues it: a stored upload, an ImportJob row, the task after commit.
    script = (
        "import shutil, sys\n"
        "from app import create_app\n"
        "from app.extensions import db\n"
        "from app.models import ImportJob, User\n"
        "from app.security.passwords import hash_password\n"
        "from app.services.transfer.jobs import start_in_background, upload_dir\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    name = 'load-harness-links.upload'\n"
        "    target = upload_dir(app.instance_path) / name\n"
        f"    shutil.copyfile({str(path)!r}, target)\n"
        # HQ may change every agency's links (an agency editor only its own sectors').
        "    hq = db.session.query(User).filter_by(email='load-hq@panjereh-load.ir').one_or_none()\n"
        "    if hq is None:  # a kept --data-dir has it from the run before\n"
        "        hq = User(email='load-hq@panjereh-load.ir', name='Load HQ', role='hq', totp_confirmed=False,\n"
        "                  password_hash=hash_password(shutil.os.urandom(16).hex()))\n"
        "        db.session.add(hq)\n"
        "        db.session.flush()\n"
        "    job = ImportJob(user_id=hq.id, kind='links', filename='links_update.csv', dry_run=False,\n"
        "                    status='queued', summary={'file': name})\n"
        "    db.session.add(job)\n"
        "    db.session.flush()\n"
        "    start_in_background(job.id, target, hq.id)\n"
        "    db.session.commit()\n"
        "    print(job.id)\n")
    consumer = _consumer(h)
    try:
        job_id = int(subprocess.run([str(h.env_path("python")), "-c", script], cwd=h.root, env=h.env, check=True,
                                    capture_output=True, text=True).stdout.split()[-1])
    except BaseException:  # never leave a consumer running behind the harness
        os.killpg(consumer.pid, signal.SIGKILL)
        consumer.wait()
        raise
    log(f"queue: import job {job_id} of {len(rows):,} link updates queued; waiting for it to write")
    deadline = time.time() + 300
    state = {}
    while time.time() < deadline:
        state = _job(h, job_id)
        if state.get("status") in ("done", "failed") or (state.get("summary") or {}).get("phase") == "writing":
            break
        time.sleep(0.05)
    phase = (state.get("summary") or {}).get("phase")
    if state.get("status") in ("done", "failed"):
        consumer.send_signal(signal.SIGTERM)
        consumer.wait(30)
        why = json.dumps(state.get("problems"), ensure_ascii=False)[:400]
        return [f"the import finished ({state.get('status')}: {why}) before it could be interrupted"]
    time.sleep(0.2)  # into the write
    os.killpg(consumer.pid, signal.SIGKILL)
    consumer.wait()
    killed = _job(h, job_id)
    during = _checksum(h, ids_sql)
    log(f"  SIGKILL consumer in phase '{phase}' (status {killed.get('status')}); links {before} → {during}")
    failed = []
    if during != before:
        failed.append("links changed after the consumer was killed mid-import")
    consumer = _consumer(h)
    deadline = time.time() + 120
    while time.time() < deadline:
        state = _job(h, job_id)
        if state.get("status") in ("done", "failed"):
            break
        time.sleep(0.2)
    consumer.send_signal(signal.SIGINT)
    try:
        consumer.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(consumer.pid, signal.SIGKILL)
    after = _checksum(h, ids_sql)
    problems = state.get("problems") or []
    reason = problems[0].get("message_en", "") if problems else ""
    log(f"  after a consumer started again: job {state.get('status')} ({problems[0].get('code') if problems else '-'}"
        f": {reason}); links {after}")
    if state.get("status") == "failed":
        if after != before or not problems:
            failed.append("a failed import left rows changed or gave no reason")
    elif state.get("status") == "done":
        if after == before:
            failed.append("the import says done but nothing changed")
    else:
        failed.append(f"the import was left {state.get('status')} after a consumer started again")
    (Path(h.root) / "instance" / "transfer" / "load-harness-links.upload").unlink(missing_ok=True)
    return failed


def run_all(h, log) -> list[str]:
    failed = worker_and_database(h, log)
    failed += consumer_killed_mid_import(h, log)
    print("\nfaults: " + ("all checks passed" if not failed else "FAILED — " + "; ".join(failed)) + "\n", flush=True)
    return failed

