"""The task queue (app/tasks.py): a real Huey consumer runs an import; stale jobs are recovered at start;
mail waits for the commit; the match index is rebuilt by a task and loaded by the web process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.storage import SqliteStorage
from sqlalchemy import select

from app import tasks
from app.extensions import db
from app.models import ImportJob, OutboxMessage
from app.services import transfer as svc
from tests.app.conftest import build_app
from tests.app.test_transfer import add_staff, import_now, job_of, product_csv, upload

ROOT = Path(__file__).resolve().parents[2]


def _stale_job(app, status: str, **summary) -> int:
    with app.app_context():
        job = ImportJob(kind="products", filename="old.csv", dry_run=False, status=status,
                        summary={"phase": "writing", **summary})
        db.session.add(job)
        db.session.commit()
        return job.id


def _job(app, job_id: int) -> ImportJob:
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        db.session.expunge(job)
        return job


# ---------------------------------------------------------------- a real consumer
def use_queue_file(path: Path, monkeypatch) -> Path:
    """This process enqueues into a SQLite huey file instead of running tasks at once (after create_app)."""
    monkeypatch.setattr(tasks.huey, "_immediate", False)
    monkeypatch.setattr(tasks.huey, "storage", SqliteStorage("panjereh", filename=str(path)))
    return path


def _consumer(url: str, queue: Path, log) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PANJEREH_HUEY_FILE": str(queue), "PYTHONPATH": str(ROOT)}
    env.pop("PANJEREH_TASKS_IMMEDIATE", None)
    consumer = Path(sys.executable).with_name("huey_consumer")
    return subprocess.Popen([str(consumer), "app.tasks.huey", "--workers", "2", "--worker-type", "thread",
                             "--delay", "0.1"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait(predicate, timeout: float = 60, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def test_a_real_consumer_runs_an_upload_and_fails_a_job_left_running(databases, tmp_path, monkeypatch):
    url = databases.new_url()
    app = build_app(url, PANJEREH_TRANSFER_INLINE_BYTES=10)  # every upload goes to the queue
    queue_file = use_queue_file(tmp_path / "huey.db", monkeypatch)
    stale = _stale_job(app, "running")
    client = app.test_client()
    from tests.app.conftest import sign_in

    assert sign_in(client, *add_staff(app)).status_code == 302
    dry = job_of(upload(client, product_csv(["0406,پنیر,Cheese,food,final,9000,1"]), "cheese.csv"))
    assert _job(app, dry).status == "queued"
    page = client.get(f"/en/portal/transfer/jobs/{dry}")
    assert page.headers["Refresh"] == "2"
    log = tmp_path / "consumer.log"
    with log.open("wb") as out:
        consumer = _consumer(app.config["SQLALCHEMY_DATABASE_URI"], queue_file, out)
    try:
        svc.wait_for_jobs(90)
        assert _job(app, dry).status == "done", log.read_text()
        real = job_of(import_now(client, dry))
        svc.wait_for_jobs(90)
        job = _job(app, real)
        assert (job.status, job.summary["updated"] + job.summary["created"]) == ("done", 1), log.read_text()
        # The job a stopped worker left "running" was failed at the consumer's start, with a reason.
        old = _job(app, stale)
        assert old.status == "failed" and old.finished_at is not None
        assert old.problems[0]["code"] == "interrupted" and "دوباره" in old.problems[0]["message_fa"]
        assert old.summary["problem_count"] == 1
    finally:
        consumer.terminate()
        consumer.wait(30)
    with app.app_context():
        from app.models import Product

        assert db.session.scalar(select(Product.capacity).where(Product.code == "0406")) == 9000
        db.session.remove()
        db.engine.dispose()


# ---------------------------------------------------------------- recovery at start (immediate mode)
def test_at_start_a_running_job_is_failed_and_a_lost_queued_job_runs_again(fresh_app):
    running = _stale_job(fresh_app, "running")
    name = svc.store_upload(fresh_app.instance_path, io.BytesIO(
        product_csv(["0406,پنیر,Cheese,food,final,9100,1"])), "p.csv")
    lost = _stale_job(fresh_app, "queued", file=name)
    with fresh_app.app_context():
        lost_row = db.session.get(ImportJob, lost)
        lost_row.dry_run = True
        from app.models import User

        email, _ = add_staff(fresh_app, email="hq-recover@example.org")
        lost_row.user_id = db.session.scalar(select(User.id).where(User.email == email))
        gone = ImportJob(kind="products", filename="gone.csv", status="queued", summary={"file": "nothing.csv"})
        db.session.add(gone)
        db.session.commit()
        gone = gone.id
        assert tasks.recover_jobs() == (2, 1)
    assert _job(fresh_app, running).problems[0]["code"] == "interrupted"
    assert _job(fresh_app, gone).problems[0]["code"] == "file_gone"
    assert _job(fresh_app, lost).status == "done", _job(fresh_app, lost).problems  # queued again; ran at once
    client = fresh_app.test_client()
    from tests.app.conftest import sign_in

    assert sign_in(client, "hq-recover@example.org", "x" * 12).status_code == 302
    for lang, text in (("en", "stopped before it finished"), ("fa", "پیش از پایان متوقف شد")):
        html = client.get(f"/{lang}/portal/transfer/jobs/{running}").get_data(as_text=True)
        assert text in html and 'data-status="failed"' in html


def test_a_task_that_crashes_marks_its_job_failed(fresh_app, monkeypatch):
    name = svc.store_upload(fresh_app.instance_path, io.BytesIO(b"code\n0406\n"), "p.csv")
    job_id = _stale_job(fresh_app, "queued", file=name)

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    from app.services.transfer import jobs

    monkeypatch.setattr(jobs, "run_job", boom)
    with fresh_app.app_context():
        tasks.run_import_job(job_id, str(svc.upload_dir(fresh_app.instance_path) / name), None)
    job = _job(fresh_app, job_id)
    assert job.status == "failed" and job.problems[0]["code"] == "crashed"
    # A job already finished is never run again.
    with fresh_app.app_context():
        tasks.run_import_job(job_id, "/nowhere", None)
    assert _job(fresh_app, job_id).problems[0]["code"] == "crashed"


# ---------------------------------------------------------------- mail after commit
def test_mail_is_delivered_by_a_task_once_committed_and_never_after_a_rollback(fresh_app):
    from app.services.mail import deliver_mail_after_commit

    fresh_app.config["PANJEREH_MAIL_QUEUE"] = True
    with fresh_app.app_context():
        db.session.add(OutboxMessage(kind="test", to="a@example.org", lang="en", subject="rolled back", body="x",
                                     dedupe_key="t:1"))
        deliver_mail_after_commit()
        db.session.rollback()
        db.session.add(OutboxMessage(kind="test", to="b@example.org", lang="en", subject="kept", body="y",
                                     dedupe_key="t:2"))
        db.session.commit()  # nothing asked for delivery with this one
        assert db.session.scalar(select(OutboxMessage.sent_at).where(OutboxMessage.subject == "kept")) is None
    from tests.app.test_security import register

    assert register(fresh_app.test_client(), email="queue@example.org").status_code == 302
    with fresh_app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [m.subject for m in rows if m.kind == "test"] == ["kept"]
        assert rows and all(m.sent_at is not None for m in rows)  # the task delivered the whole outbox


# ---------------------------------------------------------------- the match index across processes
def test_the_index_is_rebuilt_by_a_task_saved_per_version_and_loaded_by_the_web(fresh_app, tmp_path):
    from app.models import Opportunity
    from app.services import match_index as matching
    from app.services.versions import current

    fresh_app.config.update(PANJEREH_SYNC_INDEX=False, PANJEREH_INDEX_DIR=str(tmp_path))
    with fresh_app.app_context():
        matching.reset()
        first = matching.match_index()  # none yet: built in the request, and saved
        v1 = current()
        assert [p.name for p in tmp_path.glob("match_index-*.pickle")] == [
            matching.index_path(matching.opportunities_version()).name]
        opp = db.session.scalar(select(Opportunity).where(Opportunity.status == "published").order_by(Opportunity.id))
        opp.status = "closed"
        db.session.commit()
        assert current() == v1 + 1
        # Another process (the worker) has the new index already: this one loads it instead of building.
        path = matching.index_path(matching.opportunities_version())
        assert not path.exists()
        tasks.rebuild_match_index()  # immediate mode: the task runs here, in its own context
        assert path.exists() and len(list(tmp_path.glob("match_index-*.pickle"))) == 1
        matching.reset()
        matching._state.update(index=first, key=("other", 0))
        loaded = matching.match_index()
        assert loaded is not first and opp.ref not in set(loaded.refs_.tolist())
        assert opp.ref in set(first.refs_.tolist())
        # No saved file for a new version: the previous index is served and a rebuild is queued.
        opp.status = "published"
        db.session.commit()
        served = matching.match_index()
        assert served is loaded or opp.ref in set(served.refs_.tolist())
        assert matching.index_path(matching.opportunities_version()).exists()  # the (immediate) task saved it
        assert opp.ref in set(matching.match_index().refs_.tolist())
        matching.reset()


# ---------------------------------------------------------------- a consumer killed mid-import
def _new_links_csv(app) -> tuple[bytes, int]:
    """Every supplier → user pair of the seed's products, in code order, that is not linked yet (a graph with
    no cycle, ~32,000 rows): large enough for the consumer to be caught reading it or writing it."""
    from app.models import Link, Product

    with app.app_context():
        codes = sorted(db.session.scalars(select(Product.code)))
        linked = {(s, u) for s, u in db.session.execute(select(Link.supplier_id, Link.user_id))}
        ids = dict(db.session.execute(select(Product.code, Product.id)).all())
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]
             if (ids[a], ids[b]) not in linked and (ids[b], ids[a]) not in linked]
    return ("supplier,user,coefficient\n" + "".join(f"{a},{b},0.25\n" for a, b in pairs)).encode(), len(pairs)


def _links_count(app) -> int:
    from sqlalchemy import func

    from app.models import Link

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Link))


@pytest.mark.parametrize("moment", ["checking", "writing"])
def test_a_consumer_killed_mid_import_leaves_the_job_failed_with_a_reason_and_nothing_half_written(
        tmp_path, monkeypatch, moment):
    """SIGKILL while the import reads and checks its rows, or while its one transaction is writing them: when a
    consumer starts again the job is failed with a reason in both languages (or, had it committed, done), never
    left running, and the database holds all of the file's links or none of them."""
    database = tmp_path / "panjereh.db"
    app = build_app(f"sqlite:///{database}")
    queue_file = use_queue_file(tmp_path / "huey.db", monkeypatch)
    data, rows = _new_links_csv(app)
    before = _links_count(app)
    email, _ = add_staff(app)
    with app.app_context():
        from app.models import User

        user_id = db.session.scalar(select(User.id).where(User.email == email))
        name = svc.store_upload(app.instance_path, io.BytesIO(data), "links.csv")
        upload_file = svc.upload_dir(app.instance_path) / name
        job = ImportJob(user_id=user_id, kind="links", filename="links.csv", dry_run=False, status="queued",
                        summary={"file": name})
        db.session.add(job)
        db.session.flush()
        job_id = job.id
        svc.start_in_background(job_id, upload_file, user_id)  # queued once this commits, as the portal does
        db.session.commit()
    journal = Path(f"{database}-journal")  # SQLite's rollback journal: there while a transaction writes

    seen = []

    def caught_or_over() -> bool:
        job = _job(app, job_id)
        seen[:] = [job.status]
        if job.status in ("done", "failed"):
            return True  # too late: the assertion below says so at once rather than at the timeout
        if job.status != "running" or not job.processed_rows:
            return False
        return moment == "checking" or (job.processed_rows == job.total_rows and journal.exists())

    log = tmp_path / "consumer.log"
    with log.open("ab") as out:
        consumer = _consumer(f"sqlite:///{database}", queue_file, out)
    try:
        assert _wait(caught_or_over, timeout=60, every=0.01), log.read_text()[-2000:]
        assert seen == ["running"], f"the import was {seen} before the consumer could be killed {moment}"
        consumer.kill()  # SIGKILL: no handler runs, the transaction is neither committed nor rolled back
        consumer.wait(10)
        assert _job(app, job_id).status == "running"  # what the killed consumer left
        assert _links_count(app) == before, "nothing of an uncommitted import is visible"
        with log.open("ab") as out:
            consumer = _consumer(f"sqlite:///{database}", queue_file, out)
        assert _wait(lambda: _job(app, job_id).status in ("done", "failed"), timeout=60), log.read_text()[-2000:]
    finally:
        consumer.terminate()
        consumer.wait(30)
    job = _job(app, job_id)
    written = _links_count(app) - before
    if job.status == "done":
        assert written == rows and job.summary["created"] == rows
    else:
        assert written == 0, f"{written} of {rows} links half-written"
        assert [p["code"] for p in job.problems] == ["interrupted"] and job.finished_at is not None
        assert "دوباره" in job.problems[0]["message_fa"] and "Upload the file again" in job.problems[0]["message_en"]
        assert not upload_file.exists(), "the upload of a job that can never run again is not kept"
    svc.wait_for_jobs(5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
