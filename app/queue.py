"""The task queue (Huey): imports, match-index rebuilds, alerts and mail delivery run in a consumer.

The queue is ``SqliteHuey`` with its file in the instance folder (``instance/huey.db``, or
``PANJEREH_HUEY_FILE``) on one machine, and ``RedisHuey`` when ``REDIS_URL`` is set. The web process
only enqueues; a consumer runs the tasks (``make run`` starts it beside the web server)::

    .venv/bin/huey_consumer app.tasks.huey --workers 2 --worker-type thread

Tasks are defined beside the work they do (``services.transfer.jobs``, ``services.match_index``,
``services.matching``, ``services.mail``); ``app/tasks.py`` gathers them for the consumer. Each consumer
process builds one Flask app lazily from ``create_app()`` and runs every task in its own application
context, so each task has its own database session. In tests (``PANJEREH_TASKS_IMMEDIATE``) Huey's
immediate mode runs a task at once, in the caller's thread, in a fresh application context.

Work that must see the request's rows is enqueued with ``after_commit``: it is queued when the session
commits, and forgotten when it rolls back.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def make_huey():
    """The queue, chosen from the environment (the consumer and the web server must agree)."""
    if os.environ.get("REDIS_URL"):
        return RedisHuey("panjereh", url=os.environ["REDIS_URL"], results=False)
    filename = os.environ.get("PANJEREH_HUEY_FILE") or str(ROOT / "instance" / "huey.db")
    Path(filename).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("panjereh", filename=filename, results=False)


huey = make_huey()


def init_app(app) -> None:
    """Called by ``create_app``: after-commit enqueueing, and immediate mode when the app asks for it (tests)."""
    if not event.contains(Session, "after_commit", _run_after_commit):
        event.listen(Session, "after_commit", _run_after_commit)
        event.listen(Session, "after_rollback", _drop_after_rollback)
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
            from . import create_app  # local import: the package's factory imports this module

            app = create_app()
            # The worker builds what it needs (it never waits on itself) and saves the match index for the web.
            app.config["PANJEREH_SYNC_INDEX"] = True
            app.config["PANJEREH_WORKER"] = True
            _app = app
        return _app


@contextmanager
def task_context():
    """A fresh application context (and so a fresh session) for one task."""
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
            log.exception("task %s could not be queued", getattr(task, "name", task))


def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
