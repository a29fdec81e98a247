"""About the service: who runs it, the privacy and accessibility statements, and the licences."""

from __future__ import annotations

from flask import render_template


def about():
    return render_template("public/about.html")
