"""Import jobs: stored uploads, the job runner, its progress and its outcome."""

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
from app.services.transfer.read import (
    MAX_STORED_PROBLEMS,
    PROGRESS_EVERY,
    TransferError,
    read_table,
)
from app.services.transfer.write import Outcome, import_table
from chains.errors import Problem


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
    return [{"row": p.row, "column": p.field, "code": p.code, "message_fa": p.message_fa,
             "message_en": p.message_en} for p in problems[:MAX_STORED_PROBLEMS]]


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
        _finish(job_id, "failed", summary, problems=[{
            "row": None, "column": "", "code": "database",
            "message_fa": "نوشتن در پایگاه داده ناموفق بود و هیچ تغییری ذخیره نشد.",
            "message_en": "Writing to the database failed and nothing was saved."}])
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
        _finish(job_id, "failed", summary, problems=[{
            "row": None, "column": "", "code": "database",
            "message_fa": "نوشتن در پایگاه داده ناموفق بود و هیچ تغییری ذخیره نشد.",
            "message_en": "Writing to the database failed and nothing was saved."}])
        return None
    return outcome


def _finish(job_id: int, status: str, summary: dict, problems: list[dict]) -> None:
    job = db.session.get(ImportJob, job_id)
    job.status = status
    job.problems = problems
    job.summary = {**summary, "phase": "finished", "problem_count": len(problems)}
    job.finished_at = utcnow()
    db.session.commit()


_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def start_in_background(app, job_id: int, path: Path, user_id: int | None) -> threading.Thread:
    """Run a job in a thread with its own application context (and so its own session)."""

    def target() -> None:
        try:
            with app.app_context():

                job = db.session.get(ImportJob, job_id)
                user = db.session.get(User, user_id) if user_id else None
                try:
                    run_job(job, path, user)
                    if not job.dry_run:
                        path.unlink(missing_ok=True)
                except Exception:  # noqa: BLE001 - a thread must never die with an unhandled error
                    app.logger.exception("import job %s crashed", job_id)
                    db.session.rollback()
                    _report(job_id, status="failed")
                finally:
                    db.session.remove()
        finally:
            with _threads_lock:
                _threads.discard(threading.current_thread())

    thread = threading.Thread(target=target, name=f"import-job-{job_id}", daemon=True)
    with _threads_lock:
        _threads.add(thread)
    thread.start()
    return thread


def wait_for_jobs(timeout: float = 60) -> None:
    """Wait for background jobs of this process (tests and orderly shutdown)."""
    deadline = time.monotonic() + timeout
    while True:
        with _threads_lock:
            threads = list(_threads)
        if not threads or time.monotonic() > deadline:
            return
        threads[0].join(max(0.0, deadline - time.monotonic()))


def cli_user(agency_slug: str | None):
    """The CLI acts as HQ, or as an editor of ``--agency`` (so the same authz rules apply)."""
    if not agency_slug:
        return SimpleNamespace(role="hq", agency_id=None, id=None, is_authenticated=True)
    agency_id = db.session.scalar(select(Agency.id).where(Agency.slug == agency_slug))
    if agency_id is None:
        raise LookupError(agency_slug)
    return SimpleNamespace(role="agency_editor", agency_id=agency_id, id=None, is_authenticated=True)
