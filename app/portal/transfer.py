"""Agency portal: import products, links and opportunities from CSV/XLSX (dry run first), and export them.

Upload → a dry-run job (every problem with its row, column and reason) → "Import now" posts the job
back and the kept file is imported in one transaction. Big files run as a task (app/tasks.py); the
job page refreshes itself (a meta refresh and a Refresh header: the CSP forbids inline scripts).
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import SelectChoice, SelectField

from app.extensions import db
from app.i18n import current_lang
from app.models import ImportJob
from app.security.access import role_required
from app.services import transfer as svc
from app.web.errors import UserMessage
from app.web.problems import problem_text
from chains.errors import FIELD_LABELS_FA

TRANSFER_ROLES = ("agency_editor", "hq", "admin")


def kind_labels() -> dict[str, str]:
    return {"products": gettext("Products"), "links": gettext("Links between products"),
            "opportunities": gettext("Investment opportunities")}


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=[SelectChoice("products", _l("Products")),
                                                           SelectChoice("links", _l("Links between products")),
                                                           SelectChoice("opportunities",
                                                                        _l("Investment opportunities"))])
    file = FileField(_l("CSV or Excel (.xlsx) file"), validators=[FileRequired(_l("Choose a file to upload."))])


class ConfirmForm(FlaskForm):
    """The "Import now" button: CSRF only; the file is the one kept for the dry-run job."""


def _may_see(job: ImportJob) -> bool:
    return current_user.role in ("hq", "admin") or job.user_id == current_user.id


def _job_or_404(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None or not _may_see(job):
        abort(404)
    return job


def _start(job: ImportJob, path: Path):
    """The job runs as a task once this request has committed it; its page shows the progress."""
    db.session.flush()
    svc.start_in_background(job.id, path, current_user.id)
    return redirect(url_for("transfer.job", job_id=job.id))


def _recent_jobs():
    stmt = select(ImportJob).order_by(ImportJob.id.desc()).limit(15)
    if current_user.role not in ("hq", "admin"):
        stmt = stmt.where(ImportJob.user_id == current_user.id)
    return db.session.scalars(stmt).all()


@role_required(*TRANSFER_ROLES)
def index():
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        upload = form.file.data
        filename = Path(upload.filename or "").name[:300]
        name = svc.store_upload(current_app.instance_path, upload.stream, filename)
        path = svc.upload_dir(current_app.instance_path) / name
        try:
            svc.file_format(path, filename)
        except svc.TransferError as exc:
            path.unlink(missing_ok=True)
            error = exc.message(current_lang())
        else:
            job = ImportJob(user_id=current_user.id, agency_id=current_user.agency_id, kind=form.kind.data,
                            filename=filename, dry_run=True, status="queued", summary={"file": name})
            db.session.add(job)
            return _start(job, path)
    status = 400 if (form.errors or error) else 200
    return render_template("portal/transfer/index.html", form=form, error=error, jobs=_recent_jobs(),
                           kinds=svc.KINDS, kind_labels=kind_labels()), status


@role_required(*TRANSFER_ROLES)
def job(job_id: int):
    job = _job_or_404(job_id)
    running = job.status in ("queued", "running")
    can_import = (job.dry_run and job.status == "done" and not (job.summary or {}).get("imported_as")
                  and svc.stored_path(current_app.instance_path, job) is not None)
    body = render_template("portal/transfer/job.html", job=job, running=running, can_import=can_import,
                           confirm=ConfirmForm(), kind_labels=kind_labels(),
                           field_labels=_field_labels(), problem_text=problem_text)
    response = Response(body)
    if running:
        response.headers["Refresh"] = "2"
    return response


@role_required(*TRANSFER_ROLES)
def run_import(job_id: int):
    dry = _job_or_404(job_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = svc.stored_path(current_app.instance_path, dry)
    if not dry.dry_run or dry.status != "done" or path is None or (dry.summary or {}).get("imported_as"):
        abort(409, description=_gone())
    job = ImportJob(user_id=current_user.id, agency_id=current_user.agency_id, kind=dry.kind,
                    filename=dry.filename, dry_run=False, status="queued",
                    summary={"file": dry.summary["file"], "dry_run_job": dry.id})
    db.session.add(job)
    db.session.flush()
    dry.summary = {**dry.summary, "imported_as": job.id}
    return _start(job, path)


def _gone():

    return UserMessage(gettext("This file has already been imported or is no longer kept. Upload it again."))


@role_required(*TRANSFER_ROLES)
def export(kind: str, fmt: str):
    if kind not in svc.KINDS or fmt not in svc.FORMATS:
        abort(404)
    headers = request.args.get("headers", "en")
    if headers not in ("fa", "en"):
        headers = "en"
    lang = current_lang()
    data = svc.export_file(kind, fmt, current_user, headers=headers, rtl=(lang == "fa"))
    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{svc.export_filename(kind, fmt)}"'})


def _field_labels() -> dict[str, str]:

    if current_lang() == "fa":
        return dict(FIELD_LABELS_FA)
    return {}
