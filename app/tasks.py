"""Background work through Huey: imports, match-index rebuilds, alerts and mail delivery.

The queue is ``SqliteHuey`` with its file in the instance folder (``instance/huey.db``, or
``PANJEREH_HUEY_FILE``) on one machine, and ``RedisHuey`` when ``REDIS_URL`` is set. The web process
only enqueues; a consumer runs the tasks::

    .venv/bin/huey_consumer app.tasks.huey --workers 2 --worker-type thread

(``make run`` starts it beside the web server and stops it with the server.) Each consumer process
builds one Flask app lazily from ``create_app()`` (the same environment as the web server) and runs
every task in its own application context, so each task has its own database session. In tests
(``PANJEREH_TASKS_IMMEDIATE``) Huey's immediate mode runs a task at once, in the caller's thread,
in a fresh application context of the caller's app.

When a consumer starts, import jobs that a previous consumer left ``running`` are marked failed
with a reason in both languages (their transaction was never committed, so nothing was saved), and
``queued`` jobs whose task is no longer in the queue are queued again. This assumes one consumer per
queue (the workers of one consumer share the check); several consumers on one queue would fail each
other's running jobs at start.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

from huey import RedisHuey, SqliteHuey
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .extensions import db

ROOT = Path(__file__).resolve().parent.parent


def make_huey():
    """The queue, chosen from the environment (the consumer and the web server must agree)."""
    if os.environ.get("REDIS_URL"):
        return RedisHuey("panjereh", url=os.environ["REDIS_URL"], results=False)
    filename = os.environ.get("PANJEREH_HUEY_FILE") or str(ROOT / "instance" / "huey.db")
    Path(filename).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("panjereh", filename=filename, results=False)


huey = make_huey()


def init_app(app) -> None:
    """Called by ``create_app``: immediate mode when the app asks for it (tests)."""
    if app.config.get("PANJEREH_TASKS_IMMEDIATE", os.environ.get("PANJEREH_TASKS_IMMEDIATE") == "1"):
        huey.immediate = True


# ---------------------------------------------------------------- the app a task runs in
_app = None
_app_lock = threading.Lock()


def worker_app():
    """The consumer's Flask app, built once per process on first use."""
    global _app
    with _app_lock:
        if _app is None:
            from . import create_app

            app = create_app()
            # The worker builds what it needs (it never waits on itself) and saves the match index for the web.
            app.config["PANJEREH_SYNC_INDEX"] = True
            app.config["PANJEREH_WORKER"] = True
            _app = app
        return _app


@contextmanager
def task_context():
    """A fresh application context (and so a fresh session) for one task."""
    from flask import current_app, has_app_context

    app = current_app._get_current_object() if has_app_context() else worker_app()
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()


# ---------------------------------------------------------------- enqueue once the transaction commits
_AFTER_COMMIT = "pj_after_commit"


def after_commit(task, *args) -> None:
    """Enqueue ``task(*args)`` when the current session commits (never if it rolls back); once per commit."""
    pending = db.session().info.setdefault(_AFTER_COMMIT, [])
    if (task, args) not in pending:
        pending.append((task, args))


def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(_AFTER_COMMIT, None)
    for task, args in pending or ():
        try:
            task(*args)
        except Exception:  # noqa: BLE001 - the data is committed; a queue that is down must not fail the request
            import logging

            logging.getLogger(__name__).exception("task %s could not be queued", getattr(task, "name", task))


def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


if not event.contains(Session, "after_commit", _run_after_commit):
    event.listen(Session, "after_commit", _run_after_commit)
    event.listen(Session, "after_rollback", _drop_after_rollback)


# ---------------------------------------------------------------- import jobs
INTERRUPTED = {
    "code": "interrupted",
    "message_fa": "کار در پس‌زمینه پیش از پایان متوقف شد (راه‌اندازی دوباره) و هیچ تغییری ذخیره نشد. "
                  "پرونده را دوباره بارگذاری کنید.",
    "message_en": "The background work was stopped before it finished (a restart) and nothing was saved. "
                  "Upload the file again.",
}
CRASHED = {
    "code": "crashed",
    "message_fa": "کار در پس‌زمینه با خطا متوقف شد و هیچ تغییری ذخیره نشد. پرونده را دوباره بارگذاری کنید.",
    "message_en": "The background work stopped with an error and nothing was saved. Upload the file again.",
}
GONE = {
    "code": "file_gone",
    "message_fa": "پروندهٔ بارگذاری‌شده دیگر نگه داشته نشده است. پرونده را دوباره بارگذاری کنید.",
    "message_en": "The uploaded file is no longer kept. Upload the file again.",
}


