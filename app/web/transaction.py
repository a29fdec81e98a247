"""One commit per request (the model is Indico's request handler).

Views parse, call services and render; services flush and raise domain errors. Here, once the view
has returned a response below 400, the session is committed; any other outcome (an error status, an
exception) rolls it back, so a refused request never leaves anything half-written. A commit that
fails because someone else changed the same rows meanwhile (a stale version, a unique key taken) is a
409 in the user's language, never a 500. A view whose refusal must still keep a write (the e-mailed unlock
link of a locked account) says so with ``keep_on_refusal()``. The only other commits are in CLI commands and tasks.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.web.errors import render_error


def keep_on_refusal() -> None:
    """This refusal still keeps what the view wrote (a 429 that queues the owner's unlock mail)."""
    g.keep_on_refusal = True


def _finish(response):
    session = db.session
    if response.status_code >= 400 and not g.get("keep_on_refusal"):
        session.rollback()
        return response
    try:
        session.commit()
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        current_app.logger.info("commit refused: %s", exc.__class__.__name__)
        return render_error(409)
    except OperationalError as exc:
        session.rollback()
        # PostgreSQL's serialisation/deadlock failures: the other writer won; the user tries again.
        if getattr(getattr(exc, "orig", None), "sqlstate", "") in ("40001", "40P01"):
            return render_error(409)
        raise
    return response


def init_app(app: Flask) -> None:
    app.after_request(_finish)

    @app.teardown_request
    def _rollback_on_exception(exc):  # an exception skipped after_request: nothing is kept
        if exc is not None:
            db.session.rollback()
