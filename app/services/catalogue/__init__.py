"""Catalogue writes: products, links, value chains and opportunities.

Validation is the import's: each form (or API body) becomes a one-row dict that goes through
``chains.io.read_products`` / ``read_links`` / ``read_opportunities`` / ``read_chains``, so a
product typed into a form obeys exactly the rules of a product in a spreadsheet. Authorisation is
``app.security.authz``'s. Writers flush and never commit; every change writes an ``AuditEvent``.

Lost updates are refused twice over: the given ``version`` must equal the row's (``Conflict``),
and the ORM's ``version_id_col`` makes a concurrent write between our read and our flush raise
``StaleDataError``, which the request's commit point turns into the same ``Conflict``.
"""
