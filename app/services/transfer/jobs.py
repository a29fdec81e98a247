"""Import jobs: stored uploads, the job runner (a task), its progress and its outcome.

When a consumer starts, import jobs that a previous consumer left ``running`` are marked failed with a
reason in both languages (their transaction was never committed, so nothing was saved; their upload is
removed), and ``queued``
jobs whose task is no longer in the queue are queued again. This assumes one consumer per queue (the
workers of one consumer share the check); several consumers on one queue would fail each other's
running jobs at start."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.models import Agency, ImportJob, User, utcnow
from app.queue import after_commit, huey, task_context
from app.services.transfer.read import (
    MAX_STORED_PROBLEMS,
    PROGRESS_EVERY,
    TransferError,
    read_table,
)
from app.services.transfer.write import Outcome, import_table
from chains.errors import Problem

#: The one problem of a job whose write to the database failed (everything was rolled back).
DATABASE_FAILED = {"row": None, "column": "", "code": "database",
                   "message_fa": "نوشتن در پایگاه داده ناموفق بود و هیچ تغییری ذخیره نشد.",
                   "message_en": "Writing to the database failed and nothing was saved."}


# ---------------------------------------------------------------- jobs (web and CLI)
def upload_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "transfer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(instance_path: str, stream, filename: str) -> str:
    """Save an upload under a random name (returned); files older than a day are removed first."""
    folder = upload_dir(instance_path)
    cutoff = time.time() - 86400
    for old in folder.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    name = secrets.token_urlsafe(18) + ".upload"
    with open(folder / name, "wb") as fh:
        while chunk := stream.read(1 << 20):
            fh.write(chunk)
    return name


def stored_path(instance_path: str, job: ImportJob) -> Path | None:
    name = (job.summary or {}).get("file")
    if not name or "/" in name or "\\" in name or not name.endswith(".upload"):
        return None
    path = upload_dir(instance_path) / name
    return path if path.exists() else None


def problem_dicts(problems: list[Problem]) -> list[dict]:
    """The problems as the job keeps them; a value not allowed keeps the value and the allowed codes, so the
    page names each allowed value by its label in the reader's language (``app.web.problems``)."""
    out = []
    for p in problems[:MAX_STORED_PROBLEMS]:
        row = {"row": p.row, "column": p.field, "code": p.code, "message_fa": p.message_fa,
               "message_en": p.message_en}
        if p.code == "bad_choice" and "allowed" in p.details:
            row["value"], row["allowed"] = str(p.details.get("value", "")), list(p.details["allowed"])
        out.append(row)
    return out


def _report(job_id: int, **values) -> None:
    """Progress for readers, on its own connection (the import's own transaction is not committed yet)."""
    try:
        with db.engine.begin() as conn:
            conn.execute(update(ImportJob.__table__).where(ImportJob.__table__.c.id == job_id).values(**values))
    except Exception:  # noqa: BLE001 - progress is best effort; the job's result is written with the data
        pass


