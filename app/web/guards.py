"""Request guards every route shares (registered once by create_app)."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext

from app.web.errors import UserMessage


def refuse_nul_bytes():
    """A NUL byte is never meaningful input (and PostgreSQL text cannot hold one): a clear 400 up front."""
    if any("\x00" in v for v in request.args.values()) or (
            request.method == "POST" and request.form and any("\x00" in v for v in request.form.values())):
        abort(400, description=UserMessage(gettext("The request contains characters that are not allowed.")))

