"""URL converters every blueprint shares (registered once by create_app, before the blueprints)."""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

#: The largest id a database integer key can hold (PostgreSQL BIGINT, SQLite INTEGER).
MAX_ID = 2**63 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` that only matches ids a row could have: a 20-digit id is a 404, never an overflow.

    An id out of range raises NotFound rather than werkzeug's ValidationError: werkzeug converts after it
    has chosen the rule, so a ValidationError on ``PATCH /opportunities/<huge>`` would be reported as a 405
    because the GET rule of the same path matched; no record has that id, whatever the method.
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


CONVERTERS = {"int": BoundedIntegerConverter}