def run_job(job: ImportJob, path: Path, user, *, echo: Callable[[str], None] | None = None) -> Outcome | None:
    """Run a job's dry run or import and record the result on the job; commits (the data and the job
    together); any database error rolls the data back and marks the job failed."""
    job_id = job.id
    kind, dry_run, filename = job.kind, job.dry_run, job.filename
    summary = dict(job.summary or {})
    _report(job_id, status="running", summary={**summary, "phase": "reading"})
    db.session.expire(job)
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        table = read_table(kind, path, filename)
        total = len(table.rows)
        _report(job_id, total_rows=total, summary={**summary, "phase": "checking"})
        if echo:
            echo(f"read {total} rows")

        def progress(n: int) -> None:
            _report(job_id, processed_rows=n)
            if echo and (n % (PROGRESS_EVERY * 5) == 0 or n == total):
                echo(f"checked {n}/{total} rows")

        def before_write() -> None:
            if not sqlite:  # SQLite has one writer: the report would wait for the import itself
                _report(job_id, summary={**summary, "phase": "writing"})
            if echo:
                echo("writing…")

        outcome = import_table(kind, table, user, dry_run=dry_run, source=filename or f"{kind}.csv",
                               progress=progress, before_write=before_write)
    except TransferError as exc:
        db.session.rollback()
        _finish(job_id, "failed", summary, problems=[{"row": None, "column": "", "code": exc.code,
                                                       "message_fa": exc.message_fa,
                                                       "message_en": exc.message_en}])
        return None
    except Exception as exc:  # noqa: BLE001 - the import is all-or-nothing: undo and say so
        db.session.rollback()
        current_app.logger.exception("import job %s failed: %s", job_id, exc)
        _finish(job_id, "failed", summary, problems=[dict(DATABASE_FAILED)])
        return None
    job = db.session.get(ImportJob, job_id)
    job.status = "done" if outcome.ok else "failed"
    job.total_rows = job.processed_rows = outcome.total_rows
    job.problems = problem_dicts(outcome.problems)
    job.summary = {**summary, "phase": "finished", **outcome.counts, "problem_count": len(outcome.problems),
                   "ignored_columns": outcome.ignored_columns}
    job.finished_at = utcnow()
    try:
        db.session.commit()
    except Exception as exc:  # noqa: BLE001
        db.session.rollback()
        current_app.logger.exception("import job %s failed at commit: %s", job_id, exc)
        _finish(job_id, "failed", summary, problems=[dict(DATABASE_FAILED)])
        return None
    return outcome


def _finish(job_id: int, status: str, summary: dict, problems: list[dict]) -> None:
    job = db.session.get(ImportJob, job_id)
    job.status = status
    job.problems = problems
    job.summary = {**summary, "phase": "finished", "problem_count": len(problems)}
    job.finished_at = utcnow()
    db.session.commit()


_enqueued: dict[int, object] = {}  # job id → the app that queued it (``wait_for_jobs``)
_enqueued_lock = threading.Lock()


def start_in_background(job_id: int, path: Path, user_id: int | None) -> None:
    """Queue the job for the task consumer once the request's transaction has committed the job row."""
    app = current_app._get_current_object()
    with _enqueued_lock:
        _enqueued[job_id] = app
    after_commit(_enqueue, app, job_id, str(path), user_id)


def _enqueue(app, job_id: int, path: str, user_id: int | None) -> None:
    try:
        run_import_job(job_id, path, user_id)
    except Exception:  # noqa: BLE001 - the queue is down: say so on the job rather than leave it queued
        app.logger.exception("import job %s could not be queued", job_id)
        with app.app_context():
            fail_job(job_id, CRASHED)
    if huey.immediate:
        with _enqueued_lock:
            _enqueued.pop(job_id, None)


def wait_for_jobs(timeout: float = 60) -> None:
    """Wait until the jobs this process queued are done or failed (tests and orderly shutdown)."""
    deadline = time.monotonic() + timeout
    table = ImportJob.__table__
    while True:
        with _enqueued_lock:
            waiting = dict(_enqueued)
        for job_id, app in waiting.items():
            with app.app_context(), db.engine.connect() as conn:
                status = conn.execute(select(table.c.status).where(table.c.id == job_id)).scalar()
            if status in (None, "done", "failed"):
                with _enqueued_lock:
                    _enqueued.pop(job_id, None)
        with _enqueued_lock:
            if not _enqueued or time.monotonic() > deadline:
                return
        time.sleep(0.1)


# ---------------------------------------------------------------- the task, and recovery after a restart
INTERRUPTED = {
    "code": "interrupted",
    "message_fa": "کار در پس‌زمینه پیش از پایان متوقف شد (راه‌اندازی دوباره) و هیچ تغییری ذخیره نشد. "
                  "فایل را دوباره بارگذاری کنید.",
    "message_en": "The background work was stopped before it finished (a restart) and nothing was saved. "
                  "Upload the file again.",
}
CRASHED = {
    "code": "crashed",
    "message_fa": "کار در پس‌زمینه با خطا متوقف شد و هیچ تغییری ذخیره نشد. فایل را دوباره بارگذاری کنید.",
    "message_en": "The background work stopped with an error and nothing was saved. Upload the file again.",
}
GONE = {
    "code": "file_gone",
    "message_fa": "فایل بارگذاری‌شده دیگر نگه داشته نشده است. فایل را دوباره بارگذاری کنید.",
    "message_en": "The uploaded file is no longer kept. Upload the file again.",
}