def fail_job(job_id: int, reason: dict) -> None:
    """Mark a job failed with one problem that says why, in both languages (commits)."""
    from .models import ImportJob
    from .services.transfer import _finish

    db.session.rollback()
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status in ("done", "failed"):
        return
    _finish(job_id, "failed", dict(job.summary or {}), problems=[{"row": None, "column": "", **reason}])


def _claim(job_id: int) -> bool:
    """queued → running, atomically, so a job queued twice still runs once."""
    from .models import ImportJob

    table = ImportJob.__table__
    with db.engine.begin() as conn:
        claimed = conn.execute(update(table).where(table.c.id == job_id, table.c.status == "queued")
                               .values(status="running")).rowcount
    return claimed == 1


@huey.task()
def run_import_job(job_id: int, path: str, user_id: int | None) -> str:
    """A dry run or import of an uploaded file (``services.transfer.run_job``); returns the job's status."""
    from .models import ImportJob, User
    from .services.transfer import run_job

    with task_context() as app:
        if not _claim(job_id):
            return "skipped"
        job = db.session.get(ImportJob, job_id)
        user = db.session.get(User, user_id) if user_id else None
        file = Path(path)
        try:
            if not file.exists():
                fail_job(job_id, GONE)
            else:
                run_job(job, file, user)
                if not job.dry_run:
                    file.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001 - a job must never stay "running" after its task ended
            app.logger.exception("import job %s crashed", job_id)
            fail_job(job_id, CRASHED)
        db.session.expire_all()
        return db.session.get(ImportJob, job_id).status


def recover_jobs() -> tuple[int, int]:
    """Jobs a previous consumer left behind: running → failed (with a reason); queued without a task → queued
    again. Returns (failed, requeued). Needs an application context."""
    from .models import ImportJob
    from .services.transfer import stored_path

    failed = requeued = 0
    queued_ids = set()
    for task in huey.pending():
        if task.name.endswith("run_import_job") and task.args:
            queued_ids.add(task.args[0])
    rows = db.session.scalars(select(ImportJob).where(ImportJob.status.in_(("queued", "running")))
                              .order_by(ImportJob.id)).all()
    stale = [(j.id, j.status, j.user_id) for j in rows]
    from flask import current_app

    for job_id, status, user_id in stale:
        if status == "running":
            fail_job(job_id, INTERRUPTED)
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


# ---------------------------------------------------------------- the match index
@huey.task()
def rebuild_match_index() -> str:
    """Build the match index of the current data version and save it for the web processes."""
    from .services import matching

    with task_context():
        return str(matching.build_and_save_index())


# ---------------------------------------------------------------- mail and alerts
def mail_queue_enabled() -> bool:
    from flask import current_app

    return bool(current_app.config.get("PANJEREH_MAIL_QUEUE", os.environ.get("PANJEREH_MAIL_QUEUE", "1") == "1"))


def deliver_mail_after_commit() -> None:
    """Deliver the outbox once the messages just added are committed (unless PANJEREH_MAIL_QUEUE=0)."""
    if mail_queue_enabled():
        after_commit(deliver_mail)


@huey.task()
def deliver_mail() -> int:
    """Deliver everything waiting in the outbox; a failed message waits for the next run."""
    from .mail import send_pending

    with task_context() as app:
        try:
            sent = send_pending()
        except (OSError, RuntimeError) as exc:
            app.logger.error("mail not sent: %s", exc)
            db.session.rollback()
            return 0
        db.session.commit()
        return sent


def alerts_and_mail(threshold: float | None = None) -> tuple[int, int]:
    """Queue alerts for saved profiles, commit, deliver the outbox (in the current app context)."""
    from .mail import send_pending
    from .services.matching import queue_alerts

    queued = queue_alerts(threshold)
    db.session.commit()
    sent = send_pending()
    db.session.commit()
    return queued, sent


@huey.task()
def send_alerts(threshold: float | None = None) -> int:
    """Alerts for the saved profiles that published opportunities match, then mail delivery."""
    with task_context():
        return alerts_and_mail(threshold)[0]


__all__ = ["huey", "init_app", "worker_app", "task_context", "after_commit", "run_import_job", "recover_jobs",
           "rebuild_match_index", "deliver_mail", "deliver_mail_after_commit", "send_alerts", "alerts_and_mail"]
