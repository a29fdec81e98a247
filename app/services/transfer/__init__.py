"""Import and export of products, links and opportunities as CSV or XLSX.

The path of an upload::

    file ──read_table──▶ canonical rows ──check──▶ records + problems ──plan_*──▶ plan ──apply──▶ rows
              (CSV/XLSX,      (field → text)   (chains.io readers,      (inserts, updates   (bulk INSERT /
               BOM, numbers,                    app.authz scoping)       against maps        UPDATE, one
               dates, '=…)                                               loaded once)        transaction)

``import_bundle`` (the seed) writes products, links and opportunities through the same
``plan_*``/``apply`` functions, so the demo data and agency uploads cannot drift apart.
Services flush; the caller commits (the background runner commits its own job).

Columns a file leaves out are left alone on rows that already exist, so a sheet of
``code, name_fa, name_en, sector, stage, capacity`` updates capacities without wiping
chains or provenance.
"""

from .check import Checked, Ids, Permissions, authorise, check
from .export import (
    WRITERS,
    export_file,
    export_filename,
    export_records,
    export_rows,
    header_row,
    to_csv,
    to_xlsx,
)
from .jobs import (
    cli_user,
    problem_dicts,
    run_job,
    start_in_background,
    store_upload,
    stored_path,
    upload_dir,
    wait_for_jobs,
)
from .read import (
    COLUMNS,
    FORMATS,
    KINDS,
    MAX_STORED_PROBLEMS,
    PROGRESS_EVERY,
    Table,
    TransferError,
    cell_text,
    file_format,
    header_field,
    neutralise,
    read_table,
    unneutralise,
)
from .write import (
    LINK_FIELDS,
    MODELS,
    OPPORTUNITY_FIELDS,
    PLANNERS,
    PRODUCT_FIELDS,
    Outcome,
    Plan,
    apply,
    assign_chain_owners,
    import_table,
    plan_links,
    plan_opportunities,
    plan_products,
)

__all__ = [
    "COLUMNS",
    "Checked",
    "FORMATS",
    "Ids",
    "KINDS",
    "LINK_FIELDS",
    "MAX_STORED_PROBLEMS",
    "MODELS",
    "OPPORTUNITY_FIELDS",
    "Outcome",
    "PLANNERS",
    "PRODUCT_FIELDS",
    "PROGRESS_EVERY",
    "Permissions",
    "Plan",
    "Table",
    "TransferError",
    "WRITERS",
    "apply",
    "assign_chain_owners",
    "authorise",
    "cell_text",
    "check",
    "cli_user",
    "export_file",
    "export_filename",
    "export_records",
    "export_rows",
    "file_format",
    "header_field",
    "header_row",
    "import_table",
    "neutralise",
    "plan_links",
    "plan_opportunities",
    "plan_products",
    "problem_dicts",
    "read_table",
    "run_job",
    "start_in_background",
    "store_upload",
    "stored_path",
    "to_csv",
    "to_xlsx",
    "unneutralise",
    "upload_dir",
    "wait_for_jobs",
]