def fail_job(job_id: int, reason: dict) -> None:
    """Mark a job failed with one problem that says why, in both languages (commits)."""
    db.session.rollback()
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status in ("done", "failed"):
        return
    _finish(job_id, "failed", dict(job.summary or {}), problems=[{"row": None, "column": "", **reason}])


def _claim(job_id: int) -> bool:
    """queued → running, atomically, so a job queued twice still runs once."""
    table = ImportJob.__table__
    with db.engine.begin() as conn:
        claimed = conn.execute(update(table).where(table.c.id == job_id, table.c.status == "queued")
                               .values(status="running")).rowcount
    return claimed == 1


@huey.task()
def run_import_job(job_id: int, path: str, user_id: int | None) -> str:
    """A dry run or import of an uploaded file (``services.transfer.run_job``); returns the job's status."""
    with task_context() as app:
        if not _claim(job_id):
            return "skipped"
        job = db.session.get(ImportJob, job_id)
        user = db.session.get(User, user_id) if user_id else None
        file = Path(path)
        dry_run = job.dry_run
        try:
            if not file.exists():
                fail_job(job_id, GONE)
            else:
                run_job(job, file, user)
        except Exception:  # noqa: BLE001 - a job must never stay "running" after its task ended
            app.logger.exception("import job %s crashed", job_id)
            fail_job(job_id, CRASHED)
        db.session.expire_all()
        status = db.session.get(ImportJob, job_id).status
        # The file is kept only while a clean dry run waits for its import; anything else never needs it again.
        if not (dry_run and status == "done"):
            file.unlink(missing_ok=True)
        return status


def recover_jobs() -> tuple[int, int]:
    """Jobs a previous consumer left behind: running → failed (with a reason); queued without a task → queued
    again. Returns (failed, requeued). Needs an application context."""
    failed = requeued = 0
    queued_ids = set()
    for task in huey.pending():
        if task.name.endswith("run_import_job") and task.args:
            queued_ids.add(task.args[0])
    rows = db.session.scalars(select(ImportJob).where(ImportJob.status.in_(("queued", "running")))
                              .order_by(ImportJob.id)).all()
    stale = [(j.id, j.status, j.user_id) for j in rows]
    for job_id, status, user_id in stale:
        if status == "running":
            # Its transaction died with the consumer: nothing was saved, and the job never runs again, so its
            # upload is not kept either (the reason asks for the file again).
            path = stored_path(current_app.instance_path, db.session.get(ImportJob, job_id))
            fail_job(job_id, INTERRUPTED)
            if path is not None:
                path.unlink(missing_ok=True)
            failed += 1
        elif job_id not in queued_ids:
            job = db.session.get(ImportJob, job_id)
            path = stored_path(current_app.instance_path, job)
            if path is None:
                fail_job(job_id, GONE)
                failed += 1
            else:
                run_import_job(job_id, str(path), user_id)
                requeued += 1
    return failed, requeued


_recovered = False
_recover_lock = threading.Lock()


@huey.on_startup()
def _recover_at_start() -> None:
    """Once per consumer process, before any of its workers takes a task (the others wait on the lock)."""
    global _recovered
    with _recover_lock:
        if _recovered:
            return
        _recovered = True
        with task_context() as app:
            failed, requeued = recover_jobs()
            if failed or requeued:
                app.logger.warning("import jobs left by a stopped worker: %s marked failed, %s queued again",
                                   failed, requeued)


def cli_user(agency_slug: str | None):
    """The CLI acts as HQ, or as an editor of ``--agency`` (so the same authz rules apply)."""
    if not agency_slug:
        return SimpleNamespace(role="hq", agency_id=None, id=None, is_authenticated=True)
    agency_id = db.session.scalar(select(Agency.id).where(Agency.slug == agency_slug))
    if agency_id is None:
        raise LookupError(agency_slug)
    return SimpleNamespace(role="agency_editor", agency_id=agency_id, id=None, is_authenticated=True)
