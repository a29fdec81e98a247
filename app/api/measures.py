"""The ten measures with their live figures."""

from __future__ import annotations

from flask import jsonify

from app.services.measures import all_measures


def measures():
    """The ten measures, each with its indicators (id, names in fa and en, value, unit, as_of, source)."""
    return jsonify({"data": [{"id": m.slug, "position": m.position, "name": m.name,
                              "indicators": [i.as_json() for i in m.indicators]} for m in all_measures()]})
