"""CSV exports that spreadsheet programs open correctly: UTF-8 with a BOM, formulas neutralised."""

from __future__ import annotations

import csv
import io

from flask import Response

from ..services.cells import safe_cell


def csv_response(filename: str, header: list[str], rows) -> Response:
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return Response(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
